"""Reading code written for a newer Python than the one running the linter.

When ``ast.parse`` rejects a file, its text is rewritten into syntax this interpreter accepts,
keeping every line and column where it was, and parsed again:

- PEP 701 f-strings that reuse their own quote inside a replacement field get those inner
  quotes swapped (``f"{x["a"]}"`` -> ``f"{x['a']}"``), or their fields blanked when a swap
  cannot work;
- PEP 695 type parameters (``def f[T](...)``, ``class C[T]:``) are blanked out;
- PEP 695 ``type X = ...`` becomes ``_ty_=X = ...``, a chained assignment that still binds X;
- PEP 758 ``except A, B:`` becomes ``except(A,B):`` (same width when the comma has a space
  after it, which is the usual spelling).

Text rewriting keeps the one tree type (stdlib ``ast``) and costs nothing for the files that
parse; libcst could parse these files too, but its tree would need a converter of its own and
its parser is about nine times slower.
"""

from __future__ import annotations

import io
import keyword
import re
import tokenize

STRING_START = re.compile(r"(?i)(?<![\w])(rb|br|fr|rf|[rbuf])?('''|\"\"\"|'|\")")


def downlevel(text: str) -> str:
    """The same program in older syntax, with identical line and column positions."""
    text = rewrite_fstrings(text)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return text
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, int, int, str]] = []  # (row, col, end_row, end_col, text)
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME:
            continue
        if token.string in ("def", "class") and index + 2 < len(tokens):
            bracket = tokens[index + 2]
            if bracket.string == "[":
                close = matching(tokens, index + 2)
                if close is not None:
                    edits.append((*bracket.start, *tokens[close].end, ""))
        elif token.string == "type" and starts_statement(tokens, index):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if (
                following is not None
                and following.type == tokenize.NAME
                and not keyword.iskeyword(following.string)
            ):
                edits.append((*token.start, *following.start, "_ty_="))
                if index + 2 < len(tokens) and tokens[index + 2].string == "[":
                    close = matching(tokens, index + 2)
                    if close is not None:
                        edits.append((*tokens[index + 2].start, *tokens[close].end, ""))
        elif token.string == "except":
            edits += except_group(tokens, index, lines)
    return apply(lines, edits)


def starts_statement(tokens: list[tokenize.TokenInfo], index: int) -> bool:
    """Whether the token begins a logical line (so ``type`` is the soft keyword)."""
    previous = tokens[index - 1] if index else None
    return (
        previous is None
        or previous.type
        in (
            tokenize.NEWLINE,
            tokenize.NL,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENCODING,
        )
        or previous.string == ";"
    )


def matching(tokens: list[tokenize.TokenInfo], index: int) -> int | None:
    """The index of the bracket closing the one at ``index``."""
    depth = 0
    for position in range(index, len(tokens)):
        text = tokens[position].string
        if text in "([{" and tokens[position].type == tokenize.OP:
            depth += 1
        elif text in ")]}" and tokens[position].type == tokenize.OP:
            depth -= 1
            if depth == 0:
                return position
    return None


def except_group(tokens: list[tokenize.TokenInfo], index: int, lines: list[str]) -> list:
    """``except A, B:`` (unparenthesised) -> ``except(A,B):``, one space stolen if possible."""
    position = index + 1
    if position < len(tokens) and tokens[position].string == "*":
        position += 1
    first = position
    depth = 0
    comma = None
    while position < len(tokens):
        token = tokens[position]
        if token.type == tokenize.OP and token.string in "([{":
            depth += 1
        elif token.type == tokenize.OP and token.string in ")]}":
            depth -= 1
        elif depth == 0 and token.string == "," and comma is None:
            comma = position
        elif (depth == 0 and token.string in (":", "as")) or token.type == tokenize.NEWLINE:
            break
        position += 1
    if comma is None or first >= position:
        return []
    row, col = tokens[first - 1].end
    end_row, end_col = tokens[position - 1].end
    if row != end_row:
        return []
    segment = lines[row - 1][col:end_col]
    names = segment.strip()
    gap = len(segment) - len(segment.lstrip())
    comma_col = tokens[comma].end[1] - col
    if segment[comma_col : comma_col + 1] == " ":
        names = (segment[:comma_col] + segment[comma_col + 1 :]).strip()
        replacement = " " * (gap - 1) + "(" + names + ")" if gap else "(" + names + ")"
    else:
        replacement = " " * max(gap - 1, 0) + "(" + names + ")"
    return [(row, col, end_row, end_col, replacement)]


