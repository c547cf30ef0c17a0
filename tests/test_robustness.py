"""Never crash, never lie: the real command line on hostile inputs.

Every bad input must end in a finding or a one-line message, never a traceback, and never a
silent skip: a bad file is reported while the files beside it are still linted. Each case runs
``python -m fastapi_lint check`` in a subprocess (so a crash is a real traceback on stderr) next
to ``good.py``, whose one known finding shows that the rest of the run went on.

"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from fastapi_lint import engine
from fastapi_lint.cli import main
from fastapi_lint.config import Settings, defaults_for_rules
from fastapi_lint.discovery import Discovery
from fastapi_lint.rules import all_rules
from fastapi_lint.source import noqa_comments

BLOCKING = """\
import time
from fastapi import FastAPI

app = FastAPI()


@app.get("/items")
async def items() -> dict:
    time.sleep(1)
    return {}
"""
GOOD = ("good.py", 9, 5, "FAL101")  # the one finding of BLOCKING under SELECT
SELECT = ("--select", "FAL001,FAL101")
FINDING = re.compile(r"^(?P<path>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>FAL\d{3}) (?P<msg>.*)$")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def rows(self) -> list[tuple[str, int, int, str]]:
        """(path, row, col, code) of every concise finding line."""
        found = []
        for line in self.stdout.splitlines():
            match = FINDING.match(line)
            if match:
                path = match["path"].replace(os.sep, "/")
                found.append((path, int(match["row"]), int(match["col"]), match["code"]))
        return found

    def message(self, path: str) -> str:
        return next(
            m["msg"]
            for m in map(FINDING.match, self.stdout.splitlines())
            if m and m["path"] == path
        )


def check(cwd: Path, *args: str, prefix: tuple[str, ...] = (), timeout: float = 120) -> Run:
    """``python -m fastapi_lint check ARGS`` in ``cwd``: never a traceback, whatever else."""
    command = [*prefix, sys.executable, "-m", "fastapi_lint", "check", *args]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUTF8": "1"}
    done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=timeout, env=env)
    run = Run(done.returncode, done.stdout.decode(), done.stderr.decode())
    assert "Traceback" not in run.stderr, run.stderr
    assert "Traceback" not in run.stdout, run.stdout
    return run


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    path.write_bytes(content)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder holding ``good.py`` with its one known finding."""
    write(tmp_path / "good.py", BLOCKING)
    return tmp_path


def assert_bad_then_good(run: Run, row: int, col: int, fragment: str, name: str = "bad.py") -> None:
    assert run.stderr == ""
    assert run.rows == [(name, row, col, "FAL001"), GOOD]
    assert fragment in run.message(name)
    assert run.stdout.splitlines()[-1] == "Found 2 errors."
    assert run.code == 1


# -- sources that do not parse ---------------------------------------------------------------

BAD_SOURCES = [
    pytest.param(b"x = (1,\ny = 2\n", 1, 5, "'(' was never closed", id="syntax-error"),
    pytest.param(b"import os\n\ndef f(:\n    pass\n", 3, 7, "invalid syntax", id="bad-def"),
    pytest.param(b'x = "abc', 1, 5, "unterminated string literal", id="unclosed-string-at-eof"),
    pytest.param(b'x = """abc\n\n', 1, 5, "unterminated triple-quoted", id="unclosed-docstring"),
    pytest.param(b"foo(\n  1,\n", 1, 4, "'(' was never closed", id="eof-inside-a-call"),
    pytest.param(b"if x:\nfoo()\n", 2, 1, "expected an indented block", id="indentation-error"),
    pytest.param(b"if x:\n    a\n  b\n", 3, 4, "unindent does not match", id="bad-unindent"),
    pytest.param(b"x = 1\n    y = 2\n", 2, 4, "unexpected indent", id="unexpected-indent"),
    pytest.param(
        b"if x:\n        a = 1\n\tb = 2\n", 3, 1, "inconsistent use of tabs", id="tab-error"
    ),
    pytest.param(b'x = "caf\xe9"\n', 1, 9, "cannot decode source", id="latin-1-without-cookie"),
    pytest.param(
        b"# -*- coding: nope -*-\nx = 1\n", 1, 1, "unknown encoding: nope", id="bad-cookie"
    ),
    pytest.param(b"x = 1\0\n", 1, 6, "null bytes", id="nul-byte"),
    pytest.param(b"a = 1\r\nb = 2\r\nc = (1,\r\n", 3, 5, "'(' was never closed", id="crlf"),
    pytest.param(b"a = 1\rb = 2\rc = (1,\r", 3, 5, "'(' was never closed", id="lone-cr"),
    pytest.param(b"a = 1\rb = 2 +\rc = 3\r", 2, 8, "invalid syntax", id="lone-cr-middle-line"),
    pytest.param(b"if 1:\n\tx = (1 + ]\n", 2, 11, "closing parenthesis ']'", id="tab-indented"),
    pytest.param(b"a = 1\n\x0cb = 2\x0c\nc = 1 +\n", 3, 8, "invalid syntax", id="form-feeds"),
    pytest.param("é = '日本🐍'; x = (1,\n".encode(), 1, 16, "never closed", id="non-ascii-before"),
    pytest.param(b"(a := 1) = 2\n", 1, 2, "cannot assign to named expression", id="bad-target"),
]


