"""The register's demo: AQTE's profile and activities, reports on the demo providers (one on a
micro-credential, one withdrawn), a relationship between two providers, and seed 000's jurisdictions.
Everything goes through the register's services, as an agency admin would do it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from credence.microcredentials.models import MicroCredential
from credence.organisations import services as org_services
from credence.organisations.models import User
from credence.register import services

ORDER = 30

# The smallest document our PDF check accepts; enough to show a stored file with its checksum.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _report(actor: User, **package: Any) -> Any:
    base = {"agency": "AQTE", "date_format": "%Y-%m-%d"}
    return services.submit_report(actor=actor, package=base | package)


def load(context: Any) -> None:
    aqte = context.organisations["aqte"]
    agnes = User.objects.get(username="agnes")
    services.set_agency_profile(
        actor=agnes,
        agency=aqte,
        is_registered=True,
        registration_start=dt.date(2019, 6, 1),
        registration_valid_to=dt.date(2029, 5, 31),
        geographical_focus="international",
        focus_countries=["BE-fl", "IE", "DE", "NZ"],
        registration_note="Demo data: a fictional agency.",
    )
    for name, kind, local_id in (
        ("Institutional audit", "institutional", "AQTE-IA"),
        ("Micro-credential certification", "programme", "AQTE-MC"),
        ("Joint programme review", "joint programme", "AQTE-JP"),
        ("Institutional and programme accreditation abroad", "institutional/programme", "AQTE-IPA"),
    ):
        services.add_agency_activity(
            actor=agnes,
            agency=aqte,
            name=name,
            activity_type=kind,
            local_identifier=local_id,
            valid_from=dt.date(2019, 6, 1),
        )
    org_services.add_relationship(
        actor=context.admin,
        parent=context.organisations["northbridge"],
        child=context.organisations["lakeshore-college"],
        relationship_type="franchise or validation partnership",
        note="Northbridge validates two of Lakeshore's certificate programmes.",
        valid_from=dt.date(2021, 9, 1),
    )

    def provider(slug: str) -> dict[str, str]:
        return {"identifier": slug, "resource": "credence"}

    _report(
        agnes,
        local_identifier="AQTE-2022-014",
        activities=[{"local_identifier": "AQTE-IA"}],
        status="part of obligatory EQA system",
        decision="positive",
        summary="Institutional audit of Northbridge University: its internal QA, including the approval of "
        "micro-credentials, works as described.",
        valid_from="2022-03-01",
        institutions=[provider("northbridge")],
        report_links=[
            {"link": "https://www.aqte.example.eu/reports/2022-014", "link_display_name": "Agency page"}
        ],
    )
    analytics = MicroCredential.objects.get(code="NB-DA101")
    mc_report = _report(
        agnes,
        local_identifier="AQTE-2024-031",
        activities=[{"local_identifier": "AQTE-MC"}],
        status="voluntary",
        decision="positive with conditions or restrictions",
        summary="Certification of the micro-credential in data analysis. Condition: publish the completion rate.",
        valid_from="2024-05-01",
        valid_to="2027-04-30",
        institutions=[provider("northbridge")],
        programmes=[services.programme_for_micro_credential(analytics)],
    )
    services.add_report_file(
        actor=agnes,
        report=mc_report,
        content=DEMO_PDF,
        file_name="aqte-2024-031.pdf",
        display_name="Certification report",
        languages=["en"],
    )
    hydrogen = MicroCredential.objects.get(code="HTU-H2-01")
    _report(
        agnes,
        local_identifier="AQTE-2025-007",
        activities=[{"local_identifier": "AQTE-MC"}],
        status="voluntary",
        decision="positive",
        valid_from="2025-02-10",
        institutions=[provider("hanseatic-tu")],
        programmes=[services.programme_for_micro_credential(hydrogen)],
    )
    _report(
        agnes,
        local_identifier="AQTE-2023-052",
        activities=[{"local_identifier": "AQTE-IA"}],
        status="voluntary",
        decision="positive",
        summary="Voluntary institutional certification of CodeForge Academy, an alternative provider.",
        valid_from="2023-09-01",
        valid_to="2027-01-15",
        institutions=[provider("codeforge")],
    )
    mistaken = _report(
        agnes,
        local_identifier="AQTE-2023-060",
        activities=[{"local_identifier": "AQTE-IA"}],
        status="voluntary",
        decision="not applicable",
        valid_from="2023-11-20",
        institutions=[provider("lakeshore-college")],
    )
    services.withdraw_report(
        actor=agnes,
        report=mistaken,
        reason="Recorded against the wrong provider; the review was of a partner.",
    )
    services.load_baseline_jurisdictions(actor=context.admin)
