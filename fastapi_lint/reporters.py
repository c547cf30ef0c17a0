"""Output formats: each turns a run's findings into the text printed on stdout."""

from __future__ import annotations

import importlib
import json
import os
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import NamedTuple

from fastapi_lint.config import Settings
from fastapi_lint.findings import Finding
from fastapi_lint.rules import all_rules
from fastapi_lint.source import decode, split_lines


def display_path(path: str) -> str:
    """``path`` relative to the cwd when it lies under it (``.`` for the cwd itself), else as
    given: as a user would have typed it."""
    absolute = os.path.abspath(path)
    if os.path.join(absolute, "").startswith(os.path.join(os.getcwd(), "")):
        return os.path.relpath(absolute)
    return path


def as_text(lines: Iterable[str]) -> str:
    """Lines joined, each ending with a newline; empty when there are none."""
    return "".join(f"{line}\n" for line in lines)


def header(finding: Finding) -> str:
    """``path:row:col: CODE message``."""
    location = f"{display_path(finding.path)}:{finding.line}:{finding.col}"
    return f"{location}: {finding.code} {finding.message}"


def count_line(findings: list[Finding]) -> str:
    if not findings:
        return "All checks passed!"
    return f"Found {len(findings)} error{'' if len(findings) == 1 else 's'}."


def concise(findings: list[Finding], settings: Settings) -> str:
    return as_text([*map(header, findings), count_line(findings)])


def source_lines(path: str) -> list[str]:
    """The file's lines as Python numbers them; empty when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return []
    try:
        text = decode(data)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        text = data.decode("utf-8", errors="replace")
    return split_lines(text)


def char_width(char: str) -> int:
    """Terminal cells a character takes: 0 when combining, 2 when East Asian wide."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def underline(text: str, start: int, end: int) -> str:
    """Blanks up to column ``start`` (tabs kept), then carets up to column ``end`` (exclusive)."""
    padding = "".join(
        char if char == "\t" else " " * char_width(char) for char in text[: start - 1]
    )
    carets = sum(char_width(char) for char in text[start - 1 : end - 1])
    return padding + "^" * max(carets, 1)


def snippet(finding: Finding, lines: list[str]) -> list[str]:
    """The finding's source line with its number, and carets under the reported range."""
    if not 1 <= finding.line <= len(lines):
        return []
    text = lines[finding.line - 1]
    start = min(finding.col, len(text) + 1)
    end = finding.end_col if finding.end_line == finding.line else len(text) + 1
    number = str(finding.line)
    return [f"{number} | {text}", f"{' ' * len(number)} | {underline(text, start, end)}"]


def full(findings: list[Finding], settings: Settings) -> str:
    """Each finding with its source line, and the fix offered for it, if any."""
    from fastapi_lint.apply_fixes import offered_fixes  # reads the files with fixable findings

    fixes = offered_fixes(findings, settings)
    files: dict[str, list[str]] = {}
    lines = []
    for finding in findings:
        if finding.path not in files:
            files[finding.path] = source_lines(finding.path)
        lines += [header(finding), *snippet(finding, files[finding.path])]
        fix = fixes.get(finding)
        if fix is not None:
            lines.append(f"= fix ({fix.applicability}): {fix.message}")
        lines.append("")
    return as_text([*lines, count_line(findings)])


def json_report(findings: list[Finding], settings: Settings) -> str:
    """ruff's JSON shape, each finding with the fix offered for it (safe or not), if any."""
    from fastapi_lint.apply_fixes import offered_fixes  # reads the files with fixable findings
    from fastapi_lint.json_output import to_json  # pydantic: only for JSON output

    fixes = offered_fixes(findings, settings)
    report = [to_json(f, fixes.get(f)) for f in findings]
    return as_text([json.dumps(report, indent=2, ensure_ascii=False)])


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub requires."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value, escaped as GitHub requires."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(finding: Finding) -> str:
    """A GitHub Actions ``::error`` workflow command."""
    properties = {
        "title": f"fastapi-lint ({finding.code})",
        "file": display_path(finding.path),
        "line": finding.line,
        "col": finding.col,
        "endLine": finding.end_line,
        "endColumn": finding.end_col,
    }
    joined = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::error {joined}::{escape_data(header(finding))}"


def github(findings: list[Finding], settings: Settings) -> str:
    return as_text(map(github_line, findings))


Reporter = Callable[[list[Finding], Settings], str]


def elsewhere(module: str, function: str) -> Reporter:
    """A format another module renders, imported when it is asked for (CI formats build on
    this module's)."""

    def render(findings: list[Finding], settings: Settings) -> str:
        return getattr(importlib.import_module(module), function)(findings, settings)

    return render


# each renders the findings of a run with its settings (the fixes they allow)
REPORTERS: dict[str, Reporter] = {
    "concise": concise,
    "full": full,
    "json": json_report,
    "json-lines": elsewhere("fastapi_lint.ci_reports", "json_lines"),
    "github": github,
    "gitlab": elsewhere("fastapi_lint.ci_reports", "gitlab"),
    "junit": elsewhere("fastapi_lint.ci_reports", "junit"),
    "pylint": elsewhere("fastapi_lint.ci_reports", "pylint"),
    "sarif": elsewhere("fastapi_lint.sarif", "sarif_log"),
}


class Statistic(NamedTuple):
    code: str
    name: str
    count: int


def statistics(findings: list[Finding]) -> list[Statistic]:
    """Findings per code, most frequent first, then by code."""
    counts = Counter(finding.code for finding in findings)
    rules = all_rules()
    return [
        Statistic(code=code, name=rules[code].name, count=count)
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics_text(findings: list[Finding]) -> str:
    return as_text(f"{s.count:>5}\t{s.code}\t{s.name}" for s in statistics(findings))


def statistics_json(findings: list[Finding]) -> str:
    from fastapi_lint.json_output import JsonStatistic

    rows = [JsonStatistic(**s._asdict()).model_dump() for s in statistics(findings)]
    return as_text([json.dumps(rows, indent=2, ensure_ascii=False)])
