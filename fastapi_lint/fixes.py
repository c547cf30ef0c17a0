"""Fixes: the edits a rule offers for a finding, and applying them (``check --fix``, ``--diff``).

A rule offers a fix through ``Rule.fix_for``, given the file's ``ast`` tree and text (read
again only when fixes are asked for). Fixes are applied in passes, as ruff does: each pass
lints the files as the previous pass left them, applies the fixes that touch none of the
others' text, and checks that every file it changed still parses.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi_lint.findings import Finding
from fastapi_lint.source import parse

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


class Source:
    """A file's text and tree, with the lookups fixes need."""

    def __init__(self, text: str, tree: ast.Module) -> None:
        self.text = text
        self.tree = tree
        self.lines = text.splitlines(keepends=True)
        self._parents: dict[int, ast.AST] | None = None

    def char_col(self, line: int, byte_col: int) -> int:
        """The 1-based character column of an ``ast`` byte offset."""
        if line > len(self.lines):
            return byte_col + 1
        encoded = self.lines[line - 1].encode("utf-8")
        return len(encoded[:byte_col].decode("utf-8", errors="ignore")) + 1

    def start(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        return node.lineno, self.char_col(node.lineno, node.col_offset)

    def end(self, node: ast.expr | ast.stmt) -> tuple[int, int]:
        end_line = node.end_lineno or node.lineno
        return end_line, self.char_col(end_line, node.end_col_offset or 0)

    def parent(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            self._parents = {
                id(child): parent
                for parent in ast.walk(self.tree)
                for child in ast.iter_child_nodes(parent)
            }
        return self._parents.get(id(node))

    def call_at(self, finding: Finding) -> ast.Call | None:
        """The call a finding spans."""
        for node in ast.walk(self.tree):
            if (
                type(node) is ast.Call
                and self.start(node) == (finding.line, finding.col)
                and self.end(node) == (finding.end_line, finding.end_col)
            ):
                return node
        return None

    def enclosing_function(self, node: ast.AST) -> ast.AST | None:
        """The innermost function, lambda or class around a node."""
        current = self.parent(node)
        while current is not None and not isinstance(
            current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
        ):
            current = self.parent(current)
        return current

    def module_names(self) -> dict[str, str | None]:
        """Names bound at the module's top level: what an import binds (``time`` for
        ``import time``, ``time.sleep`` for ``from time import sleep``), None for others."""
        names: dict[str, str | None] = {}
        for node in ast.walk(self.tree):
            if self.enclosing_function(node) is not None:
                continue
            if isinstance(node, ast.Import):
                for alias in node.names:
                    top = alias.name.split(".")[0]
                    names.setdefault(alias.asname or top, alias.name if alias.asname else top)
            elif isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    full = f"{node.module}.{alias.name}" if node.module and not node.level else None
                    names.setdefault(alias.asname or alias.name, full)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.setdefault(node.id, None)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.setdefault(node.name, None)
        return names

    def import_edit(self, module: str) -> Edit | None:
        """The edit that imports ``module`` at the top, after the docstring, ``__future__``
        imports and the imports the file starts with; None when it is imported already."""
        if self.module_names().get(module) == module:
            return None
        line = 1
        for index, statement in enumerate(self.tree.body):
            docstring = (
                index == 0
                and isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            )
            if not (docstring or isinstance(statement, (ast.Import, ast.ImportFrom))):
                break
            line = (statement.end_lineno or statement.lineno) + 1
        return Edit(f"import {module}\n", line, 1, line, 1)


Fixer = Callable[[Finding, Source], "Fix | None"]


def offsets(text: str) -> list[int]:
    """Where each line starts in ``text`` (index 0: line 1), and one past its end."""
    starts = [0]
    for line in text.splitlines(keepends=True):
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
        if any(start < end_ and begin < end for start, end, _ in new for begin, end_ in spans):
            continue
        if any(start == end and begin == start for start, end, _ in new for begin, _ in spans):
            continue  # two insertions at one place: which goes first is not ours to say
        for edit in new:
            taken[edit] = None
            spans.append((edit[0], edit[1]))
        applied.append(fix)
    for start, end, content in sorted(taken, key=lambda edit: (edit[0], edit[1]), reverse=True):
        text = text[:start] + content + text[end:]
    return text, applied


def fixes_by_file(
    findings: list[Finding], texts: dict[str, str], fixers: dict[str, Fixer], unsafe: bool
) -> dict[str, list[tuple[Finding, Fix]]]:
    """The fixes offered for ``findings``, by file (``texts``: the files' current text)."""
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
            if fix is not None and (fix.applicability == SAFE or unsafe):
                offered.append((finding, fix))
        if offered:
            found[path] = offered
    return found
