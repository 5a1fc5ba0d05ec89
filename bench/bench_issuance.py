"""Issuing 10,000 Open Badges 3.0 credentials for one offering, signed (eddsa-rdfc-2022) and stored.

End to end is `issue_credentials` on a 10,000-line completion list: validation, key, Achievement,
status indexes, signing (spread over the cores) and the bulk insert, in one transaction. The stages
are measured one by one on a sample of the same credentials, on one core: JSON-LD expansion,
RDFC-1.0 canonicalisation the plain pyld way (expansion + conversion to RDF + RDFC-1.0), the templated
canonicalisation issuing uses (see credence/issuance/templated.py; checked byte-identical here),
Ed25519 signing, and the database (the store step of the real run, per credential).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

NAME = "issuance"
PARAMS = {"credentials": 10_000, "sample": 300}


def _offering(n: int) -> Any:
    from credence.microcredentials import services as mc
    from credence.monitoring import services as monitoring
    from credence.organisations import services as orgs

    organisation = orgs.create_organisation(
        actor=None,
        name="Benchmark University",
        kind="higher_education",
        locations=[{"country": "IE", "city": "Dublin", "is_legal_seat": True}],
    )
    version = mc.create_micro_credential(
        actor=None,
        organisation=organisation,
        code="BENCH-1",
        title="Practical data analysis",
        summary="A short, assessed course in practical data analysis for people at work.",
        languages=["en"],
        credit_system="ECTS",
        credits="5",
        notional_hours=125,
        eqf_level=6,
        field_of_study="0542",
        assessment_certification="assessment based certificate",
        form_of_participation="online scheduled",
        supervision="supervised with identity verification",
        quality_assurance="Approved by the academic council under the university's QA policy.",
        learning_outcomes=[
            {
                "text": "Clean and describe a data set with summary statistics.",
                "skills": [{"uri": "http://data.europa.eu/esco/skill/abc-123", "label": "analyse data"}],
            },
            {"text": "Choose and interpret a suitable statistical test."},
        ],
        assessments=[
            {
                "type": "project",
                "description": "Analysis of a real data set",
                "weight": "60",
                "outcomes": [1, 2],
            },
            {"type": "online test", "description": "Weekly quizzes", "weight": "40", "outcomes": [1]},
        ],
    )
    for step in (mc.submit_version, mc.approve_version, mc.publish_version):
        version = step(actor=None, version=version)
    offering = monitoring.create_offering(
        actor=None,
        version=version,
        code="BENCH-RUN",
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 3, 27),
    )
    monitoring.enrol_learners(
        actor=None, offering=offering, learners=[{"email": f"learner{i}@example.org"} for i in range(n)]
    )
    return offering


def _stages(sample: list[dict[str, Any]]) -> dict[str, float]:
    """Seconds per credential for each stage, on one core, over already-built credentials."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from pyld import jsonld

    from credence.issuance.jsonld import canonicalize, document_loader

    unsigned = [{k: v for k, v in doc.items() if k != "proof"} for doc in sample]
    canonicalize(unsigned[0])  # contexts processed once, as in a long-running worker
    start = time.perf_counter()
    for doc in unsigned:
        jsonld.expand(doc, {"documentLoader": document_loader})
    expansion = (time.perf_counter() - start) / len(unsigned)
    start = time.perf_counter()
    nquads = [canonicalize(doc) for doc in unsigned]
    canonicalisation = (time.perf_counter() - start) / len(unsigned)
    from credence.issuance.templated import TemplatedCanonicalizer, credential_slots

    templated = TemplatedCanonicalizer(credential_slots)
    templated(unsigned[0])
    start = time.perf_counter()
    fast = [templated(doc) for doc in unsigned]
    templated_time = (time.perf_counter() - start) / len(unsigned)
    assert fast == nquads, "the templated canonicalisation must equal pyld's, byte for byte"
    key = Ed25519PrivateKey.generate()
    start = time.perf_counter()
    for text in nquads:
        key.sign(hashlib.sha256(text.encode()).digest() * 2)
    signing = (time.perf_counter() - start) / len(unsigned)
    return {
        "expansion": expansion,
        "canonicalisation": canonicalisation,
        "templated": templated_time,
        "signing": signing,
    }


def run(params: dict[str, Any]) -> dict[str, tuple[float, str, str]]:
    import json

    from credence.issuance import services
    from credence.issuance.models import IssuedCredential
    from credence.issuance.signing import worker_count

    n = int(params["credentials"])
    offering = _offering(n)
    rows = [{"email": f"learner{i}@example.org", "grade": "A"} for i in range(n)]
    start = time.perf_counter()
    report = services.issue_credentials(actor=None, offering=offering, rows=rows, send_emails=False)
    total = time.perf_counter() - start
    assert len(report.issued) == n
    assert IssuedCredential.objects.filter(offering=offering).count() == n
    sample = [json.loads(c.signed_json) for c in report.issued[: int(params["sample"])]]
    from credence.issuance.verification import verify

    assert all(verify(doc).valid for doc in sample[:50]), "every sampled credential verifies (full pyld path)"
    stages = _stages(sample)
    store = report.timings["store"] / n
    return {
        "end_to_end_credentials_per_second": (round(n / total, 1), "credentials/s", ">= 300 credentials/s"),
        "end_to_end_seconds": (round(total, 2), "s", f"{n} credentials"),
        "signing_phase_credentials_per_second": (
            round(n / report.timings["sign"], 1),
            "credentials/s",
            f"canonicalise + sign over {worker_count()} process(es)",
        ),
        "stage_jsonld_expansion_ms": (round(stages["expansion"] * 1000, 3), "ms/credential", "one core"),
        "stage_canonicalisation_ms": (
            round(stages["canonicalisation"] * 1000, 3),
            "ms/credential",
            "one core; RDFC-1.0 with pyld, includes expansion",
        ),
        "stage_canonicalisation_templated_ms": (
            round(stages["templated"] * 1000, 3),
            "ms/credential",
            "one core; what issuing uses: RDF built once per shape, RDFC-1.0 per credential",
        ),
        "stage_ed25519_signing_ms": (round(stages["signing"] * 1000, 4), "ms/credential", "one core"),
        "stage_database_ms": (round(store * 1000, 3), "ms/credential", "bulk insert, VC-JWT and audit event"),
    }
