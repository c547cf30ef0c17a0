"""The precision sample is drawn the same way every time, each place counted once."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "precision.py"
spec = importlib.util.spec_from_file_location("precision", SCRIPT)
assert spec is not None and spec.loader is not None
precision = importlib.util.module_from_spec(spec)
spec.loader.exec_module(precision)


def finding(corpus: str, path: str, line: int, code: str) -> dict:
    return {"corpus": corpus, "path": path, "location": {"row": line}, "code": code}


def test_a_place_two_corpora_report_counts_once():
    found = [
        finding("litellm", "/c/litellm/litellm/proxy/auth/a.py", 3, "FAL101"),
        finding("litellm-proxy", "/c/litellm-proxy/litellm/proxy/auth/a.py", 3, "FAL101"),
        finding("litellm", "/c/litellm/litellm/proxy/auth/a.py", 3, "FAL103"),
        finding("litellm", "/c/litellm/litellm/proxy/auth/b.py", 3, "FAL103"),
    ]
    drawn = precision.sample(found, per_rule=5, seed=1)
    assert {code: len(chosen) for code, chosen in drawn.items()} == {"FAL101": 1, "FAL103": 2}


def test_the_sample_depends_on_the_seed_only():
    found = [finding("x", f"/c/m{n}.py", n, "FAL201") for n in range(100)]
    first = precision.sample(found, per_rule=30, seed=14)["FAL201"]
    again = precision.sample(list(reversed(found)), per_rule=30, seed=14)["FAL201"]
    other = precision.sample(found, per_rule=30, seed=15)["FAL201"]
    assert len(first) == 30 and len({f["path"] for f in first}) == 30
    assert first == again
    assert first != other


def test_every_corpus_weighs_alike():
    found = [finding("docs", f"/c/docs/t{n}.py", 1, "FAL401") for n in range(300)]
    found += [finding(name, f"/c/{name}/app.py", 9, "FAL401") for name in ("a", "b", "c")]
    drawn = precision.sample(found, per_rule=30, seed=14)["FAL401"]
    assert len(drawn) == 30
    assert {f["corpus"] for f in drawn} == {"docs", "a", "b", "c"}


def test_judged_findings_are_scored_where_still_reported():
    found = [
        finding("litellm", "/c/litellm/litellm/proxy/auth/a.py", 3, "FAL101"),
        finding("lnbits", "/c/lnbits/lnbits/core/views/b.py", 7, "FAL201"),
    ]
    verdicts = [
        {
            "code": "FAL101",
            "path": "litellm-proxy/litellm/proxy/auth/a.py",
            "line": 3,
            "verdict": "right",
        },
        {
            "code": "FAL101",
            "path": "litellm/litellm/proxy/auth/gone.py",
            "line": 3,
            "verdict": "wrong",
        },
        {"code": "FAL201", "path": "lnbits/lnbits/core/views/b.py", "line": 7, "verdict": "wrong"},
        {"code": "FAL201", "path": "lnbits/lnbits/core/views/b.py", "line": 8, "verdict": "minor"},
    ]
    counts = precision.score(verdicts, found)
    assert counts == {"FAL101": {"right": 1}, "FAL201": {"wrong": 1}}