@pytest.mark.parametrize(("source", "row", "col", "fragment"), BAD_SOURCES)
def test_unparsable_file_is_fal001_at_the_error_and_the_rest_is_linted(
    project: Path, source: bytes, row: int, col: int, fragment: str
) -> None:
    write(project / "bad.py", source)
    run = check(project, *SELECT, "bad.py", "good.py")
    assert_bad_then_good(run, row, col, fragment)


def test_unparsable_file_alone_is_a_finding_not_an_error(tmp_path: Path) -> None:
    write(tmp_path / "bad.py", b"def f(:\n")
    run = check(tmp_path, "bad.py")
    assert (run.code, run.stderr) == (1, "")
    assert run.rows == [("bad.py", 1, 7, "FAL001")]
    assert run.stdout == "bad.py:1:7: FAL001 Syntax error: invalid syntax\nFound 1 error.\n"


# Where the error really is, whatever the encoding, line length or kind of error.
MISPLACED = [
    pytest.param(
        b"\xef\xbb\xbfx = (1,\n",
        1,
        5,
        "'(' was never closed",
        id="bom-file",
    ),
    pytest.param(
        "# -*- coding: latin-1 -*-\nx = 'éé' $\n".encode("latin-1"),
        2,
        10,
        "invalid syntax",
        id="latin-1-cookie",
    ),
    pytest.param(
        b'x = "' + b"a" * 5000 + b'" + (1,\n',
        1,
        5010,
        "'(' was never closed",
        id="error-past-column-1000",
    ),
    pytest.param(
        ('x = (1, "' + "é" * 5000 + '"\n').encode(),
        1,
        5,
        "'(' was never closed",
        id="error-on-a-long-non-ascii-line",
    ),
    pytest.param(
        b"x = 1\ny = 2\0\n",
        2,
        6,
        "null bytes",
        id="nul-byte-on-line-2",
    ),
    pytest.param(
        b"a = 1\nb = 2\nc = 3\nx = 'caf\xe9'\n",
        4,
        9,
        "cannot decode source",
        id="latin-1-byte-on-line-4",
    ),
]


@pytest.mark.parametrize(("source", "row", "col", "fragment"), MISPLACED)
def test_fal001_points_at_the_error_itself(
    project: Path, source: bytes, row: int, col: int, fragment: str
) -> None:
    write(project / "bad.py", source)
    assert_bad_then_good(check(project, *SELECT, "bad.py", "good.py"), row, col, fragment)


# -- sources that parse: findings on the right rows and columns -------------------------------

GOOD_VARIANTS = [
    pytest.param(b"\xef\xbb\xbf" + BLOCKING.encode(), 9, 5, id="utf-8-bom"),
    pytest.param(BLOCKING.replace("\n", "\r\n").encode(), 9, 5, id="crlf"),
    pytest.param(BLOCKING.replace("\n", "\r").encode(), 9, 5, id="lone-cr"),
    pytest.param(BLOCKING.replace("\n", "\r\n", 4).encode(), 9, 5, id="mixed-line-endings"),
    pytest.param(BLOCKING.replace("    ", "\t").encode(), 9, 2, id="tab-indentation"),
    pytest.param(BLOCKING.replace("\n\n\n@", "\n\f\n\f\n@").encode(), 9, 5, id="form-feed-lines"),
    pytest.param(
        BLOCKING.replace("    time", "\f    time").encode(), 9, 6, id="form-feed-before-indent"
    ),
    pytest.param(
        BLOCKING.replace("import time\n", "import time  # a\u2028b\x85c\x0bd\x1ce\x1df\n").encode(),
        9,
        5,
        id="unicode-line-separators-in-a-comment",
    ),
    pytest.param(
        BLOCKING.replace("app = FastAPI()", 'app = FastAPI(title="x\u2028y\x85z")').encode(),
        9,
        5,
        id="unicode-line-separators-in-a-string",
    ),
]


@pytest.mark.parametrize(("source", "row", "col"), GOOD_VARIANTS)
def test_odd_but_valid_sources_lint_normally(
    tmp_path: Path, source: bytes, row: int, col: int
) -> None:
    write(tmp_path / "good.py", source)
    run = check(tmp_path, *SELECT, "good.py")
    assert (run.code, run.stderr) == (1, "")
    assert run.rows == [("good.py", row, col, "FAL101")]


def test_full_output_of_a_crlf_file_shows_the_right_line(tmp_path: Path) -> None:
    write(tmp_path / "good.py", BLOCKING.replace("\n", "\r"))
    run = check(tmp_path, "--select", "FAL101", "--output-format", "full", "good.py")
    assert run.stdout.splitlines()[1:3] == ["9 |     time.sleep(1)", "  |     ^^^^^^^^^^^^^"]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"# only a comment\n# and another\n", id="only-comments"),
        pytest.param(b"\n\n   \n\t\n\f\n", id="only-blank-lines"),
        pytest.param(b"\xef\xbb\xbf", id="only-a-bom"),
        pytest.param(b'"""Only a docstring."""', id="only-a-docstring-no-newline"),
    ],
)
def test_files_without_code_are_clean(project: Path, source: bytes) -> None:
    write(project / "empty.py", source)
    alone = check(project, "empty.py")
    assert (alone.code, alone.stdout, alone.stderr) == (0, "All checks passed!\n", "")
    beside = check(project, *SELECT, "empty.py", "good.py")
    assert (beside.code, beside.stderr, beside.rows) == (1, "", [GOOD])


