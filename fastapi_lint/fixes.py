"""Fixes: the edits a rule offers for a finding, and applying them (``check --fix``, ``--diff``).

A rule offers a fix through ``Rule.fix_for``, given the file's ``ast`` tree and text (read
again only when fixes are applied or shown). Fixes are applied in passes, as ruff does: each pass
lints the files as the previous pass left them, applies the fixes that touch none of the
others' text, and checks that every file it changed still parses.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fastapi_lint.findings import Finding
from fastapi_lint.source import LINE_BREAK, char_column_in, lines_with_ends, parse

SAFE, UNSAFE = "safe", "unsafe"
MAX_PASSES = 10


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text from (line, col) up to (end_line, end_col) with ``content``; 1-based
    lines and character columns, as findings have them (equal ends: an insertion)."""

    content: str
    line: int
    col: int
    end_line: int
    end_col: int


@dataclass(frozen=True, slots=True)
class Fix:
    """What a finding's fix does, how safe it is, and its edits."""

    applicability: str
    message: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call, the node it is a child of, and the innermost function, lambda or class
    around it (None at module level)."""

    call: ast.Call
    holder: ast.AST | None
    function: ast.AST | None


class Source:
    """A file's text and tree, with the lookups fixes need."""

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.text = text
        self.tree = tree
        self.lines = lines_with_ends(text)
        found = LINE_BREAK.search(text)
        self.newline = found.group() if found else "\n"  # what a line it adds ends with
        self._names: dict[str, str | None] | None = None

    def char_col(self, line: int, byte_col: int) -> int:
        """The 1-based character column of an ``ast`` byte offset."""
        if line > len(self.lines):
            return byte_col + 1
        return char_column_in(self.lines[line - 1], byte_col)

    def start(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        return node.lineno, self.char_col(node.lineno, node.col_offset)

    def end(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        end_line = node.end_lineno or node.lineno
        return end_line, self.char_col(end_line, node.end_col_offset or 0)

    def call_site(self, finding: Finding) -> CallSite | None:
        """The call a finding spans, the node holding it and the function around it, found
        by descending only into the nodes whose lines hold the finding's."""
        line, end_line = finding.line, finding.end_line
        scopes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
        root: tuple[ast.AST, ...] = (self.tree,)
        stack = [(child, root) for child in ast.iter_child_nodes(self.tree)]
        while stack:
            node, path = stack.pop()
            first = getattr(node, "lineno", None)
            if first is not None and not first <= line <= end_line <= (node.end_lineno or first):
                continue
            if (
                type(node) is ast.Call
                and self.start(node) == (line, finding.col)
                and self.end(node) == (end_line, finding.end_col)
            ):
                around = next((n for n in reversed(path) if isinstance(n, scopes)), None)
                return CallSite(node, path[-1], around)
            inner = (*path, node)
            stack += [(child, inner) for child in ast.iter_child_nodes(node)]
        return None

    def function_at(self, finding: Finding) -> ast.AST | None:
        """The ``def`` a finding is reported on."""
        for node in ast.walk(self.tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and self.start(node) == (
                finding.line,
                finding.col,
            ):
                return node
        return None

    @staticmethod
    def returns_of(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Return]:
        """The function's own ``return`` statements (not those of functions inside it)."""
        return [node for node in own_nodes(function) if isinstance(node, ast.Return)]

    @staticmethod
    def awaits(function: ast.AsyncFunctionDef) -> bool:
        """Whether an ``async def`` has an ``await``, ``async for``, ``async with`` or async
        comprehension of its own (not in a function inside it)."""
        return any(
            isinstance(node, (ast.Await, ast.AsyncFor, ast.AsyncWith))
            or (isinstance(node, ast.comprehension) and node.is_async)
            for node in own_nodes(function)
        )

    def bound_before(self, name: str, line: int) -> bool:
        """Whether a module-level import, class or assignment ending before ``line`` binds
        ``name`` (an annotation is evaluated when its ``def`` runs)."""
        for node in self.tree.body:
            if (node.end_lineno or node.lineno) >= line:
                break
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                bound = {a.asname or a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ClassDef):
                bound = {node.name}
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                bound = {t.id for t in targets if isinstance(t, ast.Name)}
            else:
                continue
            if name in bound:
                return True
        return False

    def header_colon(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> tuple[int, int] | None:
        """Where the colon that ends a ``def``'s header is (1-based line, column)."""
        first = function.lineno
        header = "".join(self.lines[first - 1 : function.body[0].lineno])
        depth = 0
        seen_def = False
        try:
            for token in tokenize.generate_tokens(io.StringIO(header).readline):
                if token.type == tokenize.NAME and token.string == "def":
                    seen_def = True
                elif token.type == tokenize.OP and seen_def:
                    if token.string in "([{":
                        depth += 1
                    elif token.string in ")]}":
                        depth -= 1
                    elif token.string == ":" and depth == 0:
                        line = first + token.start[0] - 1
                        return line, token.start[1] + 1
        except (tokenize.TokenError, SyntaxError):
            return None
        return None

    def module_names(self) -> dict[str, str | None]:
        """Names bound at the module's top level: what an import binds (``time`` for
        ``import time``, ``time.sleep`` for ``from time import sleep``), None for others."""
        if self._names is not None:
            return self._names
        names: dict[str, str | None] = {}
        pending: deque[ast.AST] = deque(self.tree.body)
        while pending:
            node = pending.popleft()
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    names.setdefault(alias.asname or top, alias.name if alias.asname else top)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}" if node.module and not node.level else None
                    names.setdefault(alias.asname or alias.name, full)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.setdefault(node.name, None)
                continue  # their bodies bind their own names
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.setdefault(node.id, None)
            if not isinstance(node, ast.Lambda):
                pending.extend(ast.iter_child_nodes(node))
        self._names = names
        return names

    def import_edit(self, module: str) -> Edit | None:
        """The edit that imports ``module``; None when the module imports it already."""
        if self.module_names().get(module) == module:
            return None
        return self.import_line(f"import {module}")

    def import_line(self, statement: str) -> Edit:
        """The edit that adds an import statement at the top: after the docstring, the
        ``__future__`` imports and the imports the file starts with."""
        line = 1
        for index, node in enumerate(self.tree.body):
            docstring = (
                index == 0
                and isinstance(node, ast.Expr)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            )
            if not (docstring or isinstance(node, (ast.Import, ast.ImportFrom))):
                break
            line = (node.end_lineno or node.lineno) + 1
        return Edit(f"{statement}{self.newline}", line, 1, line, 1)

    def text_at(self, position: tuple[int, int], length: int) -> str:
        """The ``length`` characters of a line from a 1-based (line, column) position."""
        line, col = position
        if line > len(self.lines):
            return ""
        return self.lines[line - 1][col - 1 : col - 1 + length]


Fixer = Callable[[Finding, Source], "Fix | None"]
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def own_nodes(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[ast.AST]:
    """The nodes of a function's body, but not those of the functions and classes in it."""
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, SCOPES):
            pending.extend(ast.iter_child_nodes(node))


def offsets(text: str) -> list[int]:
    """Where each line starts in ``text`` (index 0: line 1), and one past its end."""
    starts = [0]
    for line in lines_with_ends(text):
        starts.append(starts[-1] + len(line))
    return starts


def apply(text: str, fixes: list[Fix]) -> tuple[str, list[Fix]]:
    """The text with the fixes whose edits touch no other applied fix's text (the same edit
    offered by several, such as one import, is made once), and the fixes applied."""
    starts = offsets(text)

    def position(line: int, col: int) -> int:
        return starts[min(line, len(starts)) - 1] + col - 1

    taken: dict[tuple[int, int, str], None] = {}
    spans: list[tuple[int, int]] = []
    applied = []
    for fix in fixes:
        edits = [
            (position(e.line, e.col), position(e.end_line, e.end_col), e.content) for e in fix.edits
        ]
        new = [edit for edit in edits if edit not in taken]
        if any(clash(edit[:2], span) for edit in new for span in spans):
            continue
        for edit in new:
            taken[edit] = None
            spans.append((edit[0], edit[1]))
        applied.append(fix)
    for start, end, content in sorted(taken, key=lambda edit: (edit[0], edit[1]), reverse=True):
        text = text[:start] + content + text[end:]
    return text, applied


def clash(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two edits' spans (start, end offsets) touch the same text, or an insertion
    and another edit start at one place, where which goes first is not ours to say."""
    (start, end), (begin, finish) = one, other
    if start < finish and begin < end:
        return True
    return start == begin and (start == end or begin == finish)


def fixes_by_file(
    findings: list[Finding],
    texts: dict[str, str],
    fixers: dict[str, Fixer],
    wanted_fix: Callable[[Finding, Fix], bool],
) -> dict[str, list[tuple[Finding, Fix]]]:
    """The fixes offered for ``findings`` that are wanted, by file (``texts``: the files'
    current text)."""
    wanted: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.code in fixers and finding.path in texts:
            wanted[finding.path].append(finding)
    found: dict[str, list[tuple[Finding, Fix]]] = {}
    for path, its_findings in wanted.items():
        try:
            source = Source(texts[path], parse(texts[path]))
        except SyntaxError:
            continue
        offered = []
        for finding in sorted(its_findings, key=lambda f: f.sort_key):
            fix = fixers[finding.code](finding, source)
            if fix is not None and wanted_fix(finding, fix):
                offered.append((finding, fix))
        if offered:
            found[path] = offered
    return found


THREADPOOL = "starlette.concurrency.run_in_threadpool"
THREADPOOL_IMPORT = "from starlette.concurrency import run_in_threadpool"
THREADPOOL_NAMES = frozenset({THREADPOOL, "fastapi.concurrency.run_in_threadpool"})
FRAMEWORKS = ("fastapi", "starlette")


def threadpool_fix(finding: Finding, source: Source) -> Fix | None:
    """A blocking call written as a statement or an assignment's value in an ``async def``,
    run in a worker thread instead: ``await run_in_threadpool(func, *args, **kwargs)`` in a
    module that uses FastAPI or Starlette (importing it from ``starlette.concurrency``), else
    ``await asyncio.to_thread(...)``. Unsafe: the call then runs in another thread, where
    what it shares with the loop's code is no longer safe to touch."""
    site = source.call_site(finding)
    if site is None or not isinstance(site.function, ast.AsyncFunctionDef):
        return None
    call, holder = site.call, site.holder
    if any(keyword.arg == "func" for keyword in call.keywords):
        return None
    if not (
        isinstance(holder, ast.Expr)
        or (isinstance(holder, (ast.Assign, ast.AnnAssign)) and holder.value is call)
    ):
        return None
    func_end = source.end(call.func)
    if source.text_at(func_end, 1) != "(":  # `(obj.method)(x)`, a comment before the `(`
        return None
    names = source.module_names()
    if any((value or "").startswith(FRAMEWORKS) for value in names.values()):
        if names.get("run_in_threadpool", THREADPOOL) not in THREADPOOL_NAMES:
            return None
        wrapper = "run_in_threadpool"
        imports = None if "run_in_threadpool" in names else source.import_line(THREADPOOL_IMPORT)
    else:
        if names.get("asyncio", "asyncio") != "asyncio":
            return None
        wrapper = "asyncio.to_thread"
        imports = source.import_edit("asyncio")
    line, col = func_end
    separator = ""
    if call.args or call.keywords:  # `(` ending its line: no blank left before the break
        separator = "," if source.text_at((line, col + 1), 1) in ("", "\n", "\r") else ", "
    edits = [
        Edit(f"await {wrapper}(", *source.start(call), *source.start(call)),
        Edit(separator, line, col, line, col + 1),
    ]
    if imports is not None:
        edits.append(imports)
    return Fix(UNSAFE, f"Run it in a worker thread: `await {wrapper}(...)`", tuple(edits))
