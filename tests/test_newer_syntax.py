"""Code written for newer Pythons is analysed on every supported one (issue 13).

``source.parse`` hands a file that ``ast.parse`` rejects to ``newer_syntax``: libcst's parser
reads it, ``cst_to_ast`` converts the tree, and the same module spelt in old syntax must parse
too, or ``ast.parse``'s own error stands. These tests run on every supported Python, 3.10 first:
on a Python that reads a construct itself, its case still shows that the analysis sees it.

The converter is also held to CPython's own trees: for code the running Python parses, its tree
equals ``ast.parse``'s, every field and position (but the positions CPython gives the text parts
and fields of an f-string, which vary between versions and which nothing reads), over the
repository's files and fixtures, snippets with non-ASCII text, and (slow) hypothesmith's
programs.
"""

from __future__ import annotations

import ast
import doctest
import functools
import re
import sys
import sysconfig
import warnings
from pathlib import Path

import hypothesmith
import libcst
import pytest
from helpers import importtime
from hypothesis import HealthCheck, assume, given, settings
from libcst.metadata import PositionProvider

from fastapi_lint import newer_syntax
from fastapi_lint.cst_to_ast import convert
from fastapi_lint.source import decode, parse

ROOT = Path(__file__).resolve().parent.parent
POSITIONS = ("lineno", "col_offset", "end_lineno", "end_col_offset")

# -- each newer construct, analysed -----------------------------------------------------------

# source -> the calls the summariser must see: (function, line, UTF-8 byte column)
NEWER = {
    "PEP 695 function type parameters": (
        "def first[T](items: list[T]) -> T:\n    return pick(items)\n",
        [("pick", 2, 11)],
    ),
    "PEP 695 class type parameters across lines": (
        "class Repo[\n    M: Base,\n    ID,\n]:\n    def get(self, key: ID) -> M:\n"
        "        return load(key)\n",
        [("load", 6, 15)],
    ),
    "PEP 695 type alias": (
        "type Rows[T] = list[T]\nrun()\n",
        [("run", 2, 0)],
    ),
    "PEP 696 type parameter defaults": (
        "class Box[T = int, *Ts = *tuple[int], **P = [int]]:\n    size = measure()\n"
        "def box[T: Base = Base]() -> T:\n    return make()\n",
        [("measure", 2, 11), ("make", 4, 11)],
    ),
    "PEP 701 f-string reusing its quotes": (
        'x = f"{d["a"]} {call(d["b"])}"\n',
        [("call", 1, 16)],
    ),
    "PEP 701 f-string field across lines, with a comment": (
        'x = f"{\n    call()  # a comment\n} and {other()!r:>{width()}}"\n',
        [("call", 2, 4), ("other", 3, 7), ("width", 3, 19)],
    ),
    "PEP 701 backslash in an f-string field": (
        'x = f"{"\\n".join(lines())}"\n',
        [("'\\n'.join", 1, 7), ("lines", 1, 17)],
    ),
    "PEP 701 nested f-strings": (
        "x = f'{f'{f'{deep()}'}'}'\n",
        [("deep", 1, 13)],
    ),
    "PEP 750 t-string": (
        't = t"{name!r:>{width()}} {call()}"\n',
        [("width", 1, 16), ("call", 1, 27)],
    ),
    "PEP 750 t-string on a non-ASCII line": (
        't = t"Grüße — {call()}"\n',
        [("call", 1, 19)],
    ),
    "PEP 750 t-string across lines": (
        't = t"""\n{call(\n    1,\n)}"""\n',
        [("call", 2, 1)],
    ),
    "PEP 758 except without parentheses": (
        "try:\n    pass\nexcept ValueError, TypeError:\n    handle()\n",
        [("handle", 4, 4)],
    ),
    "PEP 758 except* without parentheses": (
        "try:\n    pass\nexcept* ValueError, TypeError:\n    handle()\n",
        [("handle", 4, 4)],
    ),
    "PEP 654 except* (3.11)": (
        "try:\n    pass\nexcept* ValueError as group:\n    handle(group)\n",
        [("handle", 4, 4)],
    ),
    "PEP 646 star expressions (3.11)": (
        "def f(*args: *Ts) -> tuple[*Ts]:\n    return call(x[*args])\n",
        [("call", 2, 11)],
    ),
    "everything at once, in a route": (
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "@app.get('/')\nasync def route[T](x: T) -> str:\n"
        "    try:\n        return f'{t\"{sleep()}\"!r}'\n    except A, B:\n        raise\n",
        [("FastAPI", 2, 6), ("app.get", 3, 1), ("sleep", 6, 21)],
    ),
}