NON_ASCII = BLOCKING.replace("    time.sleep(1)", '    s = "héllo 日本 🐍"; time.sleep(1)')


def test_columns_count_characters_in_every_output_format(tmp_path: Path) -> None:
    write(tmp_path / "good.py", NON_ASCII)
    col = len('    s = "héllo 日本 🐍"; ') + 1  # 23 characters, 31 UTF-8 bytes, 24 UTF-16 units
    end = col + len("time.sleep(1)")
    concise = check(tmp_path, "--select", "FAL101", "good.py")
    assert concise.rows == [("good.py", 9, col, "FAL101")]
    assert col == 23

    as_json = json.loads(check(tmp_path, "--select", "FAL101", "--output-format", "json").stdout)
    assert [(f["location"], f["end_location"]) for f in as_json] == [
        ({"row": 9, "column": col}, {"row": 9, "column": end})
    ]

    github = check(tmp_path, "--select", "FAL101", "--output-format", "github", "good.py").stdout
    assert f"line=9,col={col},endLine=9,endColumn={end}::good.py:9:{col}: FAL101 " in github

    full = check(tmp_path, "--select", "FAL101", "--output-format", "full", "good.py").stdout
    header, source, carets = full.splitlines()[:3]
    assert header.startswith(f"good.py:9:{col}: FAL101 ")
    assert source == '9 |     s = "héllo 日本 🐍"; time.sleep(1)'
    # Wide characters take two cells, so the carets sit under the call on a terminal.
    assert carets == "  | " + " " * 25 + "^" * 13


def test_syntax_error_columns_count_characters_in_every_output_format(tmp_path: Path) -> None:
    write(tmp_path / "bad.py", "x = 1\né = '日本🐍'; y = (1,\n")
    concise = check(tmp_path, "bad.py")
    assert concise.rows == [("bad.py", 2, 16, "FAL001")]
    as_json = json.loads(check(tmp_path, "--output-format", "json", "bad.py").stdout)
    assert as_json[0]["location"] == {"row": 2, "column": 16}
    github = check(tmp_path, "--output-format", "github", "bad.py").stdout
    assert "line=2,col=16,endLine=2,endColumn=16::bad.py:2:16: FAL001 " in github
    full = check(tmp_path, "--output-format", "full", "bad.py").stdout.splitlines()
    assert full[1:3] == ["2 | é = '日本🐍'; y = (1,", "  |                   ^"]


def test_very_long_lines(project: Path) -> None:
    padding = "a" * 200_000 + "é" * 100_000
    write(project / "good.py", BLOCKING.replace("    time", f'    s = "{padding}"; time'))
    write(project / "bad.py", f'x = "{padding}"\ny = (1,\n')
    run = check(project, *SELECT, "bad.py", "good.py")
    assert run.stderr == ""
    col = len(f'    s = "{padding}"; ') + 1
    assert run.rows == [("bad.py", 2, 5, "FAL001"), ("good.py", 9, col, "FAL101")]
    assert run.code == 1


ESCAPES = 'x = "\\d"\ny = "a"()\nz = 1 is 1\nassert (z, "always true")\n'


def test_compiler_warnings_about_the_linted_code_stay_quiet(project: Path) -> None:
    """Python 3.12+ warns about ``"\\d"`` while parsing: not the linter's stderr to fill."""
    write(project / "escapes.py", ESCAPES)
    run = check(project, *SELECT, "escapes.py", "good.py")
    assert (run.code, run.stderr, run.rows) == (1, "", [GOOD])
    for i in range(engine.PARALLEL_THRESHOLD):  # enough files for the process pool
        write(project / "many" / f"escapes_{i:02d}.py", ESCAPES)
    pooled = check(project, *SELECT, "many", "good.py")
    assert (pooled.code, pooled.stderr, pooled.rows) == (1, "", [GOOD])


# -- deep nesting: analysed, or FAL001; never a RecursionError --------------------------------

DEEP = {
    "parentheses": "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n",
    "lists": "x = " + "[" * 3000 + "]" * 3000 + "\n",
    "dicts": "x = " + "{1: " * 3000 + "1" + "}" * 3000 + "\n",
    "nested-ifs": "".join(" " * i + "if x:\n" for i in range(3000)) + " " * 3000 + "pass\n",
    "additions": "x = " + " + ".join(["a"] * 100_000) + "\n",
    "attributes": "x = a" + ".b" * 100_000 + "\n",
    "calls": "x = f" + "()" * 100_000 + "\n",
    "subscripts": "x = a" + "[0]" * 100_000 + "\n",
    "nots": "x = " + "not " * 100_000 + "a\n",
    "unary-minus": "x = " + "-" * 100_000 + "a\n",
    "powers": "x = " + " ** ".join(["2"] * 100_000) + "\n",
    "conditionals": "x = " + "a if b else " * 20_000 + "c\n",
    "comparisons": "x = " + " < ".join(["a"] * 100_000) + "\n",
    "and-chain": "x = " + " and ".join(["a"] * 100_000) + "\n",
    "implicit-concatenation": "x = " + " ".join(['"s"'] * 100_000) + "\n",
    "f-strings": "x = " + " ".join(['f"{a}"'] * 20_000) + "\n",
    "lambdas-3000": "x = " + "lambda: " * 3000 + "a\n",
    "decorators": "".join(f"@d{i}\n" for i in range(20_000)) + "def f(): pass\n",
    "nested-defs-99": "".join(" " * i + f"def f{i}():\n" for i in range(99)) + " " * 99 + "pass\n",
    "statements-on-one-line": "; ".join(["a = 1"] * 100_000) + "\n",
}
# Deep structures that parse, and that the summariser and the loop analysis must not recurse
# through.
DEEP_ANALYSED = {
    "lambdas-600": "x = " + "lambda: " * 600 + "a\n",
    "lambda-defaults-400": "x = " + "lambda a=" * 400 + "f()" + ": 0" * 400 + "\n",
    # each level a call whose argument is scanned, not converted (200 brackets deep is a
    # syntax error)
    "calls-in-comparisons-199": "x = " + "f(a == " * 199 + "b" + ")" * 199 + "\n",
    "calls-in-conditions-199": "x = " + "f(a if " * 199 + "b" + " else c)" * 199 + "\n",
    "depends-chain-600": "from fastapi import Depends, FastAPI\napp = FastAPI()\n"
    + "def d0(): pass\n"
    + "".join(f"def d{i + 1}(x=Depends(d{i})): pass\n" for i in range(600))
    + '@app.get("/")\nasync def r(x=Depends(d600)): pass\n',
}


