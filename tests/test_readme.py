"""The README and the rule pages stay true: they are what the rules render."""

import re
from pathlib import Path

from fastapi_lint.docs import END, RULES_FOLDER, START, rule_pages, rules_table, with_table
from fastapi_lint.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
HINT = "run: python -m fastapi_lint.docs"


def test_readme_rule_table_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert with_table(text) == text, HINT


def test_rule_table_lists_every_rule() -> None:
    table = rules_table("docs/rules/")
    for code, rule in all_rules().items():
        assert f"| [`{code}`](docs/rules/{code}.md) | `{rule.name}` | {rule.summary} |" in table


def test_rule_pages_are_current_and_complete() -> None:
    folder = ROOT / RULES_FOLDER
    pages = rule_pages()
    assert {path.name for path in folder.glob("*.md")} == set(pages), HINT
    for name, text in pages.items():
        assert (folder / name).read_text(encoding="utf-8") == text, f"{name} is stale: {HINT}"


def test_every_rule_has_a_page_linked_from_the_index_and_the_readme() -> None:
    pages = rule_pages()
    readme = README.read_text(encoding="utf-8")
    for code, rule in all_rules().items():
        page = pages[f"{code}.md"]
        assert page.startswith(f"# {rule.name} ({code})\n")
        assert "## What it does" in page and "## Fix" in page
        assert f"[`{code}`]({code}.md)" in pages["README.md"]
        assert f"[`{code}`]({RULES_FOLDER.as_posix()}/{code}.md)" in readme


def markdown_files() -> list[Path]:
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


def test_relative_links_lead_to_files_that_exist() -> None:
    for page in markdown_files():
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_configuration_page_names_every_key() -> None:
    from fastapi_lint.schema import SettingsTable

    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for field in SettingsTable.model_fields:
        assert f"`{field.replace('_', '-')}`" in text, field
