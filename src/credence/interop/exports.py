"""Lists as CSV and XLSX, for any list page: give the columns (a heading and how to get the cell from a
row) and the rows (a queryset or any iterable).

    COLUMNS = [Column("Code", lambda v: v.micro_credential.code), Column("Title", lambda v: v.title)]
    return export_response(request.GET.get("format"), "micro-credentials", COLUMNS, queryset)

CSV streams (rows are read as they are written); XLSX is built in memory with openpyxl's write-only
mode. Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
are prefixed with a quote, in both formats.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
XLSX_ROW_LIMIT = 100_000


@dataclass(frozen=True)
class Column:
    heading: str
    value: Callable[[Any], Any]


def safe_cell(value: Any) -> str:
    """The cell as text a spreadsheet shows as it is, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        text = value.isoformat(timespec="seconds")
    elif isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    elif isinstance(value, list | tuple):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _rows(rows: Iterable[Any]) -> Iterator[Any]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=500)
    return iter(rows)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, columns: Sequence[Column], rows: Iterable[Any]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
        yield writer.writerow([c.heading for c in columns])
        for row in _rows(rows):
            yield writer.writerow([safe_cell(c.value(row)) for c in columns])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(title: str, columns: Sequence[Column], rows: Iterable[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Export")
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.heading)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for count, row in enumerate(_rows(rows)):
        if count >= XLSX_ROW_LIMIT:
            break
        cells: list[Any] = []
        for column in columns:
            value = column.value(row)
            # Numbers stay numbers; everything else is text, kept from running as a formula.
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cells.append(value)
            else:
                cells.append(safe_cell(value))
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, columns: Sequence[Column], rows: Iterable[Any]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(filename, columns, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(
    fmt: str | None, filename: str, columns: Sequence[Column], rows: Iterable[Any]
) -> HttpResponse | StreamingHttpResponse:
    """The rows as `fmt` ('csv' or 'xlsx'); any other format is a 404."""
    if fmt == "csv":
        return csv_response(filename, columns, rows)
    if fmt == "xlsx":
        return xlsx_response(filename, columns, rows)
    raise Http404("Export as csv or xlsx.")


def export_links_query(query: str, fmt: str) -> str:
    """The current query string with `format=` set, for 'Download CSV / XLSX' links that keep filters."""
    from urllib.parse import parse_qsl, urlencode

    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=False) if k not in ("format", "page")]
    return urlencode([*pairs, ("format", fmt)])