def assert_analysed_or_fal001(run: Run) -> None:
    assert (run.code, run.stderr) == (1, ""), run.stderr
    bad = [row for row in run.rows if row[0] == "bad.py"]
    assert run.rows == [*bad, GOOD]
    assert [code for *_, code in bad] in ([], ["FAL001"])


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_nesting_is_analysed_or_a_syntax_error(project: Path, name: str) -> None:
    write(project / "bad.py", DEEP[name])
    assert_analysed_or_fal001(check(project, *SELECT, "bad.py", "good.py"))


@pytest.mark.parametrize(
    "name",
    [
        "lambdas-600",
        "lambda-defaults-400",
        "calls-in-comparisons-199",
        "calls-in-conditions-199",
        "depends-chain-600",
    ],
)
def test_deep_but_valid_code_is_analysed(project: Path, name: str) -> None:
    write(project / "bad.py", DEEP_ANALYSED[name])
    run = check(project, "--select", "FAL", "bad.py", "good.py")
    assert (run.stderr, run.code) == ("", 1)
    assert "FAL001" not in [code for *_, code in run.rows]


@pytest.mark.parametrize("name", ["nots", "unary-minus", "powers", "conditionals"])
def test_too_deep_to_parse_says_why(project: Path, name: str) -> None:
    write(project / "bad.py", DEEP[name])
    run = check(project, "--select", "FAL001", "bad.py")
    assert run.rows == [("bad.py", 1, 1, "FAL001")]
    assert not run.message("bad.py").rstrip().endswith(":"), run.message("bad.py")


# -- big inputs -------------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_megabyte_file_in_bounded_time(tmp_path: Path) -> None:
    chunks = [f"def function_{i:06d}(value):\n    return value + {i}\n\n" for i in range(200_000)]
    body = "".join(chunks)
    write(tmp_path / "big.py", body + BLOCKING)
    assert (tmp_path / "big.py").stat().st_size > 10_000_000
    start = time.perf_counter()
    run = check(tmp_path, *SELECT, "big.py", timeout=120)
    elapsed = time.perf_counter() - start
    assert (run.code, run.stderr) == (1, "")
    assert run.rows == [("big.py", body.count("\n") + 9, 5, "FAL101")]
    assert elapsed < 60, f"10 MB file took {elapsed:.1f} s"


@pytest.mark.slow
def test_twenty_thousand_files_in_bounded_time(tmp_path: Path) -> None:
    many = tmp_path / "many"
    many.mkdir()
    for i in range(20_000):
        (many / f"module_{i:05d}.py").write_bytes(b"def f(x):\n    return x\n")
    write(many / "app.py", BLOCKING)
    start = time.perf_counter()
    run = check(tmp_path, *SELECT, "many", timeout=120)
    elapsed = time.perf_counter() - start
    assert (run.code, run.stderr) == (1, "")
    assert run.rows == [("many/app.py", 9, 5, "FAL101")]
    assert elapsed < 60, f"20,000 files took {elapsed:.1f} s"


# -- paths ------------------------------------------------------------------------------------


def test_missing_path_alone_is_exit_2_with_one_line(tmp_path: Path) -> None:
    run = check(tmp_path, "missing.py")
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == "fastapi-lint: error: missing.py: no such file or directory\n"


def test_missing_path_beside_a_good_one(project: Path) -> None:
    run = check(project, *SELECT, "missing.py", "good.py", "gone/")
    assert run.stderr.splitlines() == [
        "fastapi-lint: error: missing.py: no such file or directory",
        "fastapi-lint: error: gone: no such file or directory",
    ]
    assert (run.code, run.rows) == (1, [GOOD])


def test_non_python_file_given_explicitly_is_skipped_with_a_warning(project: Path) -> None:
    write(project / "notes.txt", "def f(:\n")  # would be FAL001 if it were parsed
    run = check(project, *SELECT, "notes.txt", "good.py")
    assert run.stderr == "fastapi-lint: warning: notes.txt: not a Python file, skipped\n"
    assert (run.code, run.rows) == (1, [GOOD])
    alone = check(project, "notes.txt")
    assert alone.stderr.splitlines() == [
        "fastapi-lint: warning: notes.txt: not a Python file, skipped",
        "fastapi-lint: warning: no Python files found under the given paths",
    ]
    assert (alone.code, alone.stdout) == (0, "All checks passed!\n")