def calls(tree: ast.AST) -> list[tuple[str, int, int]]:
    return [
        (ast.unparse(node.func), node.lineno, node.col_offset)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    ]


@pytest.mark.parametrize(("source", "expected"), NEWER.values(), ids=NEWER.keys())
def test_newer_syntax_is_analysed(source: str, expected: list) -> None:
    assert sorted(calls(parse(source))) == sorted(expected)


def test_a_type_alias_binds_its_name_and_keeps_its_value_unrun() -> None:
    tree = parse("type Handler[T = int] = Callable[[T], Awaitable[None]]\n")
    alias = tree.body[0]
    assert type(alias).__name__ == "TypeAlias"
    assert (alias.name.id, type(alias.name.ctx)) == ("Handler", ast.Store)
    assert ast.unparse(alias.value) == "Callable[[T], Awaitable[None]]"
    assert (alias.lineno, alias.col_offset, alias.end_col_offset) == (1, 0, 54)


def test_t_strings_become_joined_strings_keeping_their_interpolations() -> None:
    value = parse('t"a{b!r:>{c}}d{e=}"\n').body[0].value
    assert isinstance(value, ast.JoinedStr)
    parts = [(type(v).__name__, getattr(v, "value", None)) for v in value.values]
    assert [p[0] for p in parts] == ["Constant", "FormattedValue", "Constant", "FormattedValue"]
    assert parts[0][1] == "a"
    assert parts[2][1] == "de="
    assert value.values[1].conversion == ord("r")
    assert value.values[3].conversion == ord("r")  # the default of `=`


def test_unparenthesised_except_holds_a_tuple() -> None:
    handler = parse("try:\n    pass\nexcept A, B:\n    pass\n").body[0].handlers[0]
    assert isinstance(handler.type, ast.Tuple)
    assert [n.id for n in handler.type.elts] == ["A", "B"]
    assert (handler.type.lineno, handler.type.col_offset, handler.type.end_col_offset) == (3, 7, 11)


# -- what no Python accepts stays an error, with ast.parse's message and position -------------

INVALID = {
    "assignment to a literal": "type X = int\n1 = x\n",
    "keyword unpacking before iterable unpacking": 'x = t"{a}"\nf(**a, *b)\n',
    "parameter without a default after one with": "def f[T](a=1, b):\n    pass\n",
    "t-string beside a plain string": 'x = t"{a}" "b"\n',
    "t-string beside bytes": 'x = t"{a}" b"b"\n',
    "bytes beside a str, with a t-string": 'x = b"a" "b"\ny = t""\n',
    "non-ASCII bytes": "x = b'\u00e9'\ny = t''\n",
    "space after the conversion's '!'": 'x = f"{a! r}" + t""\n',
    "format specification nested too deeply": 'x = f"{a:{b:{c:{d}}}}" + t""\n',
    "unparenthesised generator in a field": 'x = t"{a for a in b}"\n',
    "unknown character name": 'x = t"\\N{NO SUCH NAME}"\n',
    "except tuple with a name": "try:\n    pass\nexcept A, B as e:\n    pass\n",
    "Python 2 print": 'print "x"\ny = t""\n',
    "tabs and spaces": 'if x:\n        a = t""\n\tb = 2\n',
    "invalid decimal literal": 'x = 0777 + t""\n',
    "starred type alias value": "type X = *a\n",
    "walrus at statement level": 'x := t"a"\n',
    "unclosed bracket": 'x = (t"a"\n',
}


def error_of(source: str) -> tuple[str, int | None, int | None]:
    try:
        ast.parse(source)
    except SyntaxError as error:
        return error.msg, error.lineno, error.offset
    raise AssertionError("ast.parse accepted it")


@pytest.mark.parametrize("source", INVALID.values(), ids=INVALID.keys())
def test_what_no_python_accepts_is_ast_parses_error(source: str) -> None:
    expected = error_of(source)
    with pytest.raises(SyntaxError) as caught:
        parse(source)
    assert (caught.value.msg, caught.value.lineno, caught.value.offset) == expected


