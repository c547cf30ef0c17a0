"""Users extend the knowledge base in [tool.fastapi-lint]; each setting changes what is found."""

from pathlib import Path

import pytest

from fastapi_lint.config import Settings, defaults_for_rules
from fastapi_lint.engine import lint

APP = """from fastapi import Depends, FastAPI
from sqlalchemy.orm import Session
from mylib.pdf import render
from mylib.db import LegacyClient, AsyncClient
from mylib.workers import offload

app = FastAPI()
legacy = LegacyClient()
modern = AsyncClient()


def get_db() -> Session: ...


def slow_helper() -> None:
    render("report")


def cached_config() -> dict:
    return legacy.fetch("config")


@app.get("/a")
async def a() -> None:
    render("invoice")  # render in route


@app.get("/b")
async def b() -> None:
    legacy.fetch("rows")  # legacy in route
    modern.fetch("rows")  # modern in route


@app.get("/c")
async def c(db: Session = Depends(get_db)) -> None:
    slow_helper()  # helper in route
    cached_config()  # cached in route
    pending = offload(str, db)  # offloaded session
    await pending
"""


def line_of(marker: str) -> int:
    return next(n for n, text in enumerate(APP.splitlines(), 1) if f"# {marker}" in text)


def findings(tmp_path: Path, **settings: object) -> set[tuple[int, str]]:
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    options = Settings(select=["FAL1"], rule_options=defaults_for_rules(), **settings)
    return {(f.line, f.code) for f in lint([tmp_path / "app.py"], options).findings}


def test_without_settings_only_the_known_session_is_reported(tmp_path: Path) -> None:
    assert findings(tmp_path) == {(line_of("offloaded session"), "FAL102")}


def test_blocking_calls(tmp_path: Path) -> None:
    found = findings(tmp_path, blocking_calls={"mylib.pdf.render": "renders a PDF"})
    assert {(line_of("render in route"), "FAL101"), (line_of("helper in route"), "FAL103")} <= found


@pytest.mark.parametrize(
    "setting",
    [
        {"sync_db_calls": {"mylib.db.LegacyClient.fetch": "queries synchronously"}},
        {"sync_db_types": ["mylib.db.LegacyClient"]},
    ],
)
def test_sync_db_calls_and_types(tmp_path: Path, setting: dict) -> None:
    found = findings(tmp_path, **setting)
    assert (line_of("legacy in route"), "FAL102") in found
    assert (line_of("cached in route"), "FAL103") in found
    assert (line_of("modern in route"), "FAL102") not in found


def test_async_db_types_are_never_sync(tmp_path: Path) -> None:
    both = {"sync_db_types": ["mylib.db.LegacyClient", "mylib.db.AsyncClient"]}
    assert (line_of("modern in route"), "FAL102") in findings(tmp_path, **both)
    after = findings(tmp_path, **both, async_db_types=["mylib.db.AsyncClient"])
    assert (line_of("modern in route"), "FAL102") not in after
    assert (line_of("legacy in route"), "FAL102") in after


def test_offload_wrappers(tmp_path: Path) -> None:
    found = findings(tmp_path, offload_wrappers=["mylib.workers.offload"])
    assert (line_of("offloaded session"), "FAL102") not in found


def test_safe_functions(tmp_path: Path) -> None:
    sync_db = {"sync_db_types": ["mylib.db.LegacyClient"]}
    found = findings(tmp_path, **sync_db, safe_functions=["app.cached_config"])
    assert (line_of("cached in route"), "FAL103") not in found
    assert (line_of("legacy in route"), "FAL102") in found


def test_a_blocking_class_wildcard_covers_every_method(tmp_path: Path) -> None:
    """``"pkg.Client.*"`` in blocking-calls: each method call on an instance is blocking."""
    found = findings(tmp_path, blocking_calls={"mylib.db.LegacyClient.*": "calls a legacy API"})
    assert (line_of("legacy in route"), "FAL101") in found
    assert (line_of("cached in route"), "FAL103") in found
    assert (line_of("modern in route"), "FAL101") not in found


def test_a_wildcard_overrides_a_known_class(tmp_path: Path) -> None:
    """A user entry replaces the built-in one: its reason is the user's."""
    (tmp_path / "app.py").write_text(
        "import boto3\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"
        "s3 = boto3.client('s3')\n\n\n"
        "@app.get('/')\nasync def home() -> None:\n    s3.list_buckets()\n",
        encoding="utf-8",
    )
    settings = Settings(
        select=["FAL101"],
        rule_options=defaults_for_rules(),
        blocking_calls={"botocore.client.BaseClient.*": "goes to our S3 gateway"},
    )
    [finding] = lint([tmp_path / "app.py"], settings).findings
    assert "goes to our S3 gateway" in finding.message


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("fixture", "code", "memoised"),
    [
        ("FAL103/memoised.py", "FAL103", ["settings()", 'template("page.html")', "schema()"]),
        ("FAL103/memoised.py", "FAL103", ["exchange_rates()"]),
        ("FAL101/memoised.py", "FAL101", ["time.sleep(2)"]),
    ],
)
def test_follow_memoised_reports_memoised_functions_too(
    tmp_path: Path, fixture: str, code: str, memoised: list[str]
) -> None:
    """The calls (lines written exactly so) that the option adds, and only with it."""
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    (tmp_path / "app.py").write_text(text, encoding="utf-8")
    written = [line.strip() for line in text.splitlines()]
    lines = {number for number, line in enumerate(written, 1) if line in memoised}

    def found(**settings: object) -> set[int]:
        options = Settings(select=[code], rule_options=defaults_for_rules(), **settings)
        return {f.line for f in lint([tmp_path / "app.py"], options).findings}

    assert lines and not lines & found()
    assert lines <= found(follow_memoised=True)


def test_report_startup_reports_the_lifespan_and_its_handlers(tmp_path: Path) -> None:
    text = (FIXTURES / "FAL101/startup_code.py").read_text(encoding="utf-8")
    (tmp_path / "app.py").write_text(text, encoding="utf-8")
    written = [line.strip() for line in text.splitlines()]
    startup = {
        number
        for number, line in enumerate(written, 1)
        if line.startswith(("time.sleep(", "requests.post(")) and "# expect" not in line
    }

    def found(**settings: object) -> set[int]:
        options = Settings(select=["FAL101"], rule_options=defaults_for_rules(), **settings)
        return {f.line for f in lint([tmp_path / "app.py"], options).findings}

    assert len(startup) == 5 and not startup & found()
    assert startup <= found(report_startup=True)
