"""Property tests: whatever valid Python it is given, a lint run never raises.

Two sources of programs: ``hypothesmith.from_grammar()``, any syntactically valid Python, and a
strategy that assembles FastAPI-shaped projects (apps, routers, routes, ``Depends``,
``include_router``, middleware, helpers calling each other across modules) from fragments with
random arguments, so that the FastAPI model and the event-loop analysis get odd inputs too.

The runs are deterministic and small by default. To hunt for crashes, run many more examples
with fresh randomness::

    FASTAPI_LINT_HUNT=3000 pytest tests/test_property.py

Every crash found becomes a fixture: ``fixtures/FAL001/`` for files that do not parse, else a
minimal reproducer reported to whoever owns the code that crashed.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
from pathlib import Path

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fastapi_lint.config import Settings, defaults_for_rules
from fastapi_lint.engine import lint
from fastapi_lint.reporters import REPORTERS, source_lines, statistics_json
from fastapi_lint.rules import all_rules

HUNT = int(os.environ.get("FASTAPI_LINT_HUNT", "0"))
PROPERTY = settings(
    max_examples=HUNT or 200,
    deadline=None,
    derandomize=not HUNT,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)
DEFAULTS = Settings(rule_options=defaults_for_rules())
EVERY_RULE = Settings(select=["ALL"], rule_options=defaults_for_rules())

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::SyntaxWarning"),  # hypothesmith compiles its output
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("property")


def fresh(workdir: Path) -> Path:
    """An empty project folder, reused by every example of a test."""
    folder = workdir / "project"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    return folder


def assert_honest(result, files: dict[Path, str]) -> None:  # type: ignore[no-untyped-def]
    """No error, and every finding points inside the file it names, with a known code."""
    assert result.errors == [], result.errors
    assert result.files == len(files)
    known = all_rules()
    paths = {str(path) for path in files}
    for finding in result.findings:
        assert finding.code in known
        assert finding.path in paths
        lines = source_lines(finding.path)
        assert 1 <= finding.line <= max(len(lines), 1), finding
        assert 1 <= finding.col <= len(lines[finding.line - 1]) + 1, finding
        assert (finding.end_line, finding.end_col) >= (finding.line, finding.col), finding
    for render in REPORTERS.values():
        render(result.findings, Settings())
    json.loads(REPORTERS["json"](result.findings, Settings()))
    json.loads(statistics_json(result.findings))


# -- any valid Python -------------------------------------------------------------------------


@PROPERTY
@given(source=hypothesmith.from_grammar())
def test_any_valid_module_lints_without_error(workdir: Path, source: str) -> None:
    path = fresh(workdir) / "generated.py"
    path.write_text(source, encoding="utf-8")
    result = lint([path], DEFAULTS)
    assert_honest(result, {path: source})
    assert "FAL001" not in {f.code for f in result.findings}, result.findings


# -- FastAPI-shaped projects ------------------------------------------------------------------

NAMES = ["app", "router", "api", "sub", "session", "db", "client", "helper", "dep", "x", "self"]
ATOMS = st.sampled_from(
    [
        *NAMES,
        "None",
        "True",
        "0",
        "-1",
        "1.5",
        '"/"',
        '"/items/{item_id}"',
        '"*"',
        '"http"',
        '"startup"',
        '""',
        "b'x'",
        'f"/{x}"',
        "...",
        "time.sleep",
        "requests.get",
        "Depends",
        "FastAPI",
        "APIRouter",
        "CORSMiddleware",
        "Session",
        "Item",
        "origins",
        '["*"]',
        '["https://a.example"]',
        "[]",
        "{}",
        "()",
    ]
)


def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Compound expressions over ``inner``; operands are parenthesised, so any nesting parses."""
    group = inner.map(lambda e: f"({e})")
    args = st.lists(group, max_size=3).map(", ".join)
    return st.one_of(
        st.tuples(group, args).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(group, st.sampled_from([*NAMES, "get", "include_router", "state"])).map(
            lambda t: f"{t[0]}.{t[1]}"
        ),
        st.lists(group, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(group, group), max_size=2).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
        group.map(lambda e: f"Depends{e}"),
        group.map(lambda e: f"lambda *a, **k: {e}"),
        group.map(lambda e: f"[*{e}]"),
        st.tuples(group, group, group).map(lambda t: f"{t[0]} if {t[1]} else {t[2]}"),
        st.tuples(group, group).map(lambda t: f"{t[0]} or {t[1]}"),
        st.tuples(group, group).map(lambda t: f"{t[0]}[{t[1]}]"),
        group.map(lambda e: f"(x := {e})"),
        group.map(lambda e: f"[y for y in {e}]"),
        group.map(lambda e: f"await {e}"),
    )


