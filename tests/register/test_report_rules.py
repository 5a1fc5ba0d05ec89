"""DEQAR's rules, each refused with a message on the field at fault, and nothing written."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError

from credence.register import services
from credence.register.models import QAReport

from .test_deqar_submission_cases import CASES

BASE = CASES["bases"]["v2_validations"]["payload"]
AP_ONLY = CASES["bases"]["ap_only"]["payload"]


def _refused(package):
    before = QAReport.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.submit_report(actor=None, package=package)
    assert QAReport.objects.count() == before
    return caught.value.message_dict


def test_it_refuses_an_unknown_agency(deqar):
    errors = _refused({**BASE, "agency": "NOPE"})

    assert errors["agency"] == ["No QA agency 'NOPE' is in the register."]


def test_it_refuses_an_unknown_provider(deqar):
    errors = _refused({**BASE, "institutions": [{"deqar_id": "DEQARINST9999"}]})

    assert "DEQARINST9999" in errors["institutions[0]"][0]


def test_it_refuses_a_provider_that_is_also_a_platform(deqar):
    errors = _refused({**BASE, "platforms": [{"eter_id": "DE0392"}]})

    assert "both a provider and a platform" in errors["platforms[0]"][0]


def test_it_refuses_dates_outside_the_agencys_registration(deqar):
    errors = _refused({**BASE, "valid_from": "2022-01-01", "date_format": "%Y-%m-%d"})

    assert "outside ACQUIN's registration" in errors["valid_from"][0]


def test_it_asks_for_voluntary_status_when_every_provider_is_an_alternative_provider(deqar):
    errors = _refused({**AP_ONLY, "status": "1"})

    assert "voluntary" in errors["status"][0]


def test_it_asks_for_ects_and_assessment_on_a_micro_credential(deqar):
    package = copy.deepcopy(AP_ONLY)
    del package["programmes"][0]["workload_ects"]
    del package["programmes"][0]["assessment_certification"]

    errors = _refused(package)

    assert "ECTS credits are required" in errors["programmes[0].workload_ects"][0]
    assert "Assessment information is required" in errors["programmes[0].assessment_certification"][0]


def test_it_lists_every_problem_at_once(deqar):
    errors = _refused({**BASE, "agency": "NOPE", "status": "9", "decision": "maybe", "valid_from": ""})

    assert {"agency", "status", "decision", "valid_from"} <= set(errors)


def test_it_accepts_not_applicable_for_level_and_credits(deqar):
    package = copy.deepcopy(AP_ONLY)
    package["programmes"][0].update(qf_ehea_level="not applicable", workload_ects="not applicable")

    provision = services.submit_report(actor=None, package=package).provisions.get()

    assert provision.workload_not_applicable is True
    assert provision.qf_ehea_level == "not applicable"


def test_a_report_without_an_end_date_is_valid_for_six_years(deqar):
    report = services.submit_report(
        actor=None, package={**BASE, "valid_from": "2016-02-29", "date_format": "%Y-%m-%d"}
    )

    assert report.valid_to is None
    assert str(report.valid_to_calculated) == "2022-02-28"


def test_the_local_identifier_is_unique_per_agency(deqar):
    services.submit_report(actor=None, package={**BASE, "local_identifier": "R-1"})

    errors = _refused({**BASE, "local_identifier": "R-1"})

    assert "already has a report" in errors["local_identifier"][0]
