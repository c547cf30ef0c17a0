"""The README stays true: its rule table is the one the rules render."""

from pathlib import Path

from fastapi_lint.docs import END, START, rules_table, with_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert with_table(text) == text, "run: python -m fastapi_lint.docs README.md"


def test_rule_table_lists_every_rule() -> None:
    from fastapi_lint.rules import all_rules

    table = rules_table()
    for code, rule in all_rules().items():
        assert f"| `{code}` | `{rule.name}` |" in table