def test_symlink_loop_in_a_tree_does_not_hang(project: Path) -> None:
    tree = project / "proj"
    write(tree / "good.py", BLOCKING)
    (tree / "a").symlink_to(".")
    (tree / "sub").mkdir()
    (tree / "sub" / "up").symlink_to("..")
    (tree / "self.py").symlink_to("self.py")
    run = check(project, *SELECT, "proj", timeout=60)
    assert run.stderr == "fastapi-lint: warning: proj/self.py: symbolic link loop, skipped\n"
    assert (run.code, run.rows) == (1, [("proj/good.py", 9, 5, "FAL101")])


def test_symlink_loop_given_explicitly(project: Path) -> None:
    (project / "loop").symlink_to("loop")
    (project / "loop.py").symlink_to("loop.py")
    run = check(project, *SELECT, "loop", "loop.py", "good.py", timeout=60)
    assert run.stderr.splitlines() == [
        "fastapi-lint: error: loop: symbolic link loop",
        "fastapi-lint: error: loop.py: symbolic link loop",
    ]
    assert (run.code, run.rows) == (1, [GOOD])
    alone = check(project, "loop", timeout=60)  # also where the config search starts
    assert (alone.code, alone.stdout) == (2, "")
    assert alone.stderr == "fastapi-lint: error: loop: symbolic link loop\n"


def test_broken_symlinks(project: Path) -> None:
    (project / "dangling.py").symlink_to("nowhere.py")
    write(project / "tree" / "good.py", BLOCKING)
    (project / "tree" / "dangling.py").symlink_to("nowhere.py")
    run = check(project, *SELECT, "dangling.py", "tree")
    assert run.stderr.splitlines() == [
        "fastapi-lint: error: dangling.py: broken symbolic link",
        "fastapi-lint: warning: tree/dangling.py: broken symbolic link, skipped",
    ]
    assert (run.code, run.rows) == (1, [("tree/good.py", 9, 5, "FAL101")])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_named_pipe_called_py_is_not_read(project: Path) -> None:
    os.mkfifo(project / "pipe.py")
    write(project / "tree" / "good.py", BLOCKING)
    os.mkfifo(project / "tree" / "pipe.py")
    run = check(project, *SELECT, "pipe.py", "tree", timeout=60)
    assert run.stderr.splitlines() == [
        "fastapi-lint: error: pipe.py: not a regular file",
        "fastapi-lint: warning: tree/pipe.py: not a regular file, skipped",
    ]
    assert (run.code, run.rows) == (1, [("tree/good.py", 9, 5, "FAL101")])


def test_device_given_explicitly(project: Path) -> None:
    run = check(project, *SELECT, "/dev/null", "good.py")
    assert run.stderr == "fastapi-lint: error: /dev/null: not a regular file\n"
    assert (run.code, run.rows) == (1, [GOOD])


def test_current_directory_removed_from_under_the_shell(project: Path) -> None:
    gone = project / "gone"
    gone.mkdir()
    script = 'cd "$1" && rmdir "$1" && exec "$2" -m fastapi_lint check "$3"'
    command = ["sh", "-c", script, "sh", str(gone), sys.executable, str(project / "good.py")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "fastapi-lint: error: cannot use the current directory: No such file or directory\n"
    )


# Permissions: root reads everything, so as root the linter runs without the capabilities that
# let root ignore permission bits (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH): still uid 0, owner of
# the files, and so bound by their owner bits like anyone else.


@pytest.fixture
def open_dir(tmp_path: Path) -> Iterator[Path]:
    """``tmp_path``, with every permission given back at the end so that it can be removed."""
    yield tmp_path
    for directory, _, _ in os.walk(tmp_path):
        os.chmod(directory, 0o755)
    for path in tmp_path.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o755)


