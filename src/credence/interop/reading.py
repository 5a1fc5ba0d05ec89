"""Reading an uploaded catalogue file into a table of text cells, refusing what cannot be read safely.

Checks, before anything is written: the size (refused from the declared size, before reading it all);
the contents against the extension (an XLSX is a ZIP holding [Content_Types].xml and xl/workbook.xml;
a CSV must decode as text; a JSON file must parse); formulas and merged header cells in a workbook;
empty or repeated column headings. CSV text is read as UTF-8 (with or without a byte-order mark), else
as Windows-1252, and the table says which.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.files import File

from credence.files.services import FILE_TYPES, max_upload_bytes

from .models import FileKind

MAX_ROWS = 50_000


class ImportFileError(ValueError):
    """The file cannot be imported; the message says why and what to do."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # each as long as `headers`
    encoding: str = ""
    first_row: int = 2  # the spreadsheet row number of rows[0] (the header is row 1)
    notes: list[str] = field(default_factory=list)


def _size_text(size: int) -> str:
    mb = 1024 * 1024
    return f"{size / mb:.1f} MB" if size >= mb else f"{size} bytes"


def read_upload(upload: File) -> tuple[str, bytes]:
    """The file's clean name and bytes; refuses a file over the limit before reading it."""
    limit = max_upload_bytes()
    name = PurePath(str(upload.name or "").replace("\\", "/")).name.strip()[:255]
    if not name:
        raise ImportFileError("Choose a file.")
    too_large = ImportFileError(
        f"'{name}' is too large ({_size_text(upload.size or 0)}): at most {_size_text(limit)}. "
        "Split it into smaller files."
    )
    if upload.size is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    data = bytes(upload.read(limit + 1))
    if len(data) > limit:
        raise too_large
    if not data.strip():
        raise ImportFileError(f"'{name}' is empty.")
    return name, data


def kind_of(name: str, data: bytes) -> str:
    """The kind from the extension, confirmed by the contents."""
    extension = PurePath(name).suffix.lower()
    is_zip = data.startswith(b"PK\x03\x04")
    if extension == ".xlsx":
        if not FILE_TYPES["xlsx"].matches(data):
            raise ImportFileError(
                f"'{name}' is named .xlsx but is not an Excel workbook. Save it again as .xlsx."
            )
        return FileKind.XLSX
    if extension in (".csv", ".txt", ".json"):
        if is_zip or data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF")) or b"\x00" in data[:4096]:
            actual = "an Excel workbook" if FILE_TYPES["xlsx"].matches(data) else "not text"
            raise ImportFileError(
                f"'{name}' is named {extension} but its contents are {actual}: "
                "rename it or export it again from the spreadsheet."
            )
        return FileKind.JSON if extension == ".json" else FileKind.CSV
    if extension == ".xls":
        raise ImportFileError(f"'{name}' is an old Excel file (.xls): save it as .xlsx or .csv.")
    raise ImportFileError(f"'{name}': import CSV, XLSX or JSON files.")


def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the encoding used: UTF-8 with a byte-order mark, UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with byte-order mark"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The text could not be read as UTF-8 or Windows-1252 (byte {error.start}): save it as UTF-8 CSV."
        ) from None


def _clean_headers(headers: list[Any]) -> list[str]:
    cleaned = [str(h if h is not None else "").strip() for h in headers]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    if not cleaned:
        raise ImportFileError("The first row holds no column headings.")
    empty = [str(i + 1) for i, h in enumerate(cleaned) if not h]
    if empty:
        raise ImportFileError(f"Column(s) {', '.join(empty)} have no heading in the first row: name them.")
    seen: set[str] = set()
    repeated = [h for h in cleaned if h.lower() in seen or seen.add(h.lower())]  # type: ignore[func-returns-value]
    if repeated:
        raise ImportFileError(f"The heading(s) {', '.join(repr(h) for h in repeated)} appear more than once.")
    return cleaned


def _fit(row: list[Any], width: int) -> list[str]:
    cells = ["" if c is None else str(c) for c in row[:width]]
    return cells + [""] * (width - len(cells))


def read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise ImportFileError(f"The CSV cannot be read: {error}.") from None
    if not rows:
        raise ImportFileError("The file holds no rows.")
    headers = _clean_headers(rows[0])
    body = [_fit(r, len(headers)) for r in rows[1:]]
    return Table(headers, _trim(body), encoding)


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"The file has {len(rows)} rows; import at most {MAX_ROWS} at a time.")
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def read_xlsx(data: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except (InvalidFileException, KeyError, ValueError, OSError) as error:
        raise ImportFileError(f"The workbook cannot be opened ({str(error)[:80]}).") from None
    sheet = workbook.worksheets[0]
    merged_header = [str(r) for r in sheet.merged_cells.ranges if r.min_row == 1]
    if merged_header:
        raise ImportFileError(
            f"The header row has merged cells ({', '.join(merged_header)}): unmerge them so each column "
            "has its own heading."
        )
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    if formulas:
        shown = ", ".join(formulas[:10]) + (f" and {len(formulas) - 10} more" if len(formulas) > 10 else "")
        raise ImportFileError(
            f"The sheet '{sheet.title}' has formulas in {shown}: paste them as values and upload again."
        )
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    if not rows:
        raise ImportFileError("The first sheet is empty.")
    headers = _clean_headers(rows[0])
    body = [[_cell_text(c) for c in _fit_raw(r, len(headers))] for r in rows[1:]]
    notes = [f"Read the first sheet, '{sheet.title}'."] if len(workbook.worksheets) > 1 else []
    return Table(headers, _trim(body), "", notes=notes)


def _fit_raw(row: list[Any], width: int) -> list[Any]:
    return list(row[:width]) + [None] * (width - len(row[:width]))


def _json_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_json_cell(v) for v in value)
    if isinstance(value, dict):
        return str(value.get("text") or value.get("title") or json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _cell_text(value)


def read_json(data: bytes) -> Table:
    text, encoding = decode_text(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"The JSON cannot be read: {error.msg} (line {error.lineno}).") from None
    if isinstance(document, dict):
        found = next((v for v in document.values() if isinstance(v, list)), None)
        document = found if found is not None else [document]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise ImportFileError("Give a JSON list of objects, one per micro-credential.")
    headers: dict[str, None] = {}
    for item in document:
        headers.update(dict.fromkeys(str(k) for k in item))
    names = list(headers)
    if not names:
        raise ImportFileError("The JSON objects hold no fields.")
    rows = [[_json_cell(item.get(name)) for name in names] for item in document]
    return Table(names, _trim(rows), encoding, first_row=1)


def read_table(kind: str, data: bytes) -> Table:
    if kind == FileKind.XLSX:
        return read_xlsx(data)
    if kind == FileKind.JSON:
        return read_json(data)
    return read_csv(data)