def apply(lines: list[str], edits: list[tuple[int, int, int, int, str]]) -> str:
    """Replace each span, padding with spaces (newlines kept) so later text does not move."""
    for row, col, end_row, end_col, replacement in sorted(edits, reverse=True):
        if row == end_row:
            line = lines[row - 1]
            width = end_col - col
            filler = replacement.ljust(width) if len(replacement) <= width else replacement
            lines[row - 1] = line[:col] + filler + line[end_col:]
        else:
            first = lines[row - 1]
            lines[row - 1] = first[:col] + replacement.ljust(len(first) - col - 1) + "\n"
            for middle in range(row, end_row - 1):
                lines[middle] = " " * (len(lines[middle]) - 1) + "\n"
            last = lines[end_row - 1]
            lines[end_row - 1] = " " * end_col + last[end_col:]
    return "".join(lines)


# -- f-strings (PEP 701) -------------------------------------------------------------------


def rewrite_fstrings(text: str) -> str:
    """Make f-strings acceptable to a pre-3.12 parser, keeping their width."""
    out = list(text)
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char == "#":
            newline = text.find("\n", position)
            position = length if newline == -1 else newline
            continue
        match = STRING_START.match(text, position) if char in "'\"rRbBuUfF" else None
        if match is None:
            position += 1
            continue
        prefix, quote = (match.group(1) or ""), match.group(2)
        body = match.end()
        if "f" in prefix.lower():
            end, fields = fstring_end(text, body, quote, "r" in prefix.lower())
            if end is None:
                return text
            fix_fields(text, out, fields, quote)
        else:
            end = string_end(text, body, quote, "r" in prefix.lower())
            if end is None:
                return text
        position = end
    return "".join(out)


def string_end(text: str, start: int, quote: str, raw: bool) -> int | None:
    """Where a plain string literal whose body starts at ``start`` ends."""
    position = start
    while position < len(text):
        if text[position] == "\\":
            position += 2
            continue
        if text.startswith(quote, position):
            return position + len(quote)
        if text[position] == "\n" and len(quote) == 1:
            return None
        position += 1
    return None


def fstring_end(text: str, start: int, quote: str, raw: bool) -> tuple[int | None, list]:
    """Where an f-string ends, and the spans of its replacement fields (PEP 701 nesting)."""
    position = start
    fields: list[tuple[int, int]] = []
    while position < len(text):
        char = text[position]
        if char == "\\" and not raw:
            position += 2
            continue
        if text.startswith(quote, position):
            return position + len(quote), fields
        if char == "{":
            if text.startswith("{{", position):
                position += 2
                continue
            close = field_end(text, position + 1)
            if close is None:
                return None, fields
            fields.append((position + 1, close))
            position = close + 1
            continue
        if char == "\n" and len(quote) == 1:
            return None, fields
        position += 1
    return None, fields


def field_end(text: str, start: int) -> int | None:
    """The ``}`` closing a replacement field whose expression starts at ``start``."""
    depth = 0
    position = start
    while position < len(text):
        char = text[position]
        match = STRING_START.match(text, position) if char in "'\"rRbBuUfF" else None
        if match is not None and (match.group(1) or char in "'\""):
            prefix, quote = (match.group(1) or ""), match.group(2)
            if "f" in prefix.lower():
                end, _ = fstring_end(text, match.end(), quote, "r" in prefix.lower())
            else:
                end = string_end(text, match.end(), quote, "r" in prefix.lower())
            if end is None:
                return None
            position = end
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                return position if char == "}" else None
            depth -= 1
        position += 1
    return None


def fix_fields(text: str, out: list[str], fields: list[tuple[int, int]], quote: str) -> None:
    """Swap reused quotes inside fields, or blank a field that old Pythons cannot read."""
    other = "'" if quote[0] == '"' else '"'
    for start, end in fields:
        field = text[start:end]
        plain = "\\" not in field and "#" not in field
        if plain and quote[0] not in field and (len(quote) == 3 or "\n" not in field):
            continue
        if plain and other not in field and "\n" not in field:
            for index in range(start, end):
                if text[index] == quote[0]:
                    out[index] = other
            continue
        for index in range(start, end):
            if text[index] != "\n":
                out[index] = " "
        out[start] = "0"