EXPR = st.recursive(ATOMS, extend, max_leaves=6)
# Now and then any expression at all, from the grammar (parenthesised: it may end in a comment).
GROUP = st.one_of(
    EXPR.map(lambda e: f"({e})"),
    EXPR.map(lambda e: f"({e})"),
    EXPR.map(lambda e: f"({e})"),
    hypothesmith.from_grammar(start="eval_input").map(lambda e: f"({e.strip()}\n)"),
)
KEYWORDS = st.sampled_from(
    [
        "prefix",
        "dependencies",
        "response_model",
        "allow_origins",
        "allow_credentials",
        "allow_origin_regex",
        "methods",
        "path",
        "router",
        "endpoint",
        "lifespan",
        "on_startup",
        "exception_handlers",
        "middleware",
        "tags",
        "app",
    ]
)
CALL_ARGS = st.tuples(
    st.lists(GROUP, max_size=3),
    st.lists(st.tuples(KEYWORDS, GROUP), max_size=3, unique_by=lambda kv: kv[0]),
    st.sampled_from(["", "*args", "**kwargs", "*args, **kwargs"]),
).map(lambda t: ", ".join([*t[0], *(f"{k}={v}" for k, v in t[1]), *([t[2]] if t[2] else [])]))

IMPORTS = st.lists(
    st.sampled_from(
        [
            "import time",
            "import time as t",
            "from time import sleep",
            "import requests",
            "import asyncio",
            "import fastapi",
            "import fastapi as fa",
            "from fastapi import *",
            "from fastapi import FastAPI, APIRouter, Depends, Request",
            "from fastapi import FastAPI as App, APIRouter as R",
            "from fastapi.middleware.cors import CORSMiddleware",
            "from starlette.middleware import Middleware",
            "from starlette.middleware.base import BaseHTTPMiddleware",
            "from sqlalchemy.orm import Session",
            "from sqlalchemy import create_engine",
            "from pydantic import BaseModel",
            "from . import routes",
            "from .routes import router, helper",
            "from .deps import *",
            "from .main import app",
            "from .. import nothing",
            "import pkg.main",
            "from pkg import deps as d",
        ]
    ),
    max_size=8,
)


STATEMENTS = [
    "time.sleep(1)",
    "sleep(0.1)",
    "requests.get('https://a.example')",
    "open('f').read()",
    "session.query(Item).all()",
    "db.execute('select 1')",
    "create_engine('sqlite://').connect()",
    "helper({e})",
    "x = {e}",
    "return {e}",
    "yield {e}",
    "x: {e} = {e}",
    "app.include_router({args})",
    "router.include_router({args})",
    "app.add_middleware({args})",
    "app.mount({args})",
    "app.add_api_route({args})",
    "app.add_api_websocket_route({args})",
    "app.add_exception_handler({args})",
    "app.add_event_handler({args})",
    "background.add_task({args})",
    "CORSMiddleware(app, {args})",
    "with {e} as x:\n    pass",
    "for x in {e}:\n    helper(x)",
    "if {e}:\n    time.sleep(1)\nelse:\n    pass",
    "try:\n    helper()\nexcept {e}:\n    raise",
    "def inner(q={e}):\n    return time.sleep(q)",
    "global app",
    "del router",
    "match {e}:\n    case {'k': v}:\n        helper(v)\n    case _:\n        pass",
    "lambda: time.sleep({e})",
    "pass",
]
ASYNC_STATEMENTS = [
    "await {e}",
    "await asyncio.sleep(0)",
    "await asyncio.to_thread({e})",
    "await run_in_threadpool(time.sleep, {e})",
    "async with {e} as x:\n    pass",
    "async for x in {e}:\n    pass",
]


@st.composite
def statement(draw: st.DrawFn, is_async: bool) -> str:
    """One statement (maybe compound) of a function body or module, unindented."""
    template = draw(st.sampled_from(STATEMENTS + ASYNC_STATEMENTS if is_async else STATEMENTS))
    return fill(template, e=draw(GROUP), args=draw(CALL_ARGS))


