"""The review report: a summary per area (an SVG bar chart drawn here, with the same numbers in a
table), and the PDF made from the same context with WeasyPrint, offline."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Verdict

SERIES = [
    (Verdict.MET.value, "Met", "#1b7f3b"),
    (Verdict.PARTLY_MET.value, "Partly met", "#b5870a"),
    (Verdict.NOT_MET.value, "Not met", "#b3261e"),
    (Verdict.NOT_APPLICABLE.value, "Not applicable", "#6b7280"),
    ("unjudged", "Not yet judged", "#d1d5db"),
]


def area_summary(blocks: list[Any]) -> dict[str, Any]:
    rows = []
    for block in blocks:
        counts = block.tally()
        rows.append({"pack": block.pack, "area": block.area, "counts": counts, "total": sum(counts.values())})
    return {"rows": rows, "series": SERIES, "chart": chart_svg(rows)}


def chart_svg(rows: list[dict[str, Any]]) -> SafeString:
    """A horizontal stacked bar per area; text alternatives come from the table beside it."""
    label_width, bar_width, row_height = 300, 360, 26
    height = row_height * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {label_width + bar_width + 10} {height}" '
        f'width="{label_width + bar_width + 10}" height="{height}" role="img" aria-labelledby="chart-title chart-desc">',
        '<title id="chart-title">Judgements per area</title>',
        '<desc id="chart-desc">For each area, how many criteria were met, partly met, not met, not applicable or not yet judged. The table that follows gives the same numbers.</desc>',
    ]
    for index, row in enumerate(rows):
        y = index * row_height + 4
        label = f"{row['area'].title}"
        parts.append(f'<text x="0" y="{y + 15}" font-size="12" fill="#111827">{escape(label[:48])}</text>')
        x = float(label_width)
        total = row["total"] or 1
        for key, name, colour in SERIES:
            count = row["counts"].get(key, 0)
            if not count:
                continue
            width = bar_width * count / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="18" fill="{colour}">'
                f"<title>{escape(name)}: {count}</title></rect>"
            )
            x += width
    legend_y = len(rows) * row_height + 22
    x = 0
    for _key, name, colour in SERIES:
        parts.append(f'<rect x="{x}" y="{legend_y - 10}" width="12" height="12" fill="{colour}"></rect>')
        parts.append(f'<text x="{x + 16}" y="{legend_y}" font-size="11" fill="#111827">{escape(name)}</text>')
        x += 16 + 8 * len(name) + 14
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"The report fetches nothing ({url[:80]}).")


def render_pdf(request: HttpRequest, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reviews/report_pdf.html", context, request=request)
    return bytes(HTML(string=html, url_fetcher=_no_fetching, base_url=None).write_pdf())
