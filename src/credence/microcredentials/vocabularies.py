"""Controlled vocabularies kept as data files beside this module (vocabularies/*.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_DIR = Path(__file__).resolve().parent / "vocabularies"


@cache
def _load(name: str) -> dict[str, str]:
    with (_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        return {str(item["code"]): item["name"] for item in json.load(fh)["items"]}


def isced_fields() -> dict[str, str]:
    return _load("isced_f_2013")


def languages() -> dict[str, str]:
    return _load("languages")


def currencies() -> dict[str, str]:
    return _load("currencies")


def sdgs() -> dict[str, str]:
    return _load("sdgs")


def isced_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in sorted(isced_fields().items())]


def language_choices() -> list[tuple[str, str]]:
    return sorted(languages().items(), key=lambda kv: kv[1])


def currency_choices() -> list[tuple[str, str]]:
    return sorted(currencies().items())


def sdg_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}. {name}") for code, name in sorted(sdgs().items(), key=lambda kv: int(kv[0]))]
