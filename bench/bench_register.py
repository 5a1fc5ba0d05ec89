"""How fast the register takes a DEQAR CSV batch (every row checked, then all written), how fast it
exports reports again, and how fast the public report search answers."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

NAME = "register"
PARAMS = {"rows": 300, "providers": 50}

HEADER = (
    "agency,local_identifier,activities[1].local_identifier,status,decision,valid_from,date_format,"
    "institution[1].identifier,institution[1].resource,programme[1].name_primary,programme[1].degree_outcome,"
    "programme[1].workload_ects,programme[1].assessment_certification,programme[1].qf_ehea_level"
)


def run(params: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    from credence.organisations import services as org_services
    from credence.register import services
    from credence.register.exports import report_as_deqar
    from credence.register.models import QAReport
    from credence.register.selectors import report_list

    rows, provider_count = int(params["rows"]), int(params["providers"])
    agency = org_services.create_organisation(
        actor=None,
        name="Bench Agency",
        acronym="BENCH",
        kind="qa_agency",
        locations=[{"country": "IE", "city": "Dublin", "is_legal_seat": True}],
    )
    services.set_agency_profile(actor=None, agency=agency, registration_start=dt.date(2015, 1, 1))
    services.add_agency_activity(
        actor=None, agency=agency, name="MC certification", activity_type="programme", local_identifier="MC"
    )
    slugs = [
        org_services.create_organisation(
            actor=None,
            name=f"Bench Provider {i}",
            kind="alternative_provider",
            locations=[{"country": "IE", "city": "Cork", "is_legal_seat": True}],
        ).slug
        for i in range(provider_count)
    ]
    lines = [HEADER] + [
        f"BENCH,B-{i},MC,2,1,2024-01-{1 + i % 28:02d},%Y-%m-%d,{slugs[i % provider_count]},credence,"
        f"Micro-credential {i},2,5,2,first cycle"
        for i in range(rows)
    ]
    start = time.perf_counter()
    services.submit_csv(actor=None, text="\n".join(lines))
    imported = time.perf_counter() - start
    assert QAReport.objects.count() == rows

    start = time.perf_counter()
    for report in QAReport.objects.all():
        report_as_deqar(report)
    exported = time.perf_counter() - start

    start = time.perf_counter()
    for _ in range(20):
        list(report_list({"q": "Micro-credential 1", "current": "1"})[:25])
    searched = (time.perf_counter() - start) / 20
    return {
        "csv_import_ms_per_row": (round(imported / rows * 1000, 2), "ms", "< 50 ms per row"),
        "export_ms_per_report": (round(exported / rows * 1000, 2), "ms", "< 20 ms per report"),
        "search_ms": (round(searched * 1000, 1), "ms", "< 200 ms"),
    }
