"""Reading a completion list (CSV or XLSX) into rows for `services.issue_credentials`.

Columns, by header (case and spaces ignored): `email` (required), `grade`, `completed_on` (YYYY-MM-DD),
and anything else, which is ignored. Errors name the row as the service does: `rows[0]` is the first
line after the header.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.exceptions import ValidationError

MAX_BYTES = 5_000_000
COLUMNS = {
    "email": "email",
    "e-mail": "email",
    "emailaddress": "email",
    "grade": "grade",
    "completedon": "completed_on",
    "completed": "completed_on",
}


def _column(header: str) -> str:
    key = re.sub(r"[\s_]+", "", header.strip().lower())
    return COLUMNS.get(key, "")


def read_completion_list(data: bytes, filename: str = "") -> list[dict[str, Any]]:
    """A CSV or an Excel workbook (its first sheet), told apart by content, not by name."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)


def _rows_from(header: list[str], lines: Any) -> list[dict[str, Any]]:
    columns = [_column(name) for name in header]
    if "email" not in columns:
        raise ValidationError({"file": ["The first line must name the columns, with one called 'email'."]})
    rows: list[dict[str, Any]] = []
    for line in lines:
        cells = ["" if cell is None else str(cell).strip() for cell in line]
        if not any(cells):
            continue
        rows.append({name: cell for name, cell in zip(columns, cells, strict=False) if name})
    return rows


def read_xlsx(data: bytes) -> list[dict[str, Any]]:
    import datetime as dt
    import zipfile

    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ValidationError({"file": ["The file is larger than 5 MB; split the list."]})
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ValidationError({"file": ["The file is not a readable Excel workbook (.xlsx)."]}) from None
    sheet = workbook.worksheets[0]
    lines = iter(sheet.iter_rows(values_only=True))
    header = next(lines, None)
    if not header:
        raise ValidationError({"file": ["The file is empty."]})

    def cells(line: Any) -> list[Any]:
        return [value.date().isoformat() if isinstance(value, dt.datetime) else value for value in line]

    return _rows_from([str(name or "") for name in header], (cells(line) for line in lines))


def read_csv(data: bytes) -> list[dict[str, Any]]:
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": ["The file is larger than 5 MB; split the list."]})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": ["The file is not UTF-8 text; save it as CSV (UTF-8)."]}) from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise ValidationError({"file": ["The file is empty."]})
    return _rows_from(header, reader)


def describe(key: str) -> str:
    """`rows[3].email` -> 'Row 4, email' (the header is not counted)."""
    found = re.fullmatch(r"rows\[(\d+)\]\.?(.*)", key)
    if found:
        row = int(found.group(1)) + 1
        return f"Row {row}, {found.group(2)}" if found.group(2) else f"Row {row}"
    return {"rows": "The list", "file": "The file"}.get(key, key.replace("_", " ").capitalize())
