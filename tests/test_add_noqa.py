"""``check --add-noqa``: where each directive goes, what it merges with, what is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fastapi_lint import add_noqa as module
from fastapi_lint.add_noqa import add_noqa, edited, with_codes
from fastapi_lint.cli import main
from fastapi_lint.findings import Finding
from fastapi_lint.replay import stamp

APP = """\
import time
from fastapi import FastAPI
app = FastAPI()

@app.get("/items")
async def items() -> dict:
    time.sleep(1)  # slow on purpose
    return {}
"""


def finding(line: int, code: str = "FAL101", path: str = "app.py") -> Finding:
    return Finding(code, "message", path, line, 1, line, 2)


def run(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


@pytest.mark.parametrize(
    ("line", "codes", "expected"),
    [
        ("x = f()", {"FAL101"}, "x = f()  # noqa: FAL101"),
        ("x = f()   \t", {"FAL102", "FAL101"}, "x = f()  # noqa: FAL101, FAL102"),
        ("x = f()  # keep", {"FAL101"}, "x = f()  # keep  # noqa: FAL101"),
        ("x = f()  # noqa: E501", {"FAL101"}, "x = f()  # noqa: E501, FAL101"),
        ("x = f()  # noqa:E501  # why", {"FAL101"}, "x = f()  # noqa:E501, FAL101  # why"),
        ("x = f()  # NOQA: fal101", {"FAL101"}, None),
        ("x = f()  # noqa", {"FAL101"}, None),
    ],
)
def test_a_line_gets_the_codes_it_lacks(line: str, codes: set[str], expected: str | None) -> None:
    assert with_codes(line, codes) == expected


def test_lines_read_as_one_take_the_comment_on_their_last_line() -> None:
    text = 'run(["ls", """\n-l"""])\nx = 1 + \\\n    f()\ny = g()\n'
    new, changed = edited(text, [finding(1), finding(3, "FAL103"), finding(5, "FAL102")])
    assert changed == 3
    assert new == (
        'run(["ls", """\n-l"""])  # noqa: FAL101\n'
        "x = 1 + \\\n    f()  # noqa: FAL103\n"
        "y = g()  # noqa: FAL102\n"
    )


def test_line_endings_are_kept_and_lines_past_the_end_ignored() -> None:
    new, changed = edited("a()\r\nb()\rc()", [finding(2), finding(3), finding(9)])
    assert (new, changed) == ("a()\r\nb()  # noqa: FAL101\rc()  # noqa: FAL101", 2)


def test_encoding_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "latin.py"
    latin = b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n"
    path.write_bytes(latin + b"f()\n")
    bom = tmp_path / "bom.py"
    bom.write_bytes(b"\xef\xbb\xbff()\n")
    added = add_noqa([finding(3, path=str(path)), finding(1, path=str(bom))], {})
    assert (added.directives, added.files, added.problems) == (2, 2, [])
    assert path.read_bytes() == latin + b"f()  # noqa: FAL101\n"
    assert bom.read_bytes() == b"\xef\xbb\xbff()  # noqa: FAL101\n"


def test_a_file_changed_since_the_run_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "app.py"
    path.write_text("f()\n")
    linted = stamp(str(path))
    path.write_text("g()\nf()\n")
    added = add_noqa([finding(1, path=str(path))], {str(path): linted})
    assert added.files == 0
    assert added.problems == [f"{path}: changed since it was linted; not edited"]
    assert path.read_text() == "g()\nf()\n"


def test_a_file_that_would_not_parse_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "app.py"
    path.write_text("x = 1 + \\\n    f()\n")
    monkeypatch.setattr(module, "joined_lines", lambda text: [])  # as if continuations were missed
    added = add_noqa([finding(1, path=str(path))], {})
    assert added.problems == [f"{path}: would not parse with the directives; not edited"]
    assert path.read_text() == "x = 1 + \\\n    f()\n"


@pytest.mark.parametrize("cache", [[], ["--no-cache"]])
def test_check_after_add_noqa_reports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("app.py").write_text(APP)
    Path("broken.py").write_text("def broken(:\n")
    before = run("check", *cache, "app.py", "broken.py")
    assert before.exit_code == 1
    first = run("check", "--add-noqa", *cache, "app.py", "broken.py")
    assert first.exit_code == 0, first.stderr
    assert first.stdout == ""
    assert first.stderr == (
        "fastapi-lint: warning: 1 syntax error (FAL001) left as they are\n"
        "Added 3 noqa directives to 1 file.\n"
    )
    assert "    time.sleep(1)  # slow on purpose  # noqa: FAL101\n" in Path("app.py").read_text()
    second = run("check", "--add-noqa", *cache, "app.py")
    assert (second.exit_code, second.stderr) == (0, "Added 0 noqa directives to 0 files.\n")
    after = run("check", *cache, "app.py")
    assert (after.exit_code, after.stdout) == (0, "All checks passed!\n")
