"""DEQAR's JSON examples (submissionapi/examples/) are in the v1 shape: a single `activity`, and no
degree outcome on programmes. Like DEQAR's v2, we refuse them as they are, naming the fields; moved to the
v2 shape (and with their agency and providers registered), they are accepted."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from credence.organisations import services as org_services
from credence.register import services

from .conftest import DEQAR

EXAMPLES = ["institutional.json", "institutional_programme.json", "joint_programme.json", "programme.json"]


def _reports(name: str) -> list[dict]:
    data = json.loads((DEQAR / "examples" / name).read_text())
    return data if isinstance(data, list) else [data]


@pytest.mark.parametrize("name", EXAMPLES)
def test_it_refuses_the_v1_examples_for_their_missing_activities(deqar, name):
    for report in _reports(name):
        with pytest.raises(ValidationError) as caught:
            services.submit_report(actor=None, package=report)

        assert "activities" in caught.value.message_dict


def test_it_accepts_the_institutional_example_in_the_v2_shape(db):
    musique = org_services.create_organisation(
        actor=None,
        name="MusiQuE – Music Quality Enhancement",
        acronym="MusiQuE",
        kind="qa_agency",
        locations=[{"country": "BE", "city": "Brussels", "is_legal_seat": True}],
    )
    services.set_agency_profile(actor=None, agency=musique, registration_start=dt.date(2015, 1, 1))
    services.add_agency_activity(
        actor=None,
        agency=musique,
        name="Quality enhancement reviews of institutions",
        activity_type="institutional",
    )
    for eter_id, deqar_id in (("BE0035", ""), ("", "DEQARINST0245")):
        org_services.create_organisation(
            actor=None,
            name=f"Conservatoire {eter_id or deqar_id}",
            kind="higher_education",
            eter_id=eter_id,
            deqar_id=deqar_id,
            locations=[{"country": "BE", "city": "Brussels", "is_legal_seat": True}],
        )

    recorded = []
    for report in _reports("institutional.json"):
        report["activities"] = [{"activity": report.pop("activity")}]
        recorded.append(services.submit_report(actor=None, package=report))

    assert [r.local_identifier for r in recorded] == ["CRDB-October14", "HAMU-June15"]
    assert recorded[0].files.get().languages == ["fre"]