@pytest.fixture
def unprivileged(open_dir: Path) -> tuple[str, ...]:
    """A command prefix under which permission bits hold (empty when not root)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: root reads a chmod 000 file")
    prefix = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    probe = write(open_dir / "probe.txt", "x")
    probe.chmod(0)
    done = subprocess.run(
        [*prefix, sys.executable, "-c", f"open({str(probe)!r}).read()"],
        capture_output=True,
        check=False,
    )
    probe.unlink()
    if b"PermissionError" not in done.stderr:
        pytest.skip(f"cannot drop root's read-anything capabilities here: {done.stderr[-200:]!r}")
    return prefix


def test_unreadable_file(open_dir: Path, unprivileged: tuple[str, ...]) -> None:
    write(open_dir / "good.py", BLOCKING)
    write(open_dir / "secret.py", BLOCKING).chmod(0)
    run = check(open_dir, *SELECT, "secret.py", "good.py", prefix=unprivileged)
    assert run.stderr == "fastapi-lint: error: secret.py: cannot read: Permission denied\n"
    assert (run.code, run.rows) == (1, [GOOD])
    alone = check(open_dir, "secret.py", prefix=unprivileged)
    assert (alone.code, alone.stdout) == (2, "")
    assert alone.stderr == "fastapi-lint: error: secret.py: cannot read: Permission denied\n"


def test_unreadable_folders(open_dir: Path, unprivileged: tuple[str, ...]) -> None:
    write(open_dir / "tree" / "good.py", BLOCKING)
    write(open_dir / "tree" / "secret.py", BLOCKING).chmod(0)
    write(open_dir / "tree" / "unlisted" / "x.py", BLOCKING)
    write(open_dir / "tree" / "unsearchable" / "y.py", BLOCKING)
    (open_dir / "tree" / "unlisted").chmod(0o311)  # may enter, may not list
    (open_dir / "tree" / "unsearchable").chmod(0o644)  # may list, may not enter
    run = check(open_dir, *SELECT, "tree", prefix=unprivileged)
    assert run.stderr.splitlines() == [  # what discovery meets, then what reading meets
        "fastapi-lint: error: tree/unlisted: cannot read: Permission denied",
        "fastapi-lint: error: tree/secret.py: cannot read: Permission denied",
        "fastapi-lint: error: tree/unsearchable/y.py: cannot read: Permission denied",
    ]
    assert (run.code, run.rows) == (1, [("tree/good.py", 9, 5, "FAL101")])
    inside = check(open_dir, *SELECT, "tree/unsearchable/y.py", "tree/good.py", prefix=unprivileged)
    assert inside.stderr == (
        "fastapi-lint: error: tree/unsearchable/y.py: cannot read: Permission denied\n"
    )
    assert (inside.code, inside.rows) == (1, [("tree/good.py", 9, 5, "FAL101")])


def test_unreadable_pyproject_is_an_error(open_dir: Path, unprivileged: tuple[str, ...]) -> None:
    write(open_dir / "good.py", BLOCKING)
    write(open_dir / "pyproject.toml", '[tool.fastapi-lint]\nselect = ["FAL1"]\n').chmod(0)
    run = check(open_dir, "good.py", prefix=unprivileged)
    assert run.code == 2
    assert run.stderr.startswith("fastapi-lint: error: ")
    assert "pyproject.toml: cannot read: Permission denied" in run.stderr


# -- files that change under the run ----------------------------------------------------------


def discovering(files: list[Path]):  # type: ignore[no-untyped-def]
    def discover(*args: object, **kwargs: object) -> Discovery:
        return Discovery(files=list(files))

    return discover


SETTINGS = Settings(select=["FAL001", "FAL101"], rule_options=defaults_for_rules())


def test_file_deleted_after_discovery(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = project / "gone.py"
    monkeypatch.setattr(engine, "discover", discovering([gone, project / "good.py"]))
    result = engine.lint([project], SETTINGS)
    assert result.errors == [f"{gone}: cannot read: No such file or directory"]
    assert [(f.code, f.line, f.col) for f in result.findings] == [("FAL101", 9, 5)]
    assert result.files == 1


def test_file_deleted_after_discovery_in_a_process_pool(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = [write(project / f"m{i}.py", "x = 1\n") for i in range(engine.PARALLEL_THRESHOLD)]
    gone = project / "gone.py"
    monkeypatch.setattr(engine, "discover", discovering([*others, gone, project / "good.py"]))
    result = engine.lint([project], SETTINGS)
    assert result.errors == [f"{gone}: cannot read: No such file or directory"]
    assert [(f.code, f.line) for f in result.findings] == [("FAL101", 9)]
    assert result.files == len(others) + 1


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_analyser_crash_on_one_file_is_one_line_and_the_rest_is_linted(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "bad.py", "x = 1\n")
    real = engine.analyse

    def analyse(path: str, module: str, is_package: bool):  # type: ignore[no-untyped-def]
        if path.endswith("bad.py"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, module, is_package)

    monkeypatch.setattr(engine, "analyse", analyse)
    monkeypatch.chdir(project)
    code, stdout, stderr = invoke(*SELECT, "bad.py", "good.py")
    assert stderr == (
        "fastapi-lint: error: bad.py: cannot analyse: internal error: RecursionError: "
        "maximum recursion depth exceeded (please report this bug)\n"
    )
    assert code == 1
    assert stdout == "good.py:9:5: FAL101 " + stdout.split(" FAL101 ", 1)[1]
    assert stdout.endswith("\nFound 1 error.\n")


def test_rule_crash_is_one_line_and_other_rules_still_run(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(self: object, context: object) -> Iterator[object]:
        raise RecursionError("maximum recursion depth exceeded")
        yield

    monkeypatch.setattr(all_rules()["FAL101"], "check", crash)
    monkeypatch.chdir(project)
    code, stdout, stderr = invoke("--select", "FAL101,FAL401", "good.py")
    assert stderr == (
        "fastapi-lint: error: FAL101 (blocking-call) stopped early: internal error: "
        "RecursionError: maximum recursion depth exceeded (please report this bug)\n"
    )
    assert code == 1
    assert stdout.startswith("good.py:4:7: FAL401 ")


def test_any_other_crash_is_one_line_and_exit_2(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise ValueError("boom\nsecond line")

    monkeypatch.setattr(engine, "Project", boom)
    monkeypatch.chdir(project)
    assert invoke("good.py") == (
        2,
        "",
        "fastapi-lint: error: internal error: ValueError: boom second line "
        "(please report this bug)\n",
    )


# -- configuration ----------------------------------------------------------------------------

INVALID_CONFIG = [
    ('select = "FAL1"', "invalid value for 'select': input should be a valid list"),
    ("select = 3", "invalid value for 'select': input should be a valid list"),
    ("select = [1]", "invalid value for 'select.0': input should be a valid string"),
    ("ignore = {FAL1 = true}", "invalid value for 'ignore': input should be a valid list"),
    (
        'per-file-ignores = ["a.py"]',
        "invalid value for 'per-file-ignores': input should be a valid dictionary",
    ),
    (
        'per-file-ignores = {"a.py" = "FAL1"}',
        "invalid value for 'per-file-ignores.a.py': input should be a valid list",
    ),
    ('exclude = "build"', "invalid value for 'exclude': input should be a valid list"),
    (
        'respect-gitignore = "sometimes"',
        "invalid value for 'respect-gitignore': input should be a valid boolean",
    ),
    (
        'blocking-calls = ["time.sleep"]',
        "invalid value for 'blocking-calls': input should be a valid dictionary",
    ),
    (
        "blocking-calls = {a = 1}",
        "invalid value for 'blocking-calls.a': input should be a valid string",
    ),
    ("unknown-key = 3", "unknown key 'unknown-key'"),
    (
        "single-file-router = 3",
        "invalid value for 'single-file-router': input should be a valid "
        "dictionary or instance of SingleFileRouterOptions",
    ),
    (
        '[tool.fastapi-lint.single-file-router]\nmin-routes = "many"',
        "invalid value for 'single-file-router.min-routes': input should be a valid integer",
    ),
    (
        "[tool.fastapi-lint.single-file-router]\nmin-routes = 1.5",
        "invalid value for 'single-file-router.min-routes': input should be a valid integer",
    ),
    (
        "[tool.fastapi-lint.single-file-router]\nmin-routes = -1",
        "invalid value for "
        "'single-file-router.min-routes': input should be greater than or equal to 1",
    ),
    (
        "[tool.fastapi-lint.single-file-router]\nmin-routes = 0",
        "invalid value for "
        "'single-file-router.min-routes': input should be greater than or equal to 1",
    ),
    (
        "[tool.fastapi-lint.single-file-router]\nmin-resources = 0",
        "invalid value for "
        "'single-file-router.min-resources': input should be greater than or equal to 2",
    ),
    (
        "[tool.fastapi-lint.single-file-router]\nmin-routez = 3",
        "unknown key 'single-file-router.min-routez'",
    ),
]


@pytest.fixture
def configured(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(project)
    return project / "pyproject.toml"


@pytest.mark.parametrize(("body", "expected"), INVALID_CONFIG)
def test_invalid_config_value_is_one_line_naming_file_key_and_expectation(
    configured: Path, body: str, expected: str
) -> None:
    write(configured, f"[tool.fastapi-lint]\n{body}\n")
    code, stdout, stderr = invoke("good.py")
    assert (code, stdout) == (2, "")
    assert (
        stderr == f"fastapi-lint: error: {configured.resolve()}: [tool.fastapi-lint] {expected}\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool]\nfastapi-lint = 3\n", "[tool.fastapi-lint] must be a table"),
        ('[tool]\nfastapi-lint = ["FAL1"]\n', "[tool.fastapi-lint] must be a table"),
        (
            "[tool.fastapi-lint\n",
            "invalid TOML: Expected ']' at the end of a table declaration (at line 1, column 19)",
        ),
        (
            '[tool.fastapi-lint]\nselect = ["FAL1"]\nselect = ["FAL2"]\n',
            "invalid TOML: Cannot overwrite a value (at line 3, column 18)",
        ),
        (b'[tool.fastapi-lint]\nselect = ["\xe9"]\n', "not valid UTF-8: invalid continuation byte"),
    ],
)
def test_broken_config_file_is_one_line(configured: Path, text: str | bytes, expected: str) -> None:
    write(configured, text)
    assert invoke("good.py") == (
        2,
        "",
        f"fastapi-lint: error: {configured.resolve()}: {expected}\n",
    )


@pytest.mark.parametrize("text", ["tool = 3\n", 'tool = "fastapi-lint"\n'])
def test_non_table_tool_is_one_line_naming_the_file(configured: Path, text: str) -> None:
    write(configured, text)
    code, stdout, stderr = invoke("good.py")
    assert (code, stdout) == (2, "")
    assert stderr.startswith(f"fastapi-lint: error: {configured.resolve()}: ")
    assert "internal error" not in stderr
    assert stderr.count("\n") == 1


@pytest.mark.parametrize(
    "body",
    [
        "[tool.fastapi-lint.single-file-router]\nmin-routes = true",
        'respect-gitignore = "yes"',
        'select = ["FAL1"]\n[tool.fastapi-lint.single-file-router]\nmin-routes = "12"',
    ],
)
def test_values_of_the_wrong_toml_type_are_not_coerced(configured: Path, body: str) -> None:
    write(configured, f"[tool.fastapi-lint]\n{body}\n")
    code, _, stderr = invoke("good.py")
    assert code == 2
    assert stderr.startswith(f"fastapi-lint: error: {configured.resolve()}: [tool.fastapi-lint]")


def test_config_path_that_is_a_folder_or_missing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    (project / "conf").mkdir()
    assert invoke("--config", "conf", "good.py") == (
        2,
        "",
        "fastapi-lint: error: conf: cannot read: Is a directory\n",
    )
    assert invoke("--config", "nope.toml", "good.py") == (
        2,
        "",
        "fastapi-lint: error: nope.toml: cannot read: No such file or directory\n",
    )


def test_unknown_codes_in_config_are_warnings(configured: Path) -> None:
    write(configured, '[tool.fastapi-lint]\nselect = ["FAL999", "FAL1"]\nignore = ["XYZ1"]\n')
    code, stdout, stderr = invoke("good.py")
    prefix = f"fastapi-lint: warning: {configured.resolve()}: [tool.fastapi-lint]"
    assert stderr.splitlines() == [
        f"{prefix} select: unknown rule code or prefix 'FAL999'",
        f"{prefix} ignore: unknown rule code or prefix 'XYZ1'",
    ]
    assert code == 1
    assert stdout.startswith("good.py:9:5: FAL101 ")


def test_an_empty_code_in_config_is_an_error(configured: Path) -> None:
    write(configured, '[tool.fastapi-lint]\nignore = ["", "FAL1"]\n')
    code, stdout, stderr = invoke("good.py")
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"fastapi-lint: error: {configured.resolve()}: [tool.fastapi-lint] invalid value for "
        "'ignore.0': string should have at least 1 character\n"
    )


def test_noqa_with_an_unknown_code_warns_naming_file_and_line(project: Path) -> None:
    write(project / "good.py", BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: FAL999"))
    write(project / "bad.py", "x = 1  # noqa: FAL1, FAL001, E501\ny = (\n")
    run = check(project, *SELECT, "bad.py", "good.py")
    assert run.stderr.splitlines() == [
        "fastapi-lint: warning: bad.py:1: unknown rule code 'FAL1' in # noqa",
        "fastapi-lint: warning: good.py:9: unknown rule code 'FAL999' in # noqa",
    ]
    assert (run.code, run.rows) == (1, [("bad.py", 2, 5, "FAL001"), GOOD])


B101, B201 = frozenset({"FAL101"}), frozenset({"FAL101", "FAL201"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x = 1  # noqa\n", {1: None}),
        ("a\r\nb  # NOQA:fal101,FAL201\r\n", {2: B201}),
        ("a\rb  # noqa: FAL101\r", {2: B101}),
        ("a\x0cb\x0c  # noqa: FAL101 FAL201\n", {1: B201}),  # a form feed ends no line
        ("x  # noqa:\nFAL101 = 1\n", {1: None}),  # codes stop at the end of the line
        ("x  # noqa: FAL101\nFAL201 = 1\n", {1: B101}),
        ("#\nnoqa\n", {}),
        ("x  # noqa: FAL101  # noqa\n", {1: B101}),  # the first on a line counts
        (
            's = """\nline\n"""  # noqa: FAL101\nt = 1  # noqa\n',
            {1: B101, 2: B101, 3: B101, 4: None},
        ),
        ("s = '# noqa'\n", {1: None}),  # as flake8: the text is searched, strings included
    ],
)
def test_noqa_comments_by_line(text: str, expected: dict) -> None:
    assert noqa_comments(text) == expected


def test_noqa_with_known_codes_is_silent(project: Path) -> None:
    write(project / "good.py", BLOCKING.replace("time.sleep(1)", "time.sleep(1)  # noqa: FAL101"))
    run = check(project, *SELECT, "good.py")
    assert (run.code, run.stdout, run.stderr) == (0, "All checks passed!\n", "")


# -- check only reads -------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``root`` but the cache: (mtime, size, mode).

    The root folder's own entry is left out too: creating the cache folder changes its mtime.
    """
    state = {}
    for path in root.rglob("*"):
        relative = path.relative_to(root).as_posix()
        if relative.split("/")[0] == ".fastapi_lint_cache":
            continue
        info = path.lstat()
        state[relative] = (info.st_mtime_ns, info.st_size, info.st_mode)
    return state