def fill(template: str, **values: str) -> str:
    """``template`` with each ``{name}`` replaced (unlike ``str.format``, braces elsewhere stay)."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def indented(text: str, prefix: str = "    ") -> list[str]:
    return [prefix + line for line in text.splitlines()]


TARGETS = st.sampled_from(["app", "router", "api", "sub", "self.app", "fa.FastAPI()", "x"])
VERBS = st.sampled_from(
    [
        "get",
        "post",
        "api_route",
        "websocket",
        "middleware",
        "on_event",
        "exception_handler",
        "delete",
        "route",
        "other",
    ]
)
PARAMS = [
    "p=Depends({e})",
    "db: Session = Depends(get_db)",
    "request: Request",
    "self",
    "q: {e} = None",
    "*args",
    "**kwargs",
    "background",
]


@st.composite
def function(draw: st.DrawFn) -> str:
    """A route, a dependency, a helper or a handler, possibly decorated."""
    is_async = draw(st.booleans())
    name = draw(st.sampled_from(["items", "helper", "dep", "get_db", "handler", "dispatch", "f"]))
    decorators = []
    for _ in range(draw(st.integers(0, 2))):
        target, verb = draw(TARGETS), draw(VERBS)
        decorators.append(
            draw(
                st.sampled_from(
                    [f"@{target}.{verb}({{args}})", f"@{target}.{verb}", "@staticmethod", "@cache"]
                )
            ).replace("{args}", draw(CALL_ARGS))
        )
    chosen = draw(st.lists(st.sampled_from(PARAMS), max_size=3, unique=True))
    params = [p.replace("{e}", draw(GROUP)) for p in chosen if not p.startswith("*")]
    params.sort(key=lambda p: "=" in p)
    params += sorted((p for p in chosen if p.startswith("*")), key=len)  # *args, **kwargs
    body = draw(st.lists(statement(is_async), min_size=1, max_size=4))
    returns = draw(st.sampled_from(["", " -> Item", " -> dict", " -> None", " -> {e}"]))
    head = f"{'async ' if is_async else ''}def {name}({', '.join(params)}){returns}:"
    lines = [*decorators, head.replace("{e}", draw(GROUP))]
    lines += [line for stmt in body for line in indented(stmt)]
    return "\n".join(lines)


APPS = [
    "app = FastAPI({args})",
    "app = fa.FastAPI()",
    "app = App()",
    "app = FastAPI(middleware=[Middleware(CORSMiddleware, {args})])",
    "app = create_app()",
    "",
]
ROUTERS = ["router = APIRouter({args})", "router = R()", "router = app", ""]
BASES = [
    "BaseHTTPMiddleware",
    "APIRouter",
    "FastAPI",
    "BaseModel",
    "Thing",
    "object",
    "metaclass=type",
]
GET_DB = (
    "def get_db():\n    db = Session()\n    try:\n        yield db\n"
    "    finally:\n        db.close()"
)


@st.composite
def module(draw: st.DrawFn) -> str:
    parts = draw(IMPORTS)
    parts.append(draw(st.sampled_from(APPS)).replace("{args}", draw(CALL_ARGS)))
    parts.append(draw(st.sampled_from(ROUTERS)).replace("{args}", draw(CALL_ARGS)))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["function", "statement", "class", "model", "get_db"]))
        if kind == "function":
            parts.append(draw(function()))
        elif kind == "statement":
            parts.append(draw(statement(is_async=False)))
        elif kind == "class":
            base, method = draw(st.sampled_from(BASES)), draw(function())
            parts.append("\n".join([f"class Thing({base}):", *indented(method)]))
        elif kind == "model":
            parts.append("class Item(BaseModel):\n    name: str")
        else:
            parts.append(GET_DB)
    noqa = draw(st.sampled_from(["", "  # noqa", "  # noqa: FAL101", "  # noqa: FAL999"]))
    return "\n".join(parts).replace("time.sleep(1)", f"time.sleep(1){noqa}", 1) + "\n"


@st.composite
def project(draw: st.DrawFn) -> dict[str, str]:
    """A package of up to four modules that import each other, or a single file."""
    names = draw(
        st.sampled_from(
            [
                ["app.py"],
                ["pkg/__init__.py", "pkg/main.py"],
                ["pkg/__init__.py", "pkg/main.py", "pkg/routes.py", "pkg/deps.py"],
                ["main.py", "routes.py", "deps.py"],
            ]
        )
    )
    return {name: draw(module()) for name in names}


@PROPERTY
@given(files=project())
def test_fastapi_shaped_projects_lint_without_error(workdir: Path, files: dict[str, str]) -> None:
    root = fresh(workdir)
    written = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written[path] = text
    result = lint([root], EVERY_RULE)
    assert_honest(result, written)
    assert "FAL001" not in {f.code for f in result.findings}, files


# -- real FastAPI code, mutated ---------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*.py") if p.parent.name != "FAL001")
IDENTIFIER = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


@st.composite
def mutated_fixture(draw: st.DrawFn) -> str:
    """A fixture file with lines deleted, duplicated or moved, names swapped, async flipped."""
    text = draw(st.sampled_from(FIXTURE_FILES)).read_text(encoding="utf-8")
    lines = text.splitlines()
    names = sorted(set(IDENTIFIER.findall(text)))
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        j = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "move", "rename", "async"]))
        if operation == "delete":
            del lines[i]
        elif operation == "duplicate":
            lines.insert(j, lines[i])
        elif operation == "move":
            lines.insert(j, lines.pop(i))
        elif operation == "rename" and names:
            old, new = draw(st.sampled_from(names)), draw(st.sampled_from(names))
            lines[i] = re.sub(rf"\b{re.escape(old)}\b", new, lines[i])
        elif operation == "async":
            line = lines[i]
            lines[i] = (
                line.replace("async def", "def")
                if "async" in line
                else line.replace("def ", "async def ", 1)
            )
    return "\n".join(lines) + "\n"


def parses(source: str) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


@PROPERTY
@given(sources=st.lists(mutated_fixture(), min_size=1, max_size=3))
def test_mutated_fixtures_lint_without_error(workdir: Path, sources: list[str]) -> None:
    assume(all(parses(source) for source in sources))
    root = fresh(workdir)
    (root / "pkg").mkdir()
    written = {root / "pkg" / "__init__.py": ""}
    written |= {root / "pkg" / f"module_{i}.py": source for i, source in enumerate(sources)}
    for path, text in written.items():
        path.write_text(text, encoding="utf-8")
    result = lint([root], EVERY_RULE)
    assert_honest(result, written)
    assert "FAL001" not in {f.code for f in result.findings}
