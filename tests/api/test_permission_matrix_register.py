"""The register's part of the permission matrix (see test_permission_matrix.py): every register API
operation x every role, in its own QA agency and in another."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction

from credence.organisations import services as org_services
from credence.organisations.authorization import REGISTERED
from credence.organisations.models import Organisation, Role, User
from credence.register import services
from credence.register.exports import report_as_deqar
from credence.register.models import Jurisdiction, QAReport

from ..factories import make_organisation, make_platform_admin, make_user
from .conftest import client_for
from .matrix import OWNERS, PRINCIPALS, Endpoint, expected_status

pytestmark = pytest.mark.django_db


@dataclass
class AgencyHoldings:
    organisation: Organisation  # the QA agency
    provider: Organisation
    report: QAReport
    jurisdiction: Jurisdiction


@dataclass
class Scene:
    holdings: dict[str, AgencyHoldings]
    users: dict[str, User] = field(default_factory=dict)


def _package(h: AgencyHoldings, local_identifier: str) -> dict[str, Any]:
    return {
        "agency": h.organisation.acronym,
        "local_identifier": local_identifier,
        "activities": [{"local_identifier": f"{h.organisation.acronym}-INST"}],
        "status": "voluntary",
        "decision": "positive",
        "valid_from": "2024-01-15",
        "date_format": "%Y-%m-%d",
        "institutions": [{"identifier": h.provider.slug, "resource": "credence"}],
    }


def _holdings(tag: str, code: str) -> AgencyHoldings:
    agency = make_organisation(f"{tag} Quality Agency", kind="qa_agency", acronym=f"{tag}QA")
    services.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2020, 1, 1))
    services.add_agency_activity(
        actor=None,
        agency=agency,
        name="Institutional audit",
        activity_type="institutional",
        local_identifier=f"{tag}QA-INST",
    )
    holdings = AgencyHoldings(
        organisation=agency,
        provider=make_organisation(f"{tag} Provider"),
        report=None,  # type: ignore[arg-type]
        jurisdiction=services.record_jurisdiction(
            actor=None,
            code=code,
            name=f"Land {tag}",
            approaches=["no_evidence"],
            source="Test",
            as_of=dt.date(2023, 3, 31),
        ),
    )
    holdings.report = services.submit_report(actor=None, package=_package(holdings, f"{tag}-1"))
    return holdings


@pytest.fixture(scope="module")
def scene(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Scene]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = Scene(holdings={"own": _holdings("OWN", "XO"), "other": _holdings("OTH", "XT")})
        own = built.holdings["own"].organisation
        own_provider = built.holdings["own"].provider
        for role in Role:
            user = make_user(own, [role.value], username=f"regmatrix_{role.value}")
            # The same role in the own provider, for the provider endpoints.
            org_services.add_member(
                actor=None, organisation=own_provider, email=user.email, roles=[role.value]
            )
            built.users[role.value] = user
        built.users["nobody"] = make_user(None, username="regmatrix_nobody")
        built.users["platform_admin"] = make_platform_admin("regmatrix_admin")
        yield built
        transaction.set_rollback(True)


@dataclass(frozen=True)
class RegisterEndpoint(Endpoint):
    csv: bool = False


PDF_B64 = base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()
CSV_HEADER = "agency,local_identifier,activities[1].local_identifier,status,decision,valid_from,institution[1].identifier,institution[1].resource"


def _csv(h: Any) -> dict[str, Any]:
    a = h.organisation.acronym
    return {"text": f"{CSV_HEADER}\n{a},{a}-CSV,{a}-INST,2,1,2024-02-01,{h.provider.slug},credence\n"}


ENDPOINTS = [
    RegisterEndpoint("GET /api/register/reports/", lambda h: "/api/register/reports/"),
    RegisterEndpoint("GET /api/register/reports/{id}/", lambda h: f"/api/register/reports/{h.report.pk}/"),
    RegisterEndpoint(
        "GET /api/register/reports/{id}/deqar/", lambda h: f"/api/register/reports/{h.report.pk}/deqar/"
    ),
    RegisterEndpoint(
        "POST /api/register/reports/{id}/withdraw/",
        lambda h: f"/api/register/reports/{h.report.pk}/withdraw/",
        lambda h: {"reason": "Issued in error."},
        needs="register.withdraw_report",
    ),
    RegisterEndpoint(
        "POST /api/register/reports/{id}/files/",
        lambda h: f"/api/register/reports/{h.report.pk}/files/",
        lambda h: {"file": PDF_B64, "file_name": "r.pdf", "report_language": ["en"]},
        needs="register.submit_report",
        success=201,
    ),
    RegisterEndpoint(
        "POST /api/register/submit/report/",
        lambda h: "/api/register/submit/report/",
        lambda h: _package(h, "NEW-1"),
        needs="register.submit_report",
    ),
    RegisterEndpoint(
        "PUT /api/register/submit/report/",
        lambda h: "/api/register/submit/report/",
        lambda h: {**report_as_deqar(h.report), "summary": "Updated summary."},
        needs="register.submit_report",
    ),
    RegisterEndpoint(
        "POST /api/register/submit/csv/",
        lambda h: "/api/register/submit/csv/",
        _csv,
        needs="register.submit_report",
        csv=True,
    ),
    RegisterEndpoint("GET /api/register/agencies/", lambda h: "/api/register/agencies/"),
    RegisterEndpoint(
        "GET /api/register/agencies/{slug}/", lambda h: f"/api/register/agencies/{h.organisation.slug}/"
    ),
    RegisterEndpoint(
        "PATCH /api/register/agencies/{slug}/",
        lambda h: f"/api/register/agencies/{h.organisation.slug}/",
        lambda h: {"is_registered": True, "geographical_focus": "national"},
        needs="register.manage_agency",
    ),
    RegisterEndpoint(
        "POST /api/register/agencies/{slug}/activities/",
        lambda h: f"/api/register/agencies/{h.organisation.slug}/activities/",
        lambda h: {"name": "Programme review", "activity_type": "programme"},
        needs="register.manage_agency",
        success=201,
    ),
    RegisterEndpoint("GET /api/register/providers/", lambda h: "/api/register/providers/"),
    RegisterEndpoint(
        "GET /api/register/providers/{slug}/", lambda h: f"/api/register/providers/{h.provider.slug}/"
    ),
    RegisterEndpoint(
        "POST /api/register/providers/{slug}/relationships/",
        lambda h: f"/api/register/providers/{h.provider.slug}/relationships/",
        lambda h: {"other": h.organisation.slug, "role": "child", "relationship_type": "consortium"},
        needs="organisations.change_organisation",
        success=201,
    ),
    RegisterEndpoint("GET /api/register/jurisdictions/", lambda h: "/api/register/jurisdictions/"),
    RegisterEndpoint(
        "GET /api/register/jurisdictions/{code}/",
        lambda h: f"/api/register/jurisdictions/{h.jurisdiction.code}/",
    ),
    RegisterEndpoint(
        "PATCH /api/register/jurisdictions/{code}/",
        lambda h: f"/api/register/jurisdictions/{h.jurisdiction.code}/",
        lambda h: {"lock_version": h.jurisdiction.lock_version, "approaches": ["common_standards"]},
        needs="register.manage_jurisdictions",
    ),
]


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.id)
def test_register_permission_matrix(scene: Scene, endpoint: RegisterEndpoint, principal: str, owner: str):
    holdings = scene.holdings[owner]
    user = None if principal == "anonymous" else User.objects.get(pk=scene.users[principal].pk)
    client = client_for(user)
    body = endpoint.body(holdings) if endpoint.body else None
    send = getattr(client, endpoint.method.lower())

    if endpoint.csv and body is not None:
        response = send(endpoint.url(holdings), body["text"], content_type="text/csv")
    elif body is not None:
        response = send(endpoint.url(holdings), body, format="json")
    else:
        response = send(endpoint.url(holdings))

    want = expected_status(endpoint, principal, owner)
    assert response.status_code == want, (
        f"{principal} -> {endpoint.id} on the {owner} agency's object: "
        f"{response.status_code}, expected {want}: {getattr(response, 'data', None)}"
    )


def test_the_table_uses_every_register_permission():
    used = {endpoint.needs for endpoint in ENDPOINTS} | {endpoint.sees for endpoint in ENDPOINTS}
    register = {p for p in REGISTERED if p.startswith("register.")}

    assert register - used == set()
