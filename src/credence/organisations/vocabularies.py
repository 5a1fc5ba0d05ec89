"""Country codes (ISO 3166-1 alpha-2 plus DEQAR's sub-national systems) loaded from data/countries.json."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent / "data"


@cache
def countries() -> dict[str, str]:
    with (_DATA / "countries.json").open(encoding="utf-8") as fh:
        return {item["code"]: item["name"] for item in json.load(fh)["items"]}


def country_choices() -> list[tuple[str, str]]:
    return sorted(countries().items(), key=lambda kv: kv[1])
