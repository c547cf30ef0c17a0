"""Reading one file: bytes, encoding, ``ast`` tree, ``# noqa`` comments, and its summary
(and writing it back, for the commands that edit files)."""

from __future__ import annotations

import ast
import io
import os
import re
import tempfile
import tokenize
from dataclasses import dataclass

from fastapi_lint.summarize import summarize
from fastapi_lint.summary import ModuleSummary

# `\s` but not a line break: a comment ends with its line
NOQA = re.compile(
    r"#[^\S\r\n]*noqa(?::[^\S\r\n]?(?P<codes>[A-Z]+[0-9]+(?:(?:,|[^\S\r\n])+[A-Z]+[0-9]+)*))?",
    re.IGNORECASE,
)
CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)
# flake8 skips a file with a line that starts with this (codes after it or not)
SKIP_FILE = re.compile(r"# flake8[:=][^\S\r\n]*noqa", re.IGNORECASE)
WHOLE_FILE = 0  # the line number under which such a file's noqa table holds it
LINE_BREAK = re.compile(r"\r\n|\r|\n")
LINE_BREAK_KEPT = re.compile(r"(\r\n|\r|\n)")  # split keeps the breaks at odd indexes
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def split_lines(text: str) -> list[str]:
    """Lines as Python numbers them: only CR, LF and CRLF end a line (not form feeds)."""
    return LINE_BREAK.split(text)


def char_column_in(line: str, byte_col: int) -> int:
    """The 1-based character column of ``ast``'s 0-based UTF-8 byte offset into ``line``."""
    return len(line.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore")) + 1


def lines_with_ends(text: str) -> list[str]:
    """The lines as Python numbers them, each with its line break (``str.splitlines`` also
    breaks at form feeds and other separators, which would shift every line after them)."""
    parts = LINE_BREAK_KEPT.split(text)
    lines = [line + end for line, end in zip(parts[::2], parts[1::2], strict=False)]
    return [*lines, parts[-1]] if parts[-1] else lines


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """A file that could not be parsed; positions are 1-based."""

    path: str
    message: str
    line: int
    col: int
    noqa: dict[int, frozenset[str] | None]

    def to_data(self) -> tuple:
        return (self.path, self.message, self.line, self.col, self.noqa)


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A file that could not be read at all."""

    path: str
    message: str


def decode(data: bytes) -> str:
    """Source text, honouring a BOM or coding cookie as Python does."""
    return data.decode(encoding_of(data))


def encoding_of(data: bytes) -> str:
    """The encoding Python reads a file's bytes with: its BOM's, its coding cookie's, or UTF-8."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return encoding


READ_ERRORS = (OSError, SyntaxError, UnicodeDecodeError)  # what read_source may raise


def read_source(path: str) -> tuple[bytes, str, str]:
    """A file to edit: its bytes, their encoding, and its text."""
    with open(path, "rb") as handle:
        data = handle.read()
    encoding = encoding_of(data)
    return data, encoding, data.decode(encoding)


def replace_file(path: str, data: bytes) -> None:
    """Replace a file's bytes in one step (a temporary file beside it, renamed over it),
    keeping its permissions."""
    mode = os.stat(path).st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def noqa_comments(text: str) -> dict[int, frozenset[str] | None]:
    """Line -> codes silenced there (``None`` for a bare ``# noqa``); the first on a line counts.

    A comment on the last of several lines Python reads as one (a string spanning lines, a
    backslash continuation) covers all of them, as in flake8 and ruff; the tokenizer runs only
    when a ``# noqa`` line may end such lines. A file flake8 skips (``# flake8: noqa``) has
    ``WHOLE_FILE`` in its table.
    """
    found: dict[int, frozenset[str] | None] = {}
    joined = False
    line, counted = 1, 0
    for match in NOQA.finditer(text):
        start, before = match.start(), counted
        line += line_breaks(text, counted, start)
        counted = start
        if line in found:
            continue
        codes = match.group("codes")
        found[line] = frozenset(c.upper() for c in CODE.findall(codes)) if codes else None
        if not joined:
            begin = line_start(text, before, start)
            joined = may_end_joined_lines(text, begin, text[begin : line_end(text, start)])
    if joined:
        for first, last in joined_lines(text):
            if last in found:
                for number in range(first, last):
                    found.setdefault(number, found[last])
    if skipped_by_flake8(text):
        found[WHOLE_FILE] = None
    return found


def skipped_by_flake8(text: str) -> bool:
    """Whether a line starts with ``# flake8: noqa`` (after blanks): flake8 then skips the file."""
    for match in SKIP_FILE.finditer(text):
        start = match.start()
        if not text[line_start(text, 0, start) : start].strip():
            return True
    return False


def may_end_joined_lines(text: str, begin: int, line: str) -> bool:
    """Whether the line starting at ``begin`` may end lines read as one: it closes a
    triple-quoted string, or the line before it ends with a backslash."""
    if '"""' in line or "'''" in line:
        return True
    before = begin - 2 if text.startswith("\r\n", begin - 2) else begin - 1
    return before > 0 and text[before - 1] == "\\"


def line_start(text: str, low: int, position: int) -> int:
    """Where the line holding ``position`` starts, given that it starts at ``low`` or after
    (so a file of many such lines is not searched back to its top for each)."""
    return max(text.rfind("\n", low, position), text.rfind("\r", low, position), low - 1) + 1


def line_end(text: str, position: int) -> int:
    """Where the line holding ``position`` ends, before its line break."""
    found = LINE_BREAK.search(text, position)
    return found.start() if found else len(text)


def line_breaks(text: str, start: int, end: int) -> int:
    """How many lines end between two offsets (CRLF, CR and LF each end one)."""
    return (
        text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)
    )


