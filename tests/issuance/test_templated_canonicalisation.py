"""The fast canonicalisation bulk issuing uses gives byte-identical N-Quads to plain pyld."""

from __future__ import annotations

import datetime as dt

import pytest

from credence.issuance.jsonld import canonicalize
from credence.issuance.templated import TemplatedCanonicalizer, credential_slots

from .conftest import LEARNERS, document, issue, make_offering

pytestmark = pytest.mark.django_db


def test_templated_and_plain_canonicalisation_agree_on_a_corpus(world):
    corpus = []
    offering = make_offering(world.home, code="RUN-A")
    corpus += [document(c) for c in issue(offering, [LEARNERS[0]["email"]])]
    from credence.issuance import services

    report = services.issue_credentials(
        actor=None,
        offering=offering,
        rows=[
            {"email": LEARNERS[1]["email"], "grade": "A+"},
            {"email": LEARNERS[2]["email"], "completed_on": "2026-02-28"},
        ],
        valid_until=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        did_method="key",
        send_emails=False,
    )
    corpus += [document(c) for c in report.issued]
    other = make_offering(
        world.other, code="RUN-B", learners=[{"email": "zoe.o'neill+mc@example.org", "name": "Zoë O'Neill"}]
    )
    corpus += [document(c) for c in issue(other, ["zoe.o'neill+mc@example.org"])]

    fast = TemplatedCanonicalizer(credential_slots)
    for data in corpus:
        unsigned = {k: v for k, v in data.items() if k != "proof"}
        assert fast(unsigned) == canonicalize(unsigned)


def test_a_value_that_changes_its_kind_falls_back_to_the_plain_path(offering):
    data = {k: v for k, v in document(issue(offering, ["ada@example.org"])[0]).items() if k != "proof"}
    fast = TemplatedCanonicalizer(credential_slots)
    fast(data)
    data["credentialSubject"]["activityEndDate"] = 20260301  # a number where a string was

    assert fast(data) == canonicalize(data)
