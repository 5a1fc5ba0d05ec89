"""DEQAR's own validation tests (transcribed in submission_v2_test_cases.json), run against our submission
checks: every case DEQAR accepts we accept, every case it rejects we reject."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from credence.register import services
from credence.register.models import QAReport

from .conftest import DEQAR

CASES = json.loads((DEQAR / "submission_v2_test_cases.json").read_text())
# Cases about report 1 of DEQAR's report fixture: we build it first (see _existing_report).
NEEDS_REPORT_1 = {"test_update_request_with_id"}


def _path(document: Any, dotted: str) -> tuple[Any, Any]:
    parts = [int(p) if p.isdigit() else p for p in dotted.split(".")]
    for part in parts[:-1]:
        document = document[part]
    return document, parts[-1]


def payload_of(case: dict[str, Any]) -> Any:
    document = copy.deepcopy(CASES["bases"][case["base"]]["payload"])
    for op in case["ops"]:
        if op["op"] == "replace_document_with":
            document = document[op["path"]]
            continue
        parent, key = _path(document, op["path"])
        if op["op"] == "set":
            parent[key] = op["value"]
        elif op["op"] == "remove":
            del parent[key]
        elif op["op"] == "append":
            parent[key].append(op["value"])
    return document


def _name(case: dict[str, Any]) -> str:
    return case["test"].split("::")[-1]


@pytest.mark.parametrize("case", CASES["cases"], ids=_name)
def test_it_judges_each_deqar_case_as_deqar_does(deqar, case):
    payload = payload_of(case)
    update = case["serializer"] == "update" or (
        "PUT" in case["serializer"] and "POST then" not in case["serializer"]
    )
    if _name(case) in NEEDS_REPORT_1:
        existing = services.submit_report(actor=None, package=payload_of({**case, "ops": []}))
        payload["report_id"] = str(existing.pk)
    before = QAReport.objects.count()

    if case["expected"] == "valid":
        report = services.submit_report(actor=None, package=payload, update=update)
        assert report.pk is not None
    else:
        with pytest.raises(ValidationError) as caught:
            services.submit_report(actor=None, package=payload, update=update)
        assert caught.value.message_dict  # each problem names its field
        assert QAReport.objects.count() == before
