"""Monitoring at scale: an organisation with 1,000 published micro-credentials x 10 offerings x 200
learners (2,000,000 enrolments; 200,000 learners, each in 10 offerings; a learner survey with 40
responses on every tenth offering). Measures the dashboard's p95 response time and a 100,000-row
enrolment import (500 new offerings x 200 new learners), then the same file again (the idempotent path).

Run it on PostgreSQL, in its own database:

    createdb -h 127.0.0.1 -U postgres credence_bench_monitoring
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/credence_bench_monitoring \\
        .venv/bin/python bench/run.py --only monitoring

The bulk data is generated with PostgreSQL's COPY (minutes, not hours; with SQLite it falls back to
executemany and takes longer). Micro-credentials, versions and offerings are bulk-created with the ORM
rather than through the services, as the services' per-object audit trail is not what is measured here;
the import, the indicators and the dashboard are the real code paths.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Iterable, Sequence
from typing import Any

NAME = "monitoring"
PARAMS = {
    "micro_credentials": 1000,
    "offerings_per_micro_credential": 10,
    "learners_per_offering": 200,
    "import_rows": 100_000,
    "dashboard_requests": 40,
}


def _insert(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            batch: list[Sequence[Any]] = []
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
            for row in rows:
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)


def _generate(params: dict[str, Any]) -> tuple[Any, Any, list[Any]]:
    from django.utils import timezone

    from credence.microcredentials.models import MicroCredential, MicroCredentialVersion
    from credence.monitoring.models import Learner, Offering, Survey
    from credence.organisations import services as org_services

    admin_org = org_services.create_organisation(
        actor=None,
        name="Bench University",
        acronym="BU",
        kind="higher_education",
        locations=[{"country": "IE", "city": "Dublin", "is_legal_seat": True}],
    )
    qa = org_services.add_member(
        actor=None,
        organisation=admin_org,
        email="qa@bench.example",
        username="bench_qa",
        first_name="Q",
        last_name="A",
        roles=["qa_officer"],
        password="bench-password-1",
    ).user
    count = int(params["micro_credentials"])
    per = int(params["offerings_per_micro_credential"])
    learners_per = int(params["learners_per_offering"])
    now = timezone.now()
    mcs = MicroCredential.objects.bulk_create(
        MicroCredential(organisation=admin_org, code=f"BMC-{i:04d}") for i in range(count)
    )
    versions = MicroCredentialVersion.objects.bulk_create(
        MicroCredentialVersion(
            micro_credential=mc,
            number=1,
            status="published",
            title=f"Bench micro-credential {i}",
            submitted_at=now - dt.timedelta(days=3650),
            approved_at=now - dt.timedelta(days=3600),
            published_at=now - dt.timedelta(days=3600),
        )
        for i, mc in enumerate(mcs)
    )
    for mc, version in zip(mcs, versions, strict=True):
        mc.published_version = version
    MicroCredential.objects.bulk_update(mcs, ["published_version"], batch_size=1000)
    offerings = Offering.objects.bulk_create(
        (
            Offering(
                organisation=admin_org,
                version=version,
                code=f"{mc.code}-{k:02d}",
                starts_on=dt.date(2016 + k, 2, 1),
                ends_on=dt.date(2016 + k, 5, 30),
            )
            for mc, version in zip(mcs, versions, strict=True)
            for k in range(per)
        ),
        batch_size=2000,
    )
    learner_total = count * learners_per  # each learner takes the 10 offerings of one micro-credential
    rng = random.Random(7)
    _insert(
        "monitoring_learner",
        ["organisation_id", "external_id", "name", "email", "email_salt", "email_hash", "created_at"],
        (
            (admin_org.pk, f"L{i:07d}", f"Learner {i}", f"l{i}@bench.example", "s", f"{i:064x}", now)
            for i in range(learner_total)
        ),
    )
    first_learner = (
        Learner.objects.filter(organisation=admin_org).order_by("pk").values_list("pk", flat=True)[0]
    )
    statuses = ["completed"] * 6 + ["withdrawn", "started", "enrolled", "completed"]

    def enrolments() -> Iterable[tuple[Any, ...]]:
        for index, offering in enumerate(offerings):
            mc_index = index // per
            for j in range(learners_per):
                status = statuses[rng.randrange(10)]
                yield (
                    offering.pk,
                    first_learner + mc_index * learners_per + j,
                    status,
                    (rng.random() < 0.9) if status == "completed" else None,
                    "",
                    offering.starts_on,
                    offering.starts_on if status in ("started", "completed") else None,
                    None,
                    offering.ends_on if status == "completed" else None,
                )

    _insert(
        "monitoring_enrolment",
        [
            "offering_id",
            "learner_id",
            "status",
            "passed",
            "grade",
            "enrolled_on",
            "started_on",
            "withdrawn_on",
            "completed_on",
        ],
        enrolments(),
    )
    surveys = Survey.objects.bulk_create(
        Survey(
            organisation=admin_org, offering=o, kind="learner", status="closed", invitations_sent=learners_per
        )
        for o in offerings[::10]
    )
    _insert(
        "monitoring_surveyresponse",
        ["survey_id", "submitted_on"],
        ((s.pk, s.offering.ends_on) for s in surveys for _ in range(40)),
    )
    from credence.monitoring.models import SurveyResponse

    _insert(
        "monitoring_answer",
        ["response_id", "question", "value", "text", "moderation"],
        (
            (pk, "satisfaction", rng.choice([2, 3, 4, 4, 5, 5]), "", "")
            for pk in SurveyResponse.objects.values_list("pk", flat=True)
        ),
    )
    return admin_org, qa, list(mcs)


def run(params: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    from django.db import connection, transaction
    from django.test import Client

    from credence.monitoring import services
    from credence.monitoring.models import Enrolment, Offering

    start = time.perf_counter()
    with transaction.atomic():
        organisation, qa, mcs = _generate(params)
    generated = time.perf_counter() - start
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    for key, comparison, value in services.DEFAULT_THRESHOLDS:
        services.set_threshold(
            actor=None, organisation=organisation, indicator=key, comparison=comparison, value=value
        )
    start = time.perf_counter()
    all_offerings = list(Offering.objects.filter(organisation=organisation).values_list("pk", flat=True))
    services.refresh_evidence(organisation=organisation, offering_ids=all_offerings)
    computed = time.perf_counter() - start

    client = Client()
    client.force_login(qa)
    assert client.get("/monitoring/").status_code == 200  # warm up
    timings = []
    for request in range(int(params["dashboard_requests"])):
        start = time.perf_counter()
        response = client.get(f"/monitoring/?page={1 + request % 20}")
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    p95 = statistics.quantiles(timings, n=20)[-1]
    detail = []
    for mc in random.Random(3).sample(mcs, 20):
        start = time.perf_counter()
        assert client.get(f"/monitoring/micro-credentials/{mc.pk}/").status_code == 200
        detail.append(time.perf_counter() - start)

    # The import: 500 new offerings of 50 micro-credentials, 200 new learners each.
    import_rows = int(params["import_rows"])
    per_offering = int(params["learners_per_offering"])
    new_offerings = Offering.objects.bulk_create(
        Offering(
            organisation=organisation,
            version=mcs[i % 50].published_version,
            code=f"IMP-{i:04d}",
            starts_on=dt.date(2026, 1, 12),
            ends_on=dt.date(2026, 3, 27),
        )
        for i in range(import_rows // per_offering)
    )
    header = ["offering", "student_id", "name", "email", "status", "passed", "completed_on"]
    rows = []
    for index in range(import_rows):
        offering = new_offerings[index // per_offering]
        done = index % 10 < 7
        rows.append(
            [
                offering.code,
                f"N{index:07d}",
                f"New learner {index}",
                f"n{index}@bench.example",
                "completed" if done else "started",
                "yes" if done else "",
                "2026-03-27" if done else "",
            ]
        )
    mapping = {
        "offering": "offering",
        "student_id": "external_id",
        "name": "name",
        "email": "email",
        "status": "status",
        "passed": "passed",
        "completed_on": "completed_on",
    }
    before = Enrolment.objects.count()
    start = time.perf_counter()
    report = services.import_results(
        actor=qa, organisation=organisation, header=header, rows=rows, mapping=mapping, file_name="bench.csv"
    )
    imported = time.perf_counter() - start
    assert report.enrolments_created == import_rows and Enrolment.objects.count() == before + import_rows
    start = time.perf_counter()
    again = services.import_results(
        actor=qa, organisation=organisation, header=header, rows=rows, mapping=mapping
    )
    reimported = time.perf_counter() - start
    assert again.unchanged == import_rows and Enrolment.objects.count() == before + import_rows
    return {
        "data_generation_s": (round(generated, 1), "s", "(setup, not a goal)"),
        "indicators_all_offerings_s": (round(computed, 1), "s", "(10,000 offerings; not a goal)"),
        "dashboard_p95_ms": (round(p95 * 1000, 1), "ms", "<= 300 ms"),
        "dashboard_median_ms": (round(statistics.median(timings) * 1000, 1), "ms", "(for reference)"),
        "micro_credential_page_p95_ms": (
            round(statistics.quantiles(detail, n=20)[-1] * 1000, 1),
            "ms",
            "(for reference)",
        ),
        "import_100k_s": (round(imported, 1), "s", "<= 30 s"),
        "import_rows_per_s": (round(import_rows / imported), "rows/s", ">= 3,334 rows/s"),
        "reimport_100k_unchanged_s": (round(reimported, 1), "s", "(idempotent path; for reference)"),
    }
