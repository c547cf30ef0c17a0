"""The JSON output's pydantic models: ruff's shape for findings, and ``--statistics`` rows."""

from __future__ import annotations

import os

from pydantic import BaseModel

from fastapi_lint.findings import Finding


class Location(BaseModel):
    column: int
    row: int


class JsonFinding(BaseModel):
    """One finding in ruff's JSON output shape."""

    cell: None = None
    code: str
    end_location: Location
    filename: str
    fix: None = None
    location: Location
    message: str
    noqa_row: int
    url: str | None = None


class JsonStatistic(BaseModel):
    """Findings of one code, for ``--statistics --output-format json``."""

    code: str
    name: str
    count: int


def to_json(finding: Finding) -> dict[str, object]:
    return JsonFinding(
        code=finding.code,
        end_location=Location(column=finding.end_col, row=finding.end_line),
        filename=os.path.abspath(finding.path),
        location=Location(column=finding.col, row=finding.line),
        message=finding.message,
        noqa_row=finding.line,
    ).model_dump()
