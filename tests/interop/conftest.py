"""Validating ELM exports: JSON-LD read with the bundled contexts (no network), checked against the EDC
SHACL shapes bundled in data/ without inference (see data/README.md)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pyshacl import validate
from rdflib import Graph

from credence.interop.elm import with_local_contexts

DATA = Path(__file__).resolve().parent / "data"


@cache
def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(DATA / name, format="turtle")
    return graph


def to_graph(document: dict[str, Any]) -> Graph:
    return Graph().parse(data=json.dumps(with_local_contexts(document)), format="json-ld")


def shacl_report(document: dict[str, Any], *profiles: str) -> tuple[bool, str]:
    conforms, _, text = validate(to_graph(document), shacl_graph=shapes(*profiles), inference="none")
    return bool(conforms), str(text)


NO_CV = ("EDC-generic-no-cv.ttl",)
FULL = ("EDC-generic-no-cv.ttl", "EDC-generic-full.ttl")


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded catalogue files are kept by their import job: keep them out of the project's media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
