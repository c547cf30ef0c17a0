"""``check --fix`` and ``--diff``: fixes applied in passes to the files' texts in memory, each
pass linting what the previous one left; then written (each file in one step) or shown."""

from __future__ import annotations

import ast
import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from fastapi_lint.cache import Cache
from fastapi_lint.config import Settings
from fastapi_lint.engine import LintResult, lint
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import MAX_PASSES, SAFE, Fix, Fixer, apply, fixes_by_file
from fastapi_lint.rules import all_rules
from fastapi_lint.source import READ_ERRORS, lines_with_ends, parse, read_source, replace_file


@dataclass
class Fixed:
    """Files as the fixes leave them, the fixes applied, and the findings left."""

    texts: dict[str, str] = field(default_factory=dict)  # changed files: path -> text
    trees: dict[str, ast.Module] = field(default_factory=dict)  # their trees
    originals: dict[str, bytes] = field(default_factory=dict)  # their bytes as read
    encodings: dict[str, str] = field(default_factory=dict)
    applied: list[tuple[Finding, Fix]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    result: LintResult = field(default_factory=LintResult)


def fixers(settings: Settings) -> dict[str, Fixer]:
    """The fix of each enabled rule that has fixes."""
    return {
        code: rule(settings.options_for(rule.name)).fix_for
        for code, rule in all_rules().items()
        if rule.fix != "none" and settings.enabled(code) and settings.may_fix(code)
    }


def offered_fixes(findings: list[Finding], settings: Settings) -> dict[Finding, Fix]:
    """The fix each finding is offered, safe or not, from its file as it is on disk: those of
    the rules ``fixable`` allows, as safe as ``extend-safe-fixes`` and the like make them."""
    offering = fixers(settings)
    texts = {}
    for path in sorted({f.path for f in findings if f.code in offering}):
        try:
            texts[path] = read_source(path)[2]
        except READ_ERRORS:
            continue
    return fixes_in_texts(findings, texts, settings)


def fixes_in_texts(
    findings: list[Finding], texts: dict[str, str], settings: Settings
) -> dict[Finding, Fix]:
    """The fix each finding is offered in its file's text as given (by path), safe or not, as
    ``offered_fixes`` says (an editor's unsaved text, for the language server)."""
    by_file = fixes_by_file(findings, texts, fixers(settings), lambda finding, fix: True)
    return {
        finding: replace(fix, applicability=settings.applicability(finding.code, fix.applicability))
        for pairs in by_file.values()
        for finding, fix in pairs
    }


def fix_in_passes(
    targets: list[Path], settings: Settings, cache: Cache | None, unsafe: bool
) -> Fixed:
    """Lint, apply the fixes offered, and lint again, until no fix applies (at most
    ``MAX_PASSES`` times); a file that would not parse after a pass keeps its last text."""
    offering = fixers(settings)

    def wanted_fix(finding: Finding, fix: Fix) -> bool:
        return unsafe or settings.applicability(finding.code, fix.applicability) == SAFE

    fixed = Fixed()
    broken: set[str] = set()
    for number in range(MAX_PASSES + 1):
        buffers = {path: (fixed.trees[path], text) for path, text in fixed.texts.items()}
        fixed.result = lint(targets, settings, cache, buffers)
        if number == MAX_PASSES:
            break
        paths = {f.path for f in fixed.result.findings if f.code in offering} - broken
        texts = {path: text for path in sorted(paths) if (text := current(fixed, path)) is not None}
        offered = fixes_by_file(fixed.result.findings, texts, offering, wanted_fix)
        changed = False
        for path, pairs in offered.items():
            new_text, applied = apply(texts[path], [fix for _, fix in pairs])
            try:
                tree = parse(new_text)  # what the next pass lints
            except SyntaxError:
                fixed.problems.append(f"{path}: the fixes would break it; left as it was")
                broken.add(path)
                continue
            fixed.texts[path] = new_text
            fixed.trees[path] = tree
            fixed.applied += [(finding, fix) for finding, fix in pairs if fix in applied]
            changed = True
        if not changed:
            break
    return fixed


def current(fixed: Fixed, path: str) -> str | None:
    """A file's text as the passes so far left it (read from disk the first time)."""
    if path in fixed.texts:
        return fixed.texts[path]
    try:
        data, encoding, text = read_source(path)
    except READ_ERRORS as problem:
        fixed.problems.append(f"{path}: cannot read: {problem}")
        return None
    fixed.originals[path] = data
    fixed.encodings[path] = encoding
    return text


def write(fixed: Fixed) -> None:
    """Write each changed file in one step, unless it changed on disk since it was read."""
    for path, text in sorted(fixed.texts.items()):
        try:
            with open(path, "rb") as handle:
                if handle.read() != fixed.originals[path]:
                    fixed.problems.append(f"{path}: changed while it was fixed; not written")
                    continue
            replace_file(path, text.encode(fixed.encodings[path]))
        except OSError as problem:
            fixed.problems.append(f"{path}: cannot write: {problem.strerror or problem}")


def diff(fixed: Fixed) -> str:
    """A unified diff of every changed file, from its text on disk to its fixed text."""
    chunks = []
    for path, text in sorted(fixed.texts.items()):
        before = fixed.originals[path].decode(fixed.encodings[path])
        chunks += difflib.unified_diff(
            lines_with_ends(before),
            lines_with_ends(text),
            fromfile=path,
            tofile=path,
        )
    return "".join(chunks)


def fixes_summary(applied: list[tuple[Finding, Fix]]) -> str:
    """``--show-fixes``: the fixes applied, per file and code."""
    lines = []
    by_file: dict[str, dict[tuple[str, str], int]] = {}
    for finding, fix in applied:
        counts = by_file.setdefault(finding.path, {})
        counts[finding.code, fix.message] = counts.get((finding.code, fix.message), 0) + 1
    for path, counts in sorted(by_file.items()):
        lines.append(f"{path}:")
        lines += [f"    {n} x {code} ({message})" for (code, message), n in sorted(counts.items())]
    return "\n".join(lines) + "\n" if lines else ""
