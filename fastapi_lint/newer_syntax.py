"""Reading a file that this Python's parser rejects with the grammar of newer Pythons.

``ast.parse`` reads every file it accepts: those never come here. For one it rejects, libcst's
native parser (the grammar of Python 3.0 to 3.14 and beyond) reads the text again and
``cst_to_ast`` turns its tree into the ``ast`` tree the summariser reads, positions included.
``ast.parse``'s error stands, unchanged, when no Python accepts the file:

- libcst rejects it;
- libcst accepts it but this Python's parser rejects the same module spelt in syntax it reads
  (``cst_to_ast``'s ``old_syntax``: the newer constructs rewritten, every other character as
  written), so ``1 = x`` or ``f(**a, *b)`` beside a t-string is still an error;
- brackets nest deeper than CPython's tokenizer allows (200 levels, in every version).

libcst's parser takes time quadratic in the nesting of an expression (a chain ``a + b + ...`` of
3,000 terms takes seconds), and crashes the process past a few thousand levels on a small stack:
a statement nested deeper than ``MAX_NESTING`` (far beyond real code; ``measure`` counts it
cheaply) is not retried, and the error says so. Below that, the retry takes under two seconds
and runs on a thread with a large stack and recursion limit, so that the depth it accepts does
not depend on the platform's main thread (on 3.12, whose C recursion limit is fixed, libcst's
own recursion stops at some 700 levels: such a file is not retried either).
"""

from __future__ import annotations

import ast
import re
import sys
import threading
from collections.abc import Callable
from typing import Any

MAX_BRACKETS = 200  # CPython: "too many nested parentheses"
MAX_NESTING = 2000  # tokens on the longest path through one statement's nested expressions
STACK_SIZE = 256 * 1024 * 1024
RECURSION_LIMIT = 30_000
TOKEN = re.compile(
    r"""
      (?:[ \t\f]+|\\\r?\n|\\\r|\#[^\r\n]*)+
    | (?P<newline>\r\n|\r|\n)
    | (?P<string>(?:[rRbBuU]|[rR][bB]|[bB][rR])?(?:'''|\"\"\"|'|"))
    | (?P<fstring>(?:[fFtT]|[rR][fFtT]|[fFtT][rR])(?:'''|\"\"\"|'|"))
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<comma>[,;])
    | (?P<colon>:(?!=))
    | (?P<word>\w+|\S)
    """,
    re.VERBOSE,
)
STRING_END = {
    quote: re.compile(rf"(?:[^{quote[0]}\\\r\n]|\\(?:\r\n|[\s\S]))*(?:{quote})?")
    for quote in ("'", '"')
} | {
    quote: re.compile(rf"(?:[^{quote[0]}\\]|\\[\s\S]|{quote[0]}(?!{quote[1:]}))*(?:{quote}|\Z)")
    for quote in ("'''", '"""')
}
FSTRING_SPECIAL = {
    quote: re.compile(r"[{}\\\r\n" + quote[0] + "]") for quote in ("'", '"', "'''", '"""')
}


def parse(text: str, error: SyntaxError) -> ast.Module:
    """The tree of ``text``, which ``ast.parse`` rejected with ``error``; raises ``error`` if no
    Python accepts the text."""
    brackets, nesting = measure(text)
    if brackets > MAX_BRACKETS:
        raise error
    if nesting > MAX_NESTING:
        raise not_retried(error)
    try:
        tree, old_syntax = on_large_stack(read, text)
    except RecursionError:
        raise not_retried(error) from None
    if tree is None:
        raise error
    try:
        ast.parse(old_syntax)
    except SyntaxError:
        raise error from None
    except (ValueError, RecursionError, MemoryError):
        raise not_retried(error) from None
    return tree


def read(text: str) -> tuple[ast.Module | None, str]:
    """libcst's reading of ``text`` as an ``ast`` tree and in old syntax, or ``None``."""
    import libcst

    from fastapi_lint.cst_to_ast import Rejected, convert

    try:
        module = libcst.parse_module(text)
    except (libcst.ParserSyntaxError, libcst.CSTValidationError):
        return None, ""
    if module.code != text:  # libcst left out something it did not expect (``f"{x! r}"``)
        return None, ""
    try:
        return convert(module, text)
    except Rejected:
        return None, ""


def not_retried(error: SyntaxError) -> SyntaxError:
    """``error``, saying that newer grammar was not tried: the file is nested too deeply."""
    message = f"{error.msg} (nested too deeply to be read with the grammar of newer Pythons)"
    where = (error.filename, error.lineno, error.offset, error.text)
    return SyntaxError(message, (*where, error.end_lineno, error.end_offset))


