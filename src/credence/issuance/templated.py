"""Fast RDFC-1.0 for many credentials of one shape (a bulk issue), byte-identical to `jsonld.canonicalize`.

Profiling pyld on one OB 3.0 credential puts most of the time in JSON-LD expansion and conversion to
RDF, not in canonicalisation proper. In a bulk issue every credential has the same shape: only a few
values differ (its id, the recipient's hash and salt, the date, the grade, the status indexes). So the
document is converted to an RDF dataset once, with a unique placeholder in each varying position; each
credential then costs a copy of that dataset with the placeholders replaced, and RDFC-1.0 on it.

Replacing a value in the dataset gives the dataset that converting the real document would give, as
long as the values keep their kind (IRI stays IRI, string stays string), which the callers guarantee.
The first document of every shape is also canonicalised the slow way and compared, so a difference
can never sign silently: it raises.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015

from .jsonld import canonicalize, document_loader

MAX_TEMPLATES = 64
Slots = Callable[[dict[str, Any]], list[tuple[list[str | int], str]]]


class TemplateMismatch(RuntimeError):
    """The fast path disagreed with pyld on a document: a bug, never a reason to sign."""


def _get(document: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        document = document[step]
    return document


def _set(document: Any, path: Sequence[str | int], value: str) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


def _placeholder(index: int, value: str) -> str:
    # Keep IRIs IRIs: an absolute IRI is replaced by an absolute IRI, any other string by a string.
    return (
        f"urn:credence-slot:{index}" if ":" in value and not value[:1].isdigit() else f"credence-slot-{index}"
    )


class TemplatedCanonicalizer:
    """Canonicalise documents whose varying positions are given by `slots(document)`."""

    def __init__(self, slots: Slots) -> None:
        self.slots = slots
        self._templates: dict[str, tuple[dict[str, list[dict[str, Any]]], dict[str, int]]] = {}

    def _template(self, document: dict[str, Any], positions: list[tuple[list[str | int], str]]) -> Any:
        # The template is keyed by everything that is not a slot: put the placeholders in, take the JSON,
        # put the values back (cheaper than a deep copy for every document).
        placeholders: dict[str, int] = {}
        for index, (path, value) in enumerate(positions):
            placeholder = _placeholder(index, value)
            _set(document, path, placeholder)
            placeholders[placeholder] = index
        try:
            key = json.dumps(document, sort_keys=True, ensure_ascii=False)
            template = copy.deepcopy(document) if key not in self._templates else None
        finally:
            for path, value in positions:
                _set(document, path, value)
        found = self._templates.get(key)
        if found is None:
            dataset = jsonld.to_rdf(
                template, {"documentLoader": document_loader, "produceGeneralizedRdf": False}
            )
            found = (dataset, placeholders)
            fast = self._canonicalize_with(found, positions)
            if fast != canonicalize(document):
                raise TemplateMismatch(
                    "The templated canonicalisation differs from pyld's for this document."
                )
            if len(self._templates) >= MAX_TEMPLATES:
                self._templates.clear()
            self._templates[key] = found
        return found

    @staticmethod
    def _canonicalize_with(template: Any, positions: list[tuple[list[str | int], str]]) -> str:
        dataset, placeholders = template
        values = [value for _, value in positions]
        filled: dict[str, list[dict[str, Any]]] = {}
        for graph, quads in dataset.items():
            out = []
            for quad in quads:
                new_quad = {}
                for key, component in quad.items():
                    index = placeholders.get(component.get("value"))
                    if index is None:
                        new_quad[key] = dict(component)
                    else:
                        new_quad[key] = {**component, "value": values[index]}
                out.append(new_quad)
            filled[graph] = out
        return str(URDNA2015().main(filled, {"algorithm": "URDNA2015", "format": "application/n-quads"}))

    def __call__(self, document: dict[str, Any]) -> str:
        positions = self.slots(document)
        for path, value in positions:
            if not isinstance(value, str) or _get(document, path) != value:
                return canonicalize(document)
        return self._canonicalize_with(self._template(document, positions), positions)


def credential_slots(document: dict[str, Any]) -> list[tuple[list[str | int], str]]:
    """The positions that differ between the credentials of one issue run."""
    subject = document["credentialSubject"]
    positions: list[tuple[list[str | int], str]] = [
        (["id"], document["id"]),
        (["credentialSubject", "identifier", 0, "identityHash"], subject["identifier"][0]["identityHash"]),
        (["credentialSubject", "identifier", 0, "salt"], subject["identifier"][0]["salt"]),
        (["credentialSubject", "activityEndDate"], subject["activityEndDate"]),
    ]
    for index, result in enumerate(subject.get("result", [])):
        if "value" in result:
            positions.append((["credentialSubject", "result", index, "value"], result["value"]))
    status = document.get("credentialStatus")
    entries = status if isinstance(status, list) else [status] if status else []
    for index, entry in enumerate(entries):
        base: list[str | int] = (
            ["credentialStatus", index] if isinstance(status, list) else ["credentialStatus"]
        )
        positions.append(([*base, "id"], entry["id"]))
        positions.append(([*base, "statusListIndex"], entry["statusListIndex"]))
    return positions
