"""FAL001: a file that cannot be parsed."""

from collections.abc import Iterator

from fastapi_lint.context import Context
from fastapi_lint.findings import Finding
from fastapi_lint.rules import Rule


class SyntaxErrorRule(Rule):
    """## What it does
    Reports a file that Python cannot parse or decode, at the position of the error.

    ## Why is this bad?
    A file that does not parse cannot be analysed: every other check is blind to it, and
    importing it fails at run time.

    ## Example
    ```python
    @app.get("/items")
    async def items(:
        ...
    ```

    ## Use instead
    ```python
    @app.get("/items")
    async def items():
        ...
    ```

    ## Fix
    None: which of the ways to make the file valid Python was meant is the author's to say.
    """

    code = "FAL001"
    name = "syntax-error"
    summary = "File cannot be parsed"
    message = "Syntax error: {error}"

    def check(self, context: Context) -> Iterator[Finding]:
        for problem in context.syntax_problems:
            yield Finding(
                code=self.code,
                message=self.message.format(error=problem.message),
                path=problem.path,
                line=problem.line,
                col=problem.col,
                end_line=problem.line,
                end_col=problem.col,
            )
