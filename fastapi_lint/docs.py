"""The README's rule table, rendered from the rule classes.

``python -m fastapi_lint.docs README.md`` rewrites the table in place.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi_lint.rules import all_rules

START = "<!-- rules-table:start -->"
END = "<!-- rules-table:end -->"


def first_paragraph(documentation: str) -> str:
    """The text under ``## What it does``, on one line."""
    lines = documentation.split("## What it does", 1)[-1].strip().split("\n\n", 1)[0]
    return " ".join(lines.split())


def rules_table() -> str:
    """A markdown table: code, name, what the rule catches."""
    rows = ["| Code | Name | What it catches |", "| --- | --- | --- |"]
    for code, rule in all_rules().items():
        text = first_paragraph(rule.documentation()).replace("|", "\\|")
        rows.append(f"| `{code}` | `{rule.name}` | {text} |")
    return "\n".join(rows)


def with_table(readme: str) -> str:
    """The README text with its table section replaced by the current table."""
    before, rest = readme.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{rules_table()}\n{END}{after}"


def main(argv: list[str]) -> int:
    path = Path(argv[0] if argv else "README.md")
    path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
