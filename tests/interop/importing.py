"""Helpers for the import tests: catalogue files built in memory."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

DATA = Path(__file__).resolve().parent / "data"
HEADER = ["Code", "Title", "Summary", "Learning outcomes", "Credits", "Study time", "ISCED"]


def csv_bytes(rows: list[list[Any]], header: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def upload(data: bytes, name: str = "catalogue.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def row(code: str, title: str = "", **overrides: Any) -> list[Any]:
    values = {
        "summary": f"A short course: {title or code}.",
        "outcomes": "• Explain the main ideas\n• Apply them to a case",
        "credits": "5 ECTS",
        "hours": "6 weeks, 4 hours per week",
        "isced": "0413",
    } | overrides
    return [
        code,
        title or f"Course {code}",
        values["summary"],
        values["outcomes"],
        values["credits"],
        values["hours"],
        values["isced"],
    ]


def fixture(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())
