"""The JSON output's pydantic models: ruff's shape for findings, and ``--statistics`` rows."""

from __future__ import annotations

import os

from pydantic import BaseModel

from fastapi_lint.docs import rule_url
from fastapi_lint.findings import Finding
from fastapi_lint.fixes import Fix


class Location(BaseModel):
    column: int
    row: int


class JsonEdit(BaseModel):
    content: str
    end_location: Location
    location: Location


class JsonFix(BaseModel):
    """A finding's fix in ruff's shape."""

    applicability: str
    edits: list[JsonEdit]
    message: str


class JsonFinding(BaseModel):
    """One finding in ruff's JSON output shape."""

    cell: None = None
    code: str
    end_location: Location
    filename: str
    fix: JsonFix | None = None
    location: Location
    message: str
    noqa_row: int
    url: str | None = None


class JsonStatistic(BaseModel):
    """Findings of one code, for ``--statistics --output-format json``."""

    code: str
    name: str
    count: int


def to_json(finding: Finding, fix: Fix | None = None) -> dict[str, object]:
    return JsonFinding(
        code=finding.code,
        end_location=Location(column=finding.end_col, row=finding.end_line),
        filename=os.path.abspath(finding.path),
        fix=fix_json(fix) if fix is not None else None,
        location=Location(column=finding.col, row=finding.line),
        message=finding.message,
        noqa_row=finding.line,
        url=rule_url(finding.code),
    ).model_dump()


def fix_json(fix: Fix) -> JsonFix:
    return JsonFix(
        applicability=fix.applicability,
        edits=[
            JsonEdit(
                content=edit.content,
                end_location=Location(column=edit.end_col, row=edit.end_line),
                location=Location(column=edit.col, row=edit.line),
            )
            for edit in fix.edits
        ],
        message=fix.message,
    )
