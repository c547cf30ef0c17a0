"""Documentation rendered from the rule classes: each rule's page (``docs/rules/CODE.md``,
also what ``fastapi-lint rule CODE`` prints), the index of the pages, and the README's table.

``python -m fastapi_lint.docs [ROOT]`` rewrites them all in the repository at ROOT (default:
the current directory).
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from fastapi_lint.options import kebab
from fastapi_lint.rules import Rule, all_rules

START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"
RULES_FOLDER = Path("docs") / "rules"  # in the repository, where the pages are published
PROJECT_URL = "https://github.com/fastapi-lint/fastapi-lint"
# where the published pages are read: editors, SARIF viewers and JSON consumers link here
DOCS_URL = f"{PROJECT_URL}/blob/main/{RULES_FOLDER.as_posix()}/"
FIX_AVAILABILITY = {"none": "not available", "sometimes": "sometimes available"}


def rule_url(code: str) -> str:
    """The address of a rule's published page."""
    return f"{DOCS_URL}{code}.md"


def first_paragraph(documentation: str) -> str:
    """The text under ``## What it does``, on one line."""
    lines = documentation.split("## What it does", 1)[-1].strip().split("\n\n", 1)[0]
    return " ".join(lines.split())


def options_markdown(rule: type[Rule]) -> str:
    """The ``## Options`` section of a rule with an options model."""
    assert rule.options is not None
    lines = ["## Options", "", f"Set in `[tool.fastapi-lint.{rule.name}]`:", ""]
    for field in dataclasses.fields(rule.options):
        description = field.metadata["description"]
        lines.append(
            f"- `{kebab(field.name)}` (default {json.dumps(field.default)}): {description}"
        )
    return "\n".join(lines)


def rule_markdown(rule: type[Rule]) -> str:
    """A rule's page, like ``ruff rule``: name, summary, fix availability, documentation,
    options."""
    fix = FIX_AVAILABILITY.get(rule.fix, f"available ({rule.fix})")
    parts = [f"# {rule.name} ({rule.code})", f"{rule.summary}.", f"Fix is {fix}."]
    parts.append(rule.documentation())
    if rule.options is not None:
        parts.append(options_markdown(rule))
    return "\n\n".join(parts)


def rules_table(link: str) -> str:
    """A markdown table of the rules: code (linked to its page under ``link``), name, summary,
    whether a fix is available."""
    rows = ["| Code | Name | Summary | Fix |", "| --- | --- | --- | --- |"]
    for code, rule in all_rules().items():
        fix = FIX_AVAILABILITY.get(rule.fix, rule.fix)
        rows.append(f"| [`{code}`]({link}{code}.md) | `{rule.name}` | {rule.summary} | {fix} |")
    return "\n".join(rows)


def index_page() -> str:
    """``docs/rules/README.md``: every rule, linked to its page."""
    intro = (
        "Every rule of fastapi-lint, linked to its page. The pages are generated from the rules "
        "(`python -m fastapi_lint.docs`); `fastapi-lint rule CODE` prints the same text."
    )
    return f"# Rules\n\n{intro}\n\n{rules_table('')}\n"


def rule_pages() -> dict[str, str]:
    """Every file of ``docs/rules``, by name: a page per rule, and the index."""
    pages = {f"{code}.md": rule_markdown(rule) + "\n" for code, rule in all_rules().items()}
    pages["README.md"] = index_page()
    return pages


def with_table(readme: str) -> str:
    """The README text with its table section replaced by the current table."""
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{rules_table(f'{RULES_FOLDER.as_posix()}/')}\n{END}{after}"


def main(argv: list[str]) -> int:
    root = Path(argv[0] if argv else ".")
    readme = root / "README.md"
    readme.write_text(with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")
    folder = root / RULES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    pages = rule_pages()
    for stale in folder.glob("*.md"):
        if stale.name not in pages:
            stale.unlink()
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
