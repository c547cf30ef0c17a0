"""``check --add-noqa``: silence every finding where it is reported, by editing the files."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from fastapi_lint.findings import Finding
from fastapi_lint.replay import Stamp, stamp
from fastapi_lint.source import (
    CODE,
    LINE_BREAK_KEPT,
    NOQA,
    READ_ERRORS,
    joined_lines,
    parse,
    read_source,
    replace_file,
)

SYNTAX_ERROR = "FAL001"  # a file that does not parse: a comment could land inside a string


@dataclass
class Added:
    """What ``--add-noqa`` did: directives written, files written, files left as they were."""

    directives: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    syntax_errors: int = 0


def directive_lines(text: str, findings: list[Finding]) -> dict[int, set[str]]:
    """The line each finding's ``# noqa`` goes on, with the codes it must name: the finding's
    own line, or the last of the lines Python reads as one with it (a string spanning lines, a
    backslash continuation), the line whose comment covers them all."""
    last_of: dict[int, int] = {}
    for first, last in joined_lines(text):
        for number in range(first, last):
            last_of[number] = last
    wanted: dict[int, set[str]] = defaultdict(set)
    for finding in findings:
        wanted[last_of.get(finding.line, finding.line)].add(finding.code)
    return wanted


def with_codes(line: str, codes: set[str]) -> str | None:
    """``line`` with a ``# noqa`` naming ``codes``, added to the one it has if it has one;
    None when it needs no change (a bare ``# noqa`` silences every code already)."""
    match = NOQA.search(line)
    if match is None:
        stripped = line.rstrip(" \t")
        return f"{stripped}  # noqa: {', '.join(sorted(codes))}"
    listed = match.group("codes")
    if listed is None:
        return None
    missing = sorted(codes - {code.upper() for code in CODE.findall(listed)})
    if not missing:
        return None
    end = match.end("codes")
    return f"{line[:end]}, {', '.join(missing)}{line[end:]}"


def edited(text: str, findings: list[Finding]) -> tuple[str, int]:
    """The text with the directives its findings need, and how many lines changed."""
    parts = LINE_BREAK_KEPT.split(text)
    changed = 0
    for number, codes in sorted(directive_lines(text, findings).items()):
        index = 2 * (number - 1)
        if index >= len(parts):
            continue
        line = with_codes(parts[index], codes)
        if line is not None:
            parts[index] = line
            changed += 1
    return "".join(parts), changed


def add_noqa(findings: list[Finding], stamps: dict[str, Stamp]) -> Added:
    """Write the directives that silence ``findings`` into their files. A file whose stamp
    differs from the one it had when it was linted (``stamps``, when the run took them) is left
    alone, as is one that would no longer parse; each file is replaced in one step."""
    added = Added()
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.code == SYNTAX_ERROR:
            added.syntax_errors += 1
        else:
            by_file[finding.path].append(finding)
    for path, found in sorted(by_file.items()):
        if path in stamps and stamp(path) != stamps[path]:
            added.problems.append(f"{path}: changed since it was linted; not edited")
            continue
        try:
            _, encoding, text = read_source(path)
        except READ_ERRORS as problem:
            added.problems.append(f"{path}: cannot read: {problem}")
            continue
        new_text, changed = edited(text, found)
        if not changed:
            continue
        try:
            parse(new_text)
        except SyntaxError:
            added.problems.append(f"{path}: would not parse with the directives; not edited")
            continue
        try:
            replace_file(path, new_text.encode(encoding))
        except OSError as problem:
            added.problems.append(f"{path}: cannot write: {problem.strerror or problem}")
            continue
        added.directives += changed
        added.files += 1
    return added
