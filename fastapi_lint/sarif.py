"""SARIF 2.1.0 output, as GitHub code scanning and other review tools read it: every rule as
a reporting descriptor, each finding as a result with its place, a fingerprint that survives
unrelated edits, and the chain of calls that leads to it as a code flow."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi_lint import __version__
from fastapi_lint.ci_reports import fingerprints
from fastapi_lint.config import Settings
from fastapi_lint.docs import PROJECT_URL, first_paragraph, rule_markdown, rule_url
from fastapi_lint.findings import Finding
from fastapi_lint.reporters import as_text
from fastapi_lint.rules import Rule, all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"  # the current directory: where CI checks the repository out
FINGERPRINT = "fastapiLint/v1"


def descriptor(rule: type[Rule]) -> dict[str, object]:
    """A rule's ``reportingDescriptor``: its names, descriptions, help and page."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": f"{rule.summary}."},
        "fullDescription": {"text": first_paragraph(rule.documentation())},
        "help": {"text": rule.documentation(), "markdown": rule_markdown(rule)},
        "helpUri": rule_url(rule.code),
        "defaultConfiguration": {"level": "error", "enabled": rule.default_enabled},
        "properties": {"fix": rule.fix},
    }


def artifact(path: str) -> dict[str, str]:
    """Where a file is: relative to the source root when it lies under it, else its URI."""
    absolute = Path(os.path.abspath(path))
    if absolute.is_relative_to(Path.cwd()):
        return {"uri": absolute.relative_to(Path.cwd()).as_posix(), "uriBaseId": SOURCE_ROOT}
    return {"uri": absolute.as_uri()}


def location(path: str, region: dict[str, int], text: str = "") -> dict[str, object]:
    found: dict[str, object] = {
        "physicalLocation": {"artifactLocation": artifact(path), "region": region}
    }
    if text:
        found["message"] = {"text": text}
    return found


def code_flow(finding: Finding) -> dict[str, object]:
    """The calls from the entry point to the finding's blocking call, one step each."""
    steps = [
        {"location": location(path, {"startLine": line}, text)}
        for path, line, text in finding.chain_steps()
    ]
    return {"threadFlows": [{"locations": steps}]}


def result(finding: Finding, index: int, fingerprint: str) -> dict[str, object]:
    region = {
        "startLine": finding.line,
        "startColumn": finding.col,
        "endLine": finding.end_line,
        "endColumn": finding.end_col,
    }
    found: dict[str, object] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": "error",
        "message": {"text": finding.message},
        "locations": [location(finding.path, region)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    if finding.chain:
        found["codeFlows"] = [code_flow(finding)]
    return found


def folder_uri(folder: Path) -> str:
    """A folder's ``file:`` URI, ending with a slash as a base URI must."""
    uri = folder.as_uri()
    return uri if uri.endswith("/") else f"{uri}/"


def sarif_log(findings: list[Finding], settings: Settings) -> str:
    """The run as a SARIF log: columns count characters (``unicodeCodePoints``)."""
    rules = all_rules()
    index = {code: number for number, code in enumerate(rules)}
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fastapi-lint",
                        "version": __version__,
                        "informationUri": PROJECT_URL,
                        "rules": [descriptor(rule) for rule in rules.values()],
                    }
                },
                "originalUriBaseIds": {SOURCE_ROOT: {"uri": folder_uri(Path.cwd())}},
                "columnKind": "unicodeCodePoints",
                "results": [
                    result(finding, index[finding.code], fingerprint)
                    for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
                ],
            }
        ],
    }
    return as_text([json.dumps(log, indent=2, ensure_ascii=False)])
