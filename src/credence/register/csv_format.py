"""DEQAR's CSV upload format: one report per row, repeated items as `name[n]`, nested fields as
`name[n].field` (numbered from 1). A row becomes the same package the JSON submission takes.

Headers are read case-insensitively and values are trimmed. Only comma, semicolon and tab delimit
(as in DEQAR); any other file is refused as a whole.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.exceptions import ValidationError

DELIMITERS = ",;\t"
_PART = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?$")

# CSV names of the lists, and the package key each fills.
LIST_KEYS = {
    "contributing_agencies": "contributing_agencies",
    "activities": "activities",
    "file": "report_files",
    "report_files": "report_files",
    "link": "report_links",
    "link_display_name": "report_links",
    "institution": "institutions",
    "institutions": "institutions",
    "platform": "platforms",
    "platforms": "platforms",
    "programme": "programmes",
    "programmes": "programmes",
}
# Inside a programme.
PROGRAMME_LIST_KEYS = {
    "identifier": ("identifiers", "identifier"),
    "identifier_resource": ("identifiers", "resource"),
    "name_alternative": ("alternative_names", "name_alternative"),
    "qualification_alternative": ("alternative_names", "qualification_alternative"),
    "learning_outcome": ("learning_outcomes", None),
    "learning_outcomes": ("learning_outcomes", None),
    "country": ("countries", None),
    "countries": ("countries", None),
}


def _slot(items: list[Any], number: int, make: Any) -> Any:
    while len(items) < number:
        items.append(make())
    return items[number - 1]


def _put(package: dict[str, Any], header: str, value: str) -> str:
    """Place one cell in the package; return a problem with the header ('' if none)."""
    head, _, rest = header.partition(".")
    match = _PART.match(head)
    if match is None:
        return f"'{header}' is not a column of DEQAR's CSV format."
    name, number_text = match.group(1), match.group(2)
    if number_text is None:
        if rest:
            return f"'{header}' is not a column of DEQAR's CSV format."
        package[name] = value
        return ""
    number = int(number_text)
    if number < 1:
        return f"'{header}': numbering starts at 1."
    key = LIST_KEYS.get(name)
    if key is None:
        return f"'{header}' is not a column of DEQAR's CSV format."
    items = package.setdefault(key, [])
    if key == "contributing_agencies":
        _slot(items, number, str)
        items[number - 1] = value
        return ""
    item = _slot(items, number, dict)
    if name in ("link", "link_display_name"):
        item["link" if name == "link" else "link_display_name"] = value
        return ""
    if not rest:
        return f"'{header}' needs a field name after the number (e.g. {head}.id)."
    sub_match = _PART.match(rest)
    if sub_match is None:
        return f"'{header}' is not a column of DEQAR's CSV format."
    sub, sub_number = sub_match.group(1), sub_match.group(2)
    if sub_number is None:
        item[sub] = value
        return ""
    if key == "programmes" and sub in PROGRAMME_LIST_KEYS:
        list_key, field = PROGRAMME_LIST_KEYS[sub]
        values = item.setdefault(list_key, [])
        if field is None:
            _slot(values, int(sub_number), str)
            values[int(sub_number) - 1] = value
        else:
            _slot(values, int(sub_number), dict)[field] = value
        return ""
    # file[n].report_language[m], institution[n].identifier[m] and the like: a plain list.
    values = item.setdefault(sub, [])
    if not isinstance(values, list):
        return f"'{header}' repeats a field given once elsewhere."
    _slot(values, int(sub_number), str)
    values[int(sub_number) - 1] = value
    return ""


def _tidy(value: Any) -> Any:
    """Drop empty cells and the empty items they leave behind."""
    if isinstance(value, dict):
        tidy = {k: _tidy(v) for k, v in value.items()}
        return {k: v for k, v in tidy.items() if v not in ("", [], {})}
    if isinstance(value, list):
        return [t for t in (_tidy(v) for v in value) if t not in ("", [], {})]
    return value


def read_csv(text: str) -> list[dict[str, Any]]:
    """The packages of a DEQAR CSV file, one per row. Problems of the file itself raise ValidationError."""
    text = text.lstrip("\ufeff")
    header_line = text.split("\n", 1)[0]
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        raise ValidationError(
            {"file": "The CSV file could not be read: separate the columns with commas, semicolons or tabs."}
        )
    # Embedded base64 PDFs make long cells.
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows or len(rows[0]) < 2:
        raise ValidationError({"file": "The CSV file needs a header row and at least one report."})
    headers = [h.strip().lower() for h in rows[0]]
    problems: dict[str, list[str]] = {}
    packages: list[dict[str, Any]] = []
    for row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        package: dict[str, Any] = {}
        for header, cell in zip(headers, row, strict=False):
            if not header:
                continue
            problem = _put(package, header, cell.strip())
            if problem:
                problems.setdefault("file", []).append(problem)
        packages.append(_tidy(package))
    if problems:
        raise ValidationError({"file": sorted(set(problems["file"]))})
    if not packages:
        raise ValidationError({"file": "The CSV file holds no report."})
    return packages