def on_large_stack(function: Callable[[str], Any], text: str) -> Any:
    """``function(text)`` on a thread with a large stack and recursion limit: libcst's parser
    (native code) and its visitors recurse once per level of nesting. Where no such thread
    can be made, on this one."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append((True, function(text)))
        except BaseException as error:  # handed to the calling thread
            outcome.append((False, error))

    limit = sys.getrecursionlimit()
    try:
        size = threading.stack_size(STACK_SIZE)
    except (ValueError, RuntimeError):  # a platform that cannot set it
        return function(text)
    try:
        sys.setrecursionlimit(max(limit, RECURSION_LIMIT))
        thread = threading.Thread(target=run, name="fastapi-lint-newer-syntax", daemon=True)
        thread.start()
        thread.join()
    except RuntimeError:  # no thread that large
        sys.setrecursionlimit(limit)
        return function(text)
    finally:
        threading.stack_size(size)
        sys.setrecursionlimit(limit)
    done, value = outcome[0]
    if not done:
        raise value
    return value


def measure(text: str) -> tuple[int, int]:
    """(deepest bracket nesting, most tokens on a path through one statement's nested
    expressions), as libcst's parser would meet them: a cheap scan of the tokens that follows
    f-string and t-string replacement fields (PEP 701), and bounds how deep libcst recurses.

    Each bracket level counts the tokens of its current element (a comma starts the next) plus
    one per closed bracket level (its biggest element), so ``f(a + b, [c])`` is short and
    ``a + b + ...``, ``not not ...``, ``lambda: lambda: ...`` or ``"s" "s" ...`` grow with
    their length: each such level is one level of libcst's tree.
    """
    modes: list[tuple[str, str, bool, int]] = []  # ("text" | "spec" | "field", quote, raw, depth)
    levels = [[0, 0]]  # per bracket level: tokens of the current element, most in an element
    total = deepest = longest = 0
    position, size = 0, len(text)
    while position < size:
        if modes and modes[-1][0] != "field":
            position = skip_fstring_text(text, position, modes, levels)
            deepest = max(deepest, len(levels) - 1)
            continue
        match = TOKEN.match(text, position)
        assert match is not None  # every character starts a token
        position = match.end()
        kind = match.lastgroup
        if kind is None:  # blanks and comments
            continue
        if kind == "newline":
            if len(levels) == 1 and not modes:  # a statement ends
                levels[0] = [0, 0]
                total = 0
            continue
        if kind == "comma":
            current = levels[-1]
            total -= current[0]
            current[1] = max(current[1], current[0])
            current[0] = 0
            continue
        if kind == "open":  # a token of its level, opening the next
            levels[-1][0] += 1
            total += 1
            longest = max(longest, total)
            levels.append([0, 0])
            deepest = max(deepest, len(levels) - 1)
            continue
        if kind == "close":
            if len(levels) > 1:
                current, best = levels.pop()
                total -= current
                grown = max(current, best) + 1
                levels[-1][0] += grown
                total += grown
                longest = max(longest, total)
            if modes and len(levels) - 1 == modes[-1][3]:  # the end of a replacement field
                modes.pop()
            continue
        if kind == "colon" and modes and len(levels) - 1 == modes[-1][3] + 1:
            _, quote, raw, _ = modes[-2]
            modes.append(("spec", quote, raw, len(levels) - 1))
            continue
        levels[-1][0] += 1
        total += 1
        longest = max(longest, total)
        if kind == "string":
            quote = match.group()[len(match.group().rstrip("'\"")) :]
            position = STRING_END[quote].match(text, position).end()  # type: ignore[union-attr]
        elif kind == "fstring":
            token = match.group()
            quote = token[len(token.rstrip("'\"")) :]
            modes.append(("text", quote, "r" in token.lower(), len(levels) - 1))
    return deepest, longest


def skip_fstring_text(
    text: str, position: int, modes: list[tuple[str, str, bool, int]], levels: list[list[int]]
) -> int:
    """Scan the literal text of an f-string or of a format specification, up to a replacement
    field, the end of the string or the end of the specification; return where to go on."""
    kind, quote, raw, _ = modes[-1]
    special = FSTRING_SPECIAL[quote].search(text, position)
    if special is None:
        del modes[:]
        return len(text)
    char, position = special.group(), special.start()
    if char == "\\":
        if raw:
            return position + (2 if text[position + 1 : position + 2] in ("\\", quote[0]) else 1)
        if text.startswith("N{", position + 1):
            end = text.find("}", position)
            return len(text) if end < 0 else end + 1
        return position + (1 if text[position + 1 : position + 2] in ("{", "}") else 2)
    if char == "{":
        if kind == "text" and text.startswith("{{", position):
            return position + 2
        levels.append([0, 0])
        modes.append(("field", quote, raw, len(levels) - 2))
        return position + 1
    if char == "}":
        if kind == "text":
            return position + (2 if text.startswith("}}", position) else 1)
        modes.pop()  # a specification ends with its field
        return position  # the field's closing bracket, read as code
    if char in "\r\n":
        if len(quote) == 3:
            return position + 1
        end_string(modes, levels)  # unterminated: code again
        return position
    if text.startswith(quote, position):
        end_string(modes, levels)
        return position + len(quote)
    return position + 1


def end_string(modes: list[tuple[str, str, bool, int]], levels: list[list[int]]) -> None:
    """Leave the innermost f-string (and the field and specification it may be ending in)."""
    while modes:
        kind = modes.pop()[0]
        if kind == "field" and len(levels) > 1:
            levels.pop()
        if kind == "text":
            return
