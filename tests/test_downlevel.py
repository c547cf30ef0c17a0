"""Code newer than the running Python is rewritten in place, keeping every position."""

import ast
import sys

import pytest

from fastapi_lint.downlevel import downlevel

CASES = {
    "type parameters": ("def first[T](items: list[T]) -> T: ...\n", "def first   (items"),
    "class parameters": ("class Box[T: int]:\n    pass\n", "class Box        :"),
    "type alias": ("type Rows[T] = list[T]\n", "_ty_=Rows    = list[T]"),
    "plain alias": ("type Id = int\n", "_ty_=Id = int"),
    "nested quotes": ('x = f"{d["a"]}"\n', "x = f\"{d['a']}\""),
    "except group": ("try:\n    pass\nexcept A, B:\n    pass\n", "except(A,B):"),
    "except star": ("try:\n    pass\nexcept* A, B as e:\n    pass\n", "except*(A,B) as e:"),
}
UNCHANGED = [
    "type = 5\nprint(type(type))\n",
    "x = f\"{d['a']}\" + f'{y!r:>{width}}'\n",
    "def f(x=[1, 2][0]): ...\n",
    "try:\n    pass\nexcept (A, B):\n    pass\n",
    "s = 'except A, B: # not code'\n",
]


@pytest.mark.parametrize(("source", "expected"), CASES.values(), ids=CASES.keys())
def test_rewrites_keep_lines_and_columns(source: str, expected: str) -> None:
    if "except*" in source and sys.version_info < (3, 11):
        pytest.skip("except* needs Python 3.11")
    result = downlevel(source)
    assert expected in result
    assert [len(line) for line in result.splitlines()] == [
        len(line) for line in source.splitlines()
    ]
    ast.parse(result, feature_version=(3, 11))


@pytest.mark.parametrize("source", UNCHANGED)
def test_code_old_pythons_read_is_left_alone(source: str) -> None:
    assert downlevel(source) == source


def test_a_real_syntax_error_stays_an_error() -> None:
    with pytest.raises(SyntaxError):
        ast.parse(downlevel("def broken(:\n    pass\n"))
