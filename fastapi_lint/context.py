"""What rules read: the project model, the FastAPI model, the loop analysis and the settings."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from fastapi_lint.config import Settings
from fastapi_lint.fastapi_model import FastAPIModel, Route, build_fastapi_model
from fastapi_lint.findings import Finding
from fastapi_lint.loop import Knowledge, LoopAnalysis
from fastapi_lint.project import Project
from fastapi_lint.source import SyntaxProblem, char_column_in
from fastapi_lint.summary import COL, END_COL, END_LINE, LINE, Expr, ModuleSummary


def char_column(summary: ModuleSummary, line: int, byte_col: int) -> int:
    """A 1-based character column from ``ast``'s 0-based UTF-8 byte offset."""
    text = summary.wide_lines.get(line)
    if text is None:
        return byte_col + 1
    return char_column_in(text, byte_col)


class Context:
    """Shared, lazily built analysis for one lint run."""

    def __init__(
        self,
        project: Project,
        settings: Settings,
        syntax_problems: list[SyntaxProblem],
        reported: frozenset[str] | None = None,
    ) -> None:
        self.project = project
        self.settings = settings
        self.syntax_problems = syntax_problems
        self.reported = reported  # the files findings are kept for (None: all)

    @cached_property
    def fastapi(self) -> FastAPIModel:
        return build_fastapi_model(self.project)

    @cached_property
    def loop(self) -> LoopAnalysis:
        return LoopAnalysis(self.project, self.fastapi, Knowledge(self.settings))

    def on_loop(self) -> Iterator[tuple[str, ModuleSummary]]:
        """The functions that run on the event loop, with their module, in the files whose
        findings are kept (the rest of the project is context: its findings are dropped)."""
        for qualname in self.loop.on_loop:
            summary = self.project.module_of[qualname]
            if self.reported is None or summary.path in self.reported:
                yield qualname, summary

    def finding(
        self,
        code: str,
        message: str,
        summary: ModuleSummary,
        line: int,
        col: int,
        end_line: int | None = None,
        end_col: int | None = None,
    ) -> Finding:
        """A finding at ``ast`` positions (byte columns) in ``summary``'s file."""
        end_line = end_line if end_line is not None else line
        end_col = end_col if end_col is not None else col
        return Finding(
            code=code,
            message=message,
            path=summary.path,
            line=line,
            col=char_column(summary, line, col),
            end_line=end_line,
            end_col=char_column(summary, end_line, end_col),
        )

    def at_call(self, code: str, message: str, summary: ModuleSummary, call: Expr) -> Finding:
        """A finding spanning a call expression."""
        return self.finding(
            code, message, summary, call[LINE], call[COL], call[END_LINE], call[END_COL]
        )

    def at_route(self, code: str, message: str, route: Route) -> Finding:
        """A finding on a route: its ``def`` when decorated, else the registering call."""
        function = route.function
        if route.decorated and function is not None:
            return self.finding(code, message, route.module, function.line, function.col)
        return self.at_call(code, message, route.module, route.call)