@functools.cache
def cpython_syntax_errors() -> list[str]:
    """The programs the running Python's own ``test_syntax`` expects a ``SyntaxError`` from."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from test import test_syntax
    except ImportError:  # a Python installed without its test suite
        return []
    examples = doctest.DocTestParser().get_examples(test_syntax.__doc__ or "")
    return [example.source for example in examples if "SyntaxError" in example.want]


@pytest.mark.skipif(not cpython_syntax_errors(), reason="no test suite in this Python")
def test_cpythons_own_syntax_errors_stay_errors_but_for_pep_758() -> None:
    accepted = []
    for source in cpython_syntax_errors():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(source)
        except SyntaxError as error:
            expected = (error.msg, error.lineno, error.offset)
        else:
            continue  # an error of the compiler, not of the parser: ast.parse reads it
        try:
            parse(source)
        except SyntaxError as error:
            assert (error.msg, error.lineno, error.offset) == expected, source
        else:
            accepted.append(source)
    assert accepted
    assert all(re.search(r"except\*? \w+(, \w+)+:", source) for source in accepted), accepted


# -- inputs that would make libcst slow or crash ----------------------------------------------


MEASURED = {
    "brackets in strings and comments are text": ("x = '((((' + \"]]\"  # ((((\n", 0),
    "f-string fields are brackets": ("x = f\"{ {'a': (1)} }\"\n", 3),
    "a comment in a field across lines": ("x = f'{\n  a  # }\n}' + (b)\n", 1),
    "format specifications hold fields": ("x = t'{a:{b:>{c}}}'\n", 3),
    "doubled braces and escapes are text": ("x = f'{{a}} \\N{DASH} \\{{' + rf'\\{b}'\n", 1),
    "strings in fields reuse the quotes": ('x = f"{d["(("]}" + "("\n', 2),
    "triple-quoted text spans lines": ('x = f"""\n{(\n1)}\n(((\n"""\n', 2),
}


@pytest.mark.parametrize(("source", "brackets"), MEASURED.values(), ids=MEASURED.keys())
def test_bracket_depth_is_measured_as_the_tokenizer_sees_it(source: str, brackets: int) -> None:
    assert newer_syntax.measure(source)[0] == brackets


def test_nesting_is_measured_per_statement_and_per_element() -> None:
    chain = newer_syntax.measure("x = " + " + ".join(["a"] * 500) + "\n")[1]
    assert chain > 1000
    assert newer_syntax.measure("x = a + b\n" * 500)[1] < 10
    assert newer_syntax.measure("x = [" + "a + b, " * 500 + "]\n")[1] < 10
    assert newer_syntax.measure("x = (" + "a + " * 500 + "b)\n")[1] > 1000


def test_brackets_deeper_than_any_python_takes_are_ast_parses_error() -> None:
    source = 'x = t""\ny = ' + "(" * 300 + "1" + ")" * 300 + "\n"
    expected = error_of(source)
    with pytest.raises(SyntaxError) as caught:
        parse(source)
    assert (caught.value.msg, caught.value.lineno, caught.value.offset) == expected


@pytest.mark.parametrize(
    "chain",
    [
        " + ".join(["a"] * 3000),
        "not " * 5000 + "a",
        "lambda: " * 2500 + "a",
        " ".join(['"s"'] * 5000),
    ],
    ids=["additions", "nots", "lambdas", "implicit-concatenation"],
)
def test_nesting_too_deep_to_retry_keeps_the_error_and_says_why(chain: str) -> None:
    source = f'x = t""\ny = {chain}\n'
    message, line, column = error_of(source)
    with pytest.raises(SyntaxError) as caught:
        parse(source)
    assert (caught.value.lineno, caught.value.offset) == (line, column)
    assert caught.value.msg.startswith(message)
    assert "nested too deeply" in caught.value.msg


@pytest.mark.parametrize(
    "chain",
    [
        " + ".join(["a"] * 600),
        " ".join(['"s"'] * 700),
        "f(" * 150 + ")" * 150,
        "lambda: " * 600 + "a",
    ],
    ids=["additions", "implicit-concatenation", "calls", "lambdas"],
)
def test_deep_but_real_nesting_is_analysed(chain: str) -> None:
    tree = parse(f'x = t""\ny = {chain}\n')
    assert tree.body[1].targets[0].id == "y"


def test_a_recursion_error_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(newer_syntax, "RECURSION_LIMIT", 0)
    source = 'x = t""\ny = ' + " + ".join(["a"] * 1500) + "\n"
    with pytest.raises(SyntaxError, match="nested too deeply"):
        parse(source)


# -- the converter against CPython's own trees ------------------------------------------------


def difference(ours: object, cpython: object, path: str = "tree", loose: bool = False) -> str:
    """Where two trees differ (``""`` if nowhere); ``loose`` skips positions."""
    if isinstance(cpython, ast.AST):
        if type(ours).__name__ != type(cpython).__name__:
            return f"{path}: {type(ours).__name__} is not {type(cpython).__name__}"
        if not loose:
            for name in POSITIONS:
                mine, theirs = getattr(ours, name, None), getattr(cpython, name, None)
                if mine != theirs:
                    return f"{path}.{name}: {mine} is not {theirs}"
        for name in cpython._fields:
            mine, theirs = getattr(ours, name, None), getattr(cpython, name, None)
            if isinstance(cpython, ast.JoinedStr) and name == "values":
                # CPython's positions of text parts and of fields, not of the code in them
                mine, theirs = without_empty(mine), without_empty(theirs)
                found = difference(mine, theirs, f"{path}.values", loose=True)
            elif isinstance(cpython, ast.FormattedValue) and name == "value":
                found = difference(mine, theirs, f"{path}.value", loose and NEW_FSTRINGS)
            else:
                found = difference(mine, theirs, f"{path}.{name}", loose)
            if found:
                return found
        return ""
    if isinstance(cpython, list):
        if not isinstance(ours, list) or len(ours) != len(cpython):
            return f"{path}: {ours!r} is not {cpython!r}"
        for index, (mine, theirs) in enumerate(zip(ours, cpython, strict=True)):
            found = difference(mine, theirs, f"{path}[{index}]", loose)
            if found:
                return found
        return ""
    if type(ours) is not type(cpython) or (ours != cpython and ours == ours):
        return f"{path}: {ours!r} is not {cpython!r}"
    return ""


NEW_FSTRINGS = sys.version_info >= (3, 12)  # before, CPython placed code in fields loosely


def without_empty(values: list) -> list:
    """A ``JoinedStr``'s values less the empty text 3.12 leaves at the end of a format spec."""
    return [v for v in values if not (isinstance(v, ast.Constant) and v.value == "")]


def assert_same_as_cpython(source: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = ast.parse(source)
        tree, old_syntax = newer_syntax.on_large_stack(
            lambda text: convert(libcst.parse_module(text), text), source
        )
        ast.parse(old_syntax)
    assert difference(tree, expected) == ""


def repository_files() -> list[Path]:
    files = []
    for folder in ("fastapi_lint", "tests", "fixtures"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


def parses(source: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError):
        return False
    return True


@pytest.mark.parametrize("path", repository_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_converted_tree_is_cpythons_on_the_repository(path: Path) -> None:
    source = path.read_bytes().decode("utf-8")
    if not parses(source):
        pytest.skip("this Python does not parse it")
    assert_same_as_cpython(source)


def standard_library_sample() -> list[Path]:
    """Every eighth module of the running Python's standard library and its test suite."""
    root = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)
    return files[::8]


@pytest.mark.slow
def test_converted_tree_is_cpythons_on_the_standard_library() -> None:
    """Beside differences, libcst's own limits are counted: it rejects a few valid files
    (``(name): int``), rewrites a few (``f"{x!r }"``), and on 3.12 recurses too deep for
    some: those stay FAL001 when they need the retry."""
    checked, differences, limits = 0, [], []
    for path in standard_library_sample():
        try:
            source = decode(path.read_bytes())
        except (SyntaxError, UnicodeDecodeError, LookupError):
            continue
        if not parses(source):
            continue
        try:
            if libcst.parse_module(source).code != source:
                limits.append(path)
                continue
            assert_same_as_cpython(source)
        except (libcst.ParserSyntaxError, RecursionError):  # 3.12: pydoc_data/topics.py
            limits.append(path)
            continue
        except AssertionError as error:
            differences.append(f"{path}: {error}")
        checked += 1
    assert differences == []
    assert checked > 150
    assert len(limits) <= 2, limits


SNIPPETS = {
    "non-ASCII before calls": 'x = "é" + f("ü", ß=g(ø))  # ñ\ny = {"日本": h(1)}[k()]\n',
    "non-ASCII in f-strings": 'x = f"é{a(1)!r:>{b()}}ü{c = }"\n',
    "non-ASCII around lambdas and decorators": (
        "@deco('ä')\ndef f(é=lambda ü: ñ(ü), *ø: 'ß', **名):\n"
        "    return [日(本) for 本 in 値 if 数]\n"
    ),
    "match on a non-ASCII line": (
        "match 'é', x:\n    case ('é', [1, *rest]) | {'k': Point(x=0) as p, **kw} if g(p):\n"
        "        pass\n    case _:\n        pass\n"
    ),
    "statements": (
        "import a.b as c, d\nfrom ...x import (y as z, w)\nfrom . import *\n"
        "async def f():\n    async with a() as (b, c), d:\n        async for e in f(): pass\n"
        "    global g\n    del a, (b), [c]\n    x: int = 1\n    x += await y\n"
        "    return (yield), (yield from z)\n"
        "try:\n    raise E from F\nexcept (A, B) as e:\n    assert e, 'm'\nelse:\n    pass\n"
        "finally:\n    nonlocal_ = 1\nwhile x:\n    break\nelse:\n    continue\n"
    ),
    "expressions": (
        "x = a if b else c or d and e or (f or g)\ny = not -~+a ** b // c @ d\n"
        "z = a < b <= c is not d not in e\nw = [*a, *b], {**c, 'd': 1}, {1, *e}\n"
        "v = a[1:2, ::3, b:], a[()], a[(1, 2)], a[1,]\nu = (x for x in y), f(x for x in y)\n"
        "t = {k: v for k, v in a if k async for v in b}\ns = ((1, 2)), (), (1,)\n"
        "r = b'x' b'y', 'a' 'b', u'c' 'd', 1_000, 0x1F, 1.5e-3, 2j, ...\n"
        "q = (a := 1), lambda: (yield)\np = f(*a, b, *c, d=1, **e)\n"
    ),
    "f-strings": (
        "x = f'{a}' f'{b!s:>{c}}' 'plain' f\"{d=}\" f'{e = !a:^10}' rf'\\{f}' f'{{g}}'\n"
        "y = f'''\n{h(\n    1)}\n'''\n"
    ),
    "line breaks": "x = (\r\n  f(1)\r\n)\ry = g(\n 2)\\\n  + h(3)\n",
}


@pytest.mark.parametrize("source", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_converted_tree_is_cpythons_on_snippets(source: str) -> None:
    assert_same_as_cpython(source)


@pytest.mark.slow
@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(source=hypothesmith.from_grammar())
def test_converted_tree_is_cpythons_on_any_valid_module(source: str) -> None:
    assume(parses(source))
    try:
        libcst.parse_module(source)
    except libcst.ParserSyntaxError:
        assume(False)  # hypothesmith's grammar is wider than libcst's in places
    assert_same_as_cpython(source)


def test_positions_fall_back_to_libcsts_public_way(monkeypatch: pytest.MonkeyPatch) -> None:
    """``cst_to_ast`` asks libcst's ``PositionProvider`` directly (``MetadataWrapper`` would walk
    the tree once more); should libcst's internals change, it takes the public way."""
    original = PositionProvider._gen_impl
    calls = []

    def first_call_fails(self: PositionProvider, module: libcst.Module) -> None:
        calls.append(module)
        if len(calls) == 1:
            raise AttributeError("internals changed")
        original(self, module)

    monkeypatch.setattr(PositionProvider, "_gen_impl", first_call_fails)
    assert_same_as_cpython(SNIPPETS["non-ASCII before calls"])
    assert len(calls) == 2


# -- libcst only for the files that need it ---------------------------------------------------


def test_libcst_is_imported_only_for_a_file_this_python_rejects(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import time\nasync def f():\n    time.sleep(1)\n")
    _, imported = importtime(tmp_path, "check", "--no-cache", "app.py")
    assert "libcst" not in imported
    (tmp_path / "newer.py").write_text('x = t"{y}"\n')
    _, imported = importtime(tmp_path, "check", "--no-cache", "newer.py")
    assert "libcst" in imported
