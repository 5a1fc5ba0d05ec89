"""Demo learner credentials: an offering of Northbridge's NB-DA101 with six learners, four credentials
issued and one of them revoked; and an offering of HTU-H2-01 whose learners are still waiting for theirs.
Built only through the services, as Northbridge's QA officer (quinn) and the platform admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credence.issuance import services as issuance
from credence.microcredentials.models import MicroCredential
from credence.monitoring import services as monitoring
from credence.organisations.models import User

ORDER = 50

NORTHBRIDGE_LEARNERS = [
    {"email": "aoife.byrne@learners.example", "name": "Aoife Byrne", "external_id": "NB-24001"},
    {"email": "tomasz.nowak@learners.example", "name": "Tomasz Nowak", "external_id": "NB-24002"},
    {"email": "fatima.okafor@learners.example", "name": "Fatima Okafor", "external_id": "NB-24003"},
    {"email": "liam.walsh@learners.example", "name": "Liam Walsh", "external_id": "NB-24004"},
    {"email": "mei.chen@learners.example", "name": "Mei Chen", "external_id": "NB-24005"},
    {"email": "diego.alvarez@learners.example", "name": "Diego Álvarez", "external_id": "NB-24006"},
]
HANSEATIC_LEARNERS = [
    {"email": "jonas.becker@learners.example", "name": "Jonas Becker", "external_id": "HTU-771"},
    {"email": "lena.vogel@learners.example", "name": "Lena Vogel", "external_id": "HTU-772"},
    {"email": "emre.yilmaz@learners.example", "name": "Emre Yılmaz", "external_id": "HTU-773"},
]


def _published(slug: str, code: str) -> Any:
    return MicroCredential.objects.get(organisation__slug=slug, code=code).published_version


def load(context: Any) -> None:
    quinn = User.objects.filter(username="quinn").first() or context.admin
    offering = monitoring.create_offering(
        actor=quinn,
        version=_published("northbridge", "NB-DA101"),
        code="NB-DA101-2026-SPRING",
        starts_on=dt.date(2026, 2, 2),
        ends_on=dt.date(2026, 4, 24),
        capacity=30,
        price="650.00",
        currency="EUR",
    )
    monitoring.enrol_learners(
        actor=quinn, offering=offering, learners=NORTHBRIDGE_LEARNERS, enrolled_on=dt.date(2026, 1, 20)
    )
    report = issuance.issue_credentials(
        actor=quinn,
        offering=offering,
        rows=[
            {"email": NORTHBRIDGE_LEARNERS[0]["email"], "grade": "Distinction", "completed_on": "2026-04-24"},
            {"email": NORTHBRIDGE_LEARNERS[1]["email"], "grade": "Merit", "completed_on": "2026-04-24"},
            {"email": NORTHBRIDGE_LEARNERS[2]["email"], "grade": "Pass", "completed_on": "2026-04-22"},
            {"email": NORTHBRIDGE_LEARNERS[3]["email"], "grade": "Merit", "completed_on": "2026-04-24"},
        ],
        send_emails=False,
    )
    issuance.revoke_credential(
        actor=quinn,
        credential=report.issued[3],
        reason="Issued before the resit result was confirmed; the learner will receive a corrected credential.",
    )
    issuance.mark_claimed(credential=report.issued[0])

    hanseatic = monitoring.create_offering(
        actor=context.admin,
        version=_published("hanseatic-tu", "HTU-H2-01"),
        code="HTU-H2-01-2026-S1",
        starts_on=dt.date(2026, 3, 2),
        ends_on=dt.date(2026, 6, 26),
        capacity=25,
    )
    monitoring.enrol_learners(
        actor=context.admin, offering=hanseatic, learners=HANSEATIC_LEARNERS, enrolled_on=dt.date(2026, 2, 16)
    )
