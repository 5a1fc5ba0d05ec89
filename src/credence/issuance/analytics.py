"""The issuing analytics chart: per micro-credential, credentials issued, claimed, verified and revoked,
drawn as inline SVG on the server (no script, no style attribute: the page's CSP holds)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SERIES = (
    ("issued", "Issued", "#0b4f8a"),
    ("claimed", "Claimed", "#14602d"),
    ("verified", "Verified", "#7a4a00"),
    ("revoked", "Revoked", "#b0221b"),
)
ROW = 22
LABEL_WIDTH = 220
BAR_WIDTH = 420


def summary_chart(rows: Iterable[Mapping[str, Any]]) -> SafeString:
    rows = list(rows)
    if not rows:
        return mark_safe("")
    largest = max(max(int(row[key]) for key, _, _ in SERIES) for row in rows) or 1
    group = ROW * len(SERIES) + 12
    height = group * len(rows) + 34
    width = LABEL_WIDTH + BAR_WIDTH + 60
    title = "Credentials issued, claimed, verified and revoked, per micro-credential"
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>'
    ]
    for index, row in enumerate(rows):
        top = index * group
        label = f"{row['version__micro_credential__code']}"
        parts.append(f'<text x="0" y="{top + ROW - 6}" font-size="13" fill="#1b1f24">{escape(label)}</text>')
        for offset, (key, name, colour) in enumerate(SERIES):
            value = int(row[key])
            y = top + offset * ROW
            bar = round(BAR_WIDTH * value / largest)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{bar}" height="{ROW - 6}" fill="{colour}">'
                f"<title>{escape(name)}: {value}</title></rect>"
            )
            parts.append(
                f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + ROW - 7}" font-size="12" fill="#1b1f24">'
                f"{escape(name)} {value}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
