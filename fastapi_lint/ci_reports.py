"""Output formats that CI systems read: GitLab code quality (Code Climate JSON), JUnit XML,
JSON Lines and pylint's text, as ruff names them; and the fingerprints that let a review tool
follow a finding across commits."""

from __future__ import annotations

import json
import re
from collections import Counter
from hashlib import blake2b

from fastapi_lint.config import Settings
from fastapi_lint.findings import Finding
from fastapi_lint.reporters import as_text, display_path, json_report, source_lines


def fingerprints(findings: list[Finding]) -> list[str]:
    """A fingerprint per finding that edits elsewhere do not change: the code, the file, the
    text of the finding's line (whitespace aside) and which of the findings with those three
    it is; not its line number, nor its message (which names the lines of a chain)."""
    lines: dict[str, list[str]] = {}
    seen: Counter[tuple[str, str, str]] = Counter()
    found = []
    for finding in findings:
        if finding.path not in lines:
            lines[finding.path] = source_lines(finding.path)
        text = lines[finding.path]
        line = " ".join(text[finding.line - 1].split()) if finding.line <= len(text) else ""
        key = (finding.code, display_path(finding.path).replace("\\", "/"), line)
        digest = blake2b("\0".join([*key, str(seen[key])]).encode("utf-8", "surrogatepass"))
        seen[key] += 1
        found.append(digest.hexdigest()[:32])
    return found


def gitlab(findings: list[Finding], settings: Settings) -> str:
    """GitLab's code quality report (a subset of Code Climate's issue format)."""
    report = [
        {
            "check_name": finding.code,
            "description": f"{finding.code}: {finding.message}",
            "fingerprint": fingerprint,
            "severity": "major",
            "location": {
                "path": display_path(finding.path).replace("\\", "/"),
                "positions": {
                    "begin": {"line": finding.line, "column": finding.col},
                    "end": {"line": finding.end_line, "column": finding.end_col},
                },
            },
        }
        for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
    ]
    return as_text([json.dumps(report, indent=2, ensure_ascii=False)])


def json_lines(findings: list[Finding], settings: Settings) -> str:
    """The JSON output's objects, one per line."""
    report = json.loads(json_report(findings, settings))
    return as_text(json.dumps(item, ensure_ascii=False) for item in report)


def pylint(findings: list[Finding], settings: Settings) -> str:
    """``path:line: [CODE] message``, as pylint's parseable output."""
    return as_text(
        f"{display_path(finding.path)}:{finding.line}: [{finding.code}] {finding.message}"
        for finding in findings
    )


# what XML 1.0 cannot hold: most control characters, and lone surrogates (undecodable paths)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return NOT_XML.sub("\ufffd", text)


def junit(findings: list[Finding], settings: Settings) -> str:
    """JUnit XML: a test suite per file, a failed test case per finding (a passing one when
    there is none)."""
    from xml.etree import ElementTree as ET

    suites = ET.Element(
        "testsuites", name="fastapi-lint", tests=str(len(findings)), failures=str(len(findings))
    )
    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(xml_text(display_path(finding.path)), []).append(finding)
    for path, found in by_file.items():
        suite = ET.SubElement(
            suites, "testsuite", name=path, tests=str(len(found)), failures=str(len(found))
        )
        for finding in found:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"org.fastapi-lint.{finding.code}",
                classname=path,
                file=path,
                line=str(finding.line),
            )
            message = xml_text(finding.message)
            failure = ET.SubElement(case, "failure", message=message)
            failure.text = f"line {finding.line}, col {finding.col}, {message}"
    if not findings:
        suite = ET.SubElement(suites, "testsuite", name="fastapi-lint", tests="1", failures="0")
        ET.SubElement(suite, "testcase", name="No errors found", classname="fastapi-lint")
    ET.indent(suites)
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return as_text([declaration, ET.tostring(suites, encoding="unicode")])
