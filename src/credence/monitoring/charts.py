"""Monitoring charts drawn on the server: accessible inline SVG (title, description, and the data table
beside it on the page), a PNG of the same bars (Pillow), and the CSV of the data behind them.

No script and no style attribute, so the page's strict Content-Security-Policy holds; colours are
presentation attributes, which CSP does not govern."""

from __future__ import annotations

import csv
import io

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import Chart

ROW = 28
LABEL_WIDTH = 300
BAR_WIDTH = 380
COLOUR = "#0b4f8a"
TEXT = "#1b1f24"


def _scale(chart: Chart) -> float:
    if chart.unit == "%":
        return 100.0
    if chart.unit == "/5":
        return 5.0
    return max([value or 0.0 for _, value, _ in chart.rows] + [1.0])


def _shown(chart: Chart, value: float | None) -> str:
    if value is None:
        return "no data"
    if chart.unit == "%":
        return f"{value:.1f} %"
    if chart.unit == "/5":
        return f"{value:.2f}"
    return f"{value:.0f}"


def svg(chart: Chart, element_id: str = "") -> SafeString:
    ident = element_id or f"chart-{chart.key}"
    width = LABEL_WIDTH + BAR_WIDTH + 90
    height = max(1, len(chart.rows)) * ROW + 10
    top = _scale(chart)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.description)} The same figures are in the table below.</desc>'
    ]
    if not chart.rows:
        parts.append(f'<text x="0" y="20" font-size="13" fill="{TEXT}">No data yet.</text>')
    for index, (label, value, n) in enumerate(chart.rows):
        y = index * ROW
        bar = round(BAR_WIDTH * (value or 0.0) / top) if top else 0
        short = label if len(label) <= 44 else label[:43] + "…"
        parts.append(f'<text x="0" y="{y + ROW - 10}" font-size="13" fill="{TEXT}">{escape(short)}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 5}" width="{max(bar, 0)}" height="{ROW - 10}" fill="{COLOUR}">'
            f"<title>{escape(label)}: {escape(_shown(chart, value))} (n = {n})</title></rect>"
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + ROW - 10}" font-size="12" fill="{TEXT}">'
            f"{escape(_shown(chart, value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above


def png(chart: Chart) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    width = LABEL_WIDTH + BAR_WIDTH + 110
    height = max(1, len(chart.rows)) * ROW + 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=13)
    except TypeError:  # Pillow before 10.1
        font = ImageFont.load_default()
    draw.text((10, 10), chart.title, fill=TEXT, font=font)
    top = _scale(chart)
    for index, (label, value, _n) in enumerate(chart.rows):
        y = 40 + index * ROW
        bar = round(BAR_WIDTH * (value or 0.0) / top) if top else 0
        draw.text((10, y + 6), label if len(label) <= 44 else label[:43] + "…", fill=TEXT, font=font)
        if bar > 0:
            draw.rectangle((LABEL_WIDTH, y + 5, LABEL_WIDTH + bar, y + ROW - 5), fill=COLOUR)
        draw.text((LABEL_WIDTH + bar + 6, y + 6), _shown(chart, value), fill=TEXT, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def csv_text(chart: Chart) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["label", chart.value_label, "n"])
    for label, value, n in chart.rows:
        writer.writerow([label, "" if value is None else value, n])
    return buffer.getvalue()
