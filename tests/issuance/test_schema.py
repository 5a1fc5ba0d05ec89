"""Issued credentials satisfy the official Open Badges 3.0 JSON schema (the 1EdTech validator's first
check). The schema is 1EdTech's `achievementcredential.json` (gh-pages build of 2024-07-30), kept in data/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from credence.issuance import services

from .conftest import LEARNERS, document, issue

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "data" / "ob_v3p0_achievementcredential.json").read_text())


def _problems(data: dict) -> list[str]:
    validator = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(data)]


def test_issued_credentials_satisfy_the_official_schema(offering):
    plain = document(issue(offering, [LEARNERS[0]["email"]])[0])
    report = services.issue_credentials(
        actor=None,
        offering=offering,
        rows=[{"email": LEARNERS[1]["email"], "grade": "A"}],
        valid_until=dt.datetime(2031, 1, 1, tzinfo=dt.UTC),
        did_method="key",
        send_emails=False,
    )

    for data in (plain, document(report.issued[0])):
        assert _problems(data) == []
        assert isinstance(data["credentialStatus"], dict)
        assert data["credentialStatus"]["type"] == "BitstringStatusListEntry"