def joined_lines(text: str) -> list[tuple[int, int]]:
    """(first line, last line) of each run of lines the tokenizer reads as one: the tokens
    between two line ends (NL, NEWLINE) that cover several lines, as flake8 maps ``# noqa``."""
    spans = []
    first = last = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.DEDENT or token.type == tokenize.ENDMARKER:
                continue
            first = first or token.start[0]
            last = max(last, token.end[0])
            if token.type == tokenize.NL or token.type == tokenize.NEWLINE:
                if last > first:
                    spans.append((first, last))
                first = last = 0
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass
    return spans


def wide_lines(text: str) -> dict[int, str]:
    """The lines holding non-ASCII characters, where byte and character columns differ."""
    found: dict[int, str] = {}
    if text.isascii():
        return found
    line, counted = 1, 0
    match = NON_ASCII.search(text)
    while match is not None:
        start, before = match.start(), counted
        line += line_breaks(text, counted, start)
        counted = start
        end = line_end(text, start)
        found[line] = text[line_start(text, before, start) : end]
        match = NON_ASCII.search(text, end)
    return found


def analyse(
    path: str, module: str, is_package: bool
) -> ModuleSummary | SyntaxProblem | ReadProblem:
    """Read, parse and summarise one file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return ReadProblem(path, f"cannot read: {error.strerror or error}")
    try:
        text = decode(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as error:
        line, col = undecodable_position(data, error)
        noqa = noqa_comments(data.decode("utf-8", errors="replace"))
        reason = error.msg if isinstance(error, SyntaxError) else error
        return SyntaxProblem(path, f"cannot decode source: {reason}", line, col, noqa)
    return analyse_text(text, path, module, is_package)


def analyse_text(
    text: str, path: str, module: str, is_package: bool
) -> ModuleSummary | SyntaxProblem:
    """Parse and summarise the source of one file (read already: an editor's buffer)."""
    noqa = noqa_comments(text)
    if "\0" in text:
        line, col = char_position(text, text.index("\0"))
        return SyntaxProblem(path, "source code cannot contain null bytes", line, col, noqa)
    try:
        tree = parse(text)
    except SyntaxError as error:
        return SyntaxProblem(path, error.msg, error.lineno or 1, error.offset or 1, noqa)
    except (ValueError, RecursionError, MemoryError) as error:
        reason = str(error) or "nested too deeply for this Python's parser"
        return SyntaxProblem(path, f"cannot parse: {reason}", 1, 1, noqa)
    return summarize(tree, path, module, is_package, noqa, wide_lines(text))


def summarize_parsed(
    tree: ast.Module, text: str, path: str, module: str, is_package: bool
) -> ModuleSummary:
    """The summary of source parsed already (an editor's buffer that flake8 parsed)."""
    return summarize(tree, path, module, is_package, noqa_comments(text), wide_lines(text))


def char_position(text: str, index: int) -> tuple[int, int]:
    """1-based line and character column of a text offset."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def undecodable_position(data: bytes, error: Exception) -> tuple[int, int]:
    """Where decoding failed: the first byte the declared (or default UTF-8) codec rejects."""
    if isinstance(error, UnicodeDecodeError):
        return byte_position(data, error.start, error.encoding)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        return byte_position(data, utf8_error.start, "utf-8")
    return 1, 1


def byte_position(data: bytes, index: int, encoding: str) -> tuple[int, int]:
    """1-based line and character column of a byte offset (the line decoded up to it)."""
    line_start = data.rfind(b"\n", 0, index) + 1
    before = data[line_start:index].decode(encoding, errors="replace")
    return data.count(b"\n", 0, index) + 1, len(before) + 1


def parse(text: str) -> ast.Module:
    """The module's tree; a file this Python rejects is read again with the grammar of newer
    Pythons (``newer_syntax``, which imports libcst), and ``ast.parse``'s error stands if none
    accepts it.

    No file name is given to ``ast.parse``: with one, CPython re-reads the failing line from
    disk as bytes and reports a wrong column for BOMs, non-UTF-8 files and long lines.
    """
    try:
        return ast.parse(text)
    except SyntaxError as error:
        from fastapi_lint import newer_syntax

        return newer_syntax.parse(text, error)
