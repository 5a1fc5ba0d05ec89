"""Reading a results file (CSV or the first sheet of an XLSX workbook) into a header and rows, for the
mapping step and for `services.import_results`. Reading writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError

MAX_BYTES = 30_000_000


def read_table(data: bytes, filename: str = "") -> tuple[list[str], list[list[Any]]]:
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": ["The file is larger than 30 MB; split it."]})
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes) -> tuple[list[str], list[list[Any]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": ["The file is not UTF-8 text; save it as CSV UTF-8."]}) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    lines = csv.reader(io.StringIO(text), dialect)
    header = next(lines, None)
    if not header or not any(cell.strip() for cell in header):
        raise ValidationError({"file": ["The file is empty: its first line must name the columns."]})
    rows = [line for line in lines if any(cell.strip() for cell in line)]
    return [cell.strip() for cell in header], rows


def _read_xlsx(data: bytes) -> tuple[list[str], list[list[Any]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        raise ValidationError({"file": ["The file is not a readable Excel workbook (.xlsx)."]}) from None
    lines = iter(workbook.worksheets[0].iter_rows(values_only=True))
    header = next(lines, None)
    if not header or not any(header):
        raise ValidationError({"file": ["The file is empty: its first row must name the columns."]})

    def cell(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        return "" if value is None else value

    rows = [[cell(value) for value in line] for line in lines if any(v not in (None, "") for v in line)]
    return [str(name or "").strip() for name in header], rows