def booby_trapped_tree(root: Path, marker: Path) -> None:
    """A project whose every file, if imported or run, leaves ``marker`` and exits with 3."""
    trap = f"import os\nopen({str(marker)!r}, 'w').close()\nos._exit(3)\n"
    write(root / "pyproject.toml", '[tool.fastapi-lint]\nselect = ["FAL"]\n')
    for name in [
        "pkg/__init__.py",
        "pkg/__main__.py",
        "conftest.py",
        "setup.py",
        "sitecustomize.py",
        "usercustomize.py",
        "click.py",
        "pydantic.py",
        "fastapi.py",
        "typing_extensions.py",
    ]:
        write(root / name, trap)
    write(root / "pkg" / "app.py", trap + BLOCKING)


@pytest.mark.parametrize("output_format", ["concise", "full", "json", "github"])
def test_check_neither_writes_nor_imports_the_linted_tree(
    tmp_path: Path, output_format: str
) -> None:
    tree, marker = tmp_path / "tree", tmp_path / "imported"
    booby_trapped_tree(tree, marker)
    (tmp_path / "elsewhere").mkdir()
    before = snapshot(tree)
    for extra in [(), ("--statistics",)]:
        run = check(tmp_path / "elsewhere", "--output-format", output_format, *extra, str(tree))
        assert (run.code, run.stderr) == (1, "")
    assert not marker.exists()
    assert snapshot(tree) == before


def test_console_script_does_not_import_from_the_linted_folder(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("fastapi-lint")
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable}")
    tree, marker = tmp_path / "tree", tmp_path / "imported"
    booby_trapped_tree(tree, marker)
    before = snapshot(tree)
    done = subprocess.run([str(script), "check", "."], cwd=tree, capture_output=True, check=False)
    assert (done.returncode, done.stderr) == (1, b"")
    assert not marker.exists()
    assert snapshot(tree) == before
