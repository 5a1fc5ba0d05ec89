"""No check crashes on a draft, however empty, huge or inconsistent (Hypothesis makes the versions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credence.frameworks.checks import STATUSES, Sibling, Subject
from credence.frameworks.evaluation import evaluate
from credence.frameworks.packs import shipped_packs
from credence.microcredentials.models import DESCRIPTIVE_FIELDS

anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.text(max_size=50)
    | st.dates(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=10,
)
numbers = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
)
outcome_refs = st.one_of(st.lists(st.integers(-5, 30), max_size=12), anything)
part = st.fixed_dictionaries(
    {},
    optional={
        "text": st.one_of(st.text(max_size=200), anything),
        "weight": numbers,
        "hours": numbers,
        "credits": numbers,
        "summative": anything,
        "outcomes": outcome_refs,
        "kind": st.sampled_from(
            ["stacks into", "credit recognised towards", "recognition of prior learning into it", "x"]
        ),
        "target_micro_credential": st.one_of(st.none(), st.integers(-3, 10), anything),
        "external_award": anything,
    },
)
documents = st.fixed_dictionaries(
    {},
    optional={
        **{name: st.one_of(anything, numbers) for name in DESCRIPTIVE_FIELDS},
        "credit_system": st.sampled_from(["ECTS", "NZQF", "UK", "US-credit-hours", "", "none", "??"]),
        "learning_outcomes": st.one_of(st.lists(part, max_size=40), anything),
        "assessments": st.one_of(st.lists(part, max_size=20), anything),
        "modules": st.one_of(st.lists(part, max_size=20), anything),
        "pathways": st.one_of(st.lists(part, max_size=5), anything),
    },
)
subjects = st.builds(
    Subject,
    document=documents,
    micro_credential_id=st.one_of(st.none(), st.integers(0, 5)),
    organisation_name=st.text(max_size=20),
    organisation_countries=st.lists(st.text(max_size=3), max_size=2).map(tuple),
    siblings=st.lists(
        st.builds(
            Sibling,
            st.integers(0, 5),
            st.text(max_size=5),
            st.text(max_size=40),
            st.lists(st.text(max_size=40), max_size=3).map(tuple),
        ),
        max_size=3,
    ),
    known_micro_credential_ids=st.frozensets(st.integers(0, 5), max_size=3),
    today=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subjects)
def test_no_check_of_any_shipped_pack_crashes(subject):
    for pack in shipped_packs().values():
        for result in evaluate(pack, subject):
            assert result["status"] in STATUSES
            assert isinstance(result["message"], str) and result["message"]


def test_an_empty_draft_fails_the_mechanical_checks_without_crashing():
    pack = shipped_packs()["eu-council-2022"]

    results = {r["criterion"]: r for r in evaluate(pack, Subject(document={}))}

    assert results["eu.e.title"]["status"] == "fail"
    assert results["eu.e.lo"]["field"] == "learning_outcomes"


def test_a_huge_version_is_checked():
    document = {
        "title": "Big " * 70,
        "credits": Decimal("1e30"),
        "credit_system": "ECTS",
        "notional_hours": 10**9,
        "learning_outcomes": [{"text": f"Apply item {n}"} for n in range(200)],
        "assessments": [{"weight": Decimal("0.5"), "outcomes": list(range(1, 201))} for _ in range(200)],
    }
    for pack in shipped_packs().values():
        results = evaluate(pack, Subject(document=document))
        assert len(results) == pack.check_count
        assert all(len(r["message"]) < 400 for r in results)
