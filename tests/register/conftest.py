"""The register's test world: DEQAR's own test fixtures (agencies ACQUIN and EKKA with their activities,
institutions DEQARINST0001-3, alternative providers DEQARINSTAP0010/11) rebuilt through our services, so
DEQAR's test inputs in shared/reference/deqar can be run against Credence unchanged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from credence.organisations import services as org_services
from credence.organisations.models import Organisation, User
from credence.register import services

from ..factories import make_user

DEQAR = Path("/work/shared/reference/deqar")
D = dt.date

# DEQAR id, group id, type, local identifier, valid from, valid to (agency_demo_01/02.yaml).
ACQUIN_ACTIVITIES = [
    (1, 1, "programme", "ACQ001", D(2010, 1, 1), None, "System Accreditation in Germany"),
    (2, 2, "institutional", "ACQ002", D(2010, 1, 1), None, "Programme Accreditation in Germany"),
    (3, 3, "joint programme", "ACQ003", D(2010, 1, 1), None, "Joint Programme Accreditation in Germany"),
    (4, 4, "institutional", "ACQ004", D(2010, 1, 1), D(2999, 1, 1), "Programme Accreditation Abroad"),
    (5, 5, "programme", "", D(2010, 1, 1), D(2013, 1, 1), "Common ESG Activity"),
    (
        6,
        6,
        "institutional/programme",
        "ACQ005",
        D(2010, 1, 1),
        D(2999, 1, 1),
        "Institutional/Programme Abroad",
    ),
]
EKKA_ACTIVITIES = [
    (7, 5, "programme", "", D(2010, 1, 1), None, "Study programme group accreditations"),
    (8, 8, "institutional", "", D(2010, 1, 1), None, "Institutional accreditations"),
]


@dataclass
class DeqarWorld:
    acquin: Organisation
    ekka: Organisation
    providers: dict[str, Organisation] = field(default_factory=dict)
    acquin_admin: User | None = None
    ekka_admin: User | None = None


def _agency(
    name: str,
    acronym: str,
    deqar_id: int,
    country: str,
    start: dt.date,
    end: dt.date,
    registered: bool,
    activities: list[Any],
) -> Organisation:
    agency = org_services.create_organisation(
        actor=None,
        name=name,
        acronym=acronym,
        kind="qa_agency",
        slug=acronym.lower(),
        locations=[{"country": country, "city": "Capital", "is_legal_seat": True}],
    )
    services.set_agency_profile(
        actor=None,
        agency=agency,
        deqar_agency_id=deqar_id,
        is_registered=registered,
        registration_start=start,
        registration_valid_to=end,
        geographical_focus="national",
    )
    for deqar, group, kind, local, since, until, title in activities:
        services.add_agency_activity(
            actor=None,
            agency=agency,
            deqar_id=deqar,
            group_id=group,
            activity_type=kind,
            local_identifier=local,
            valid_from=since,
            valid_to=until,
            name=title,
        )
    return agency


def _provider(
    deqar_id: str,
    name: str,
    country: str,
    *,
    eter_id: str = "",
    kind: str = "higher_education",
    identifiers: tuple[dict[str, str], ...] = (),
) -> Organisation:
    return org_services.create_organisation(
        actor=None,
        name=name,
        kind=kind,
        deqar_id=deqar_id,
        eter_id=eter_id,
        qf_ehea_levels=["second cycle"],
        locations=[{"country": country, "city": "Seat", "is_legal_seat": True}],
        identifiers=list(identifiers),
    )


def build_deqar_world() -> DeqarWorld:
    acquin = _agency(
        "Accreditation, Certification and Quality Assurance Institute",
        "ACQUIN",
        21,
        "DE",
        D(2009, 4, 8),
        D(2021, 6, 30),
        True,
        ACQUIN_ACTIVITIES,
    )
    ekka = _agency(
        "Estonian Quality Agency for Higher and Vocational Education",
        "EKKA",
        51,
        "EE",
        D(2013, 10, 23),
        D(2017, 3, 31),
        False,
        EKKA_ACTIVITIES,
    )
    world = DeqarWorld(acquin=acquin, ekka=ekka)
    world.providers["DEQARINST0001"] = _provider(
        "DEQARINST0001",
        "Hochschule für öffentliche Verwaltung Rheinland-Pfalz",
        "DE",
        identifiers=(
            {"resource": "local identifier", "value": "LOCAL001", "source": "ACQUIN"},
            {"resource": "national identifier", "value": "DE0001"},
        ),
    )
    world.providers["DEQARINST0002"] = _provider("DEQARINST0002", "FH Güstrow", "DE", eter_id="DE0394")
    world.providers["DEQARINST0003"] = _provider(
        "DEQARINST0003", "Hessische Hochschule für Polizei und Verwaltung", "DE", eter_id="DE0392"
    )
    world.providers["DEQARINSTAP0010"] = _provider(
        "DEQARINSTAP0010",
        "Academy for computer sciences Aaron Hillel Swartz",
        "SI",
        kind="alternative_provider",
        identifiers=({"resource": "national identifier", "value": "SLAP12345"},),
    )
    world.providers["DEQARINSTAP0011"] = _provider(
        "DEQARINSTAP0011",
        "Other Provider Test 2",
        "SI",
        kind="alternative_provider",
        identifiers=({"resource": "national identifier", "value": "SLAP12346"},),
    )
    world.acquin_admin = make_user(acquin, ["org_admin"], username="acquin_admin")
    world.ekka_admin = make_user(ekka, ["org_admin"], username="ekka_admin")
    return world


@pytest.fixture
def deqar(db: Any) -> DeqarWorld:
    return build_deqar_world()
