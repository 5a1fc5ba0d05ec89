"""Offerings of published versions, enrolling learners, and recording completions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from credence.monitoring import selectors, services
from credence.monitoring.models import EnrolmentStatus, Learner

from ..factories import make_version

pytestmark = pytest.mark.django_db

DATES = {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2026, 5, 31)}


def test_an_offering_is_made_of_a_published_version(world):
    version = make_version(world.home, status="published")

    offering = services.create_offering(
        actor=world.user("qa_officer"),
        version=version,
        code="SPRING-26",
        capacity=2,
        price="99",
        currency="eur",
        **DATES,
    )

    assert offering.organisation == world.home
    assert offering.form_of_participation == version.form_of_participation
    assert (offering.price, offering.currency) == (99, "EUR")


def test_a_draft_cannot_be_offered_and_bad_dates_are_named(world):
    draft = make_version(world.home)

    with pytest.raises(ValidationError) as error:
        services.create_offering(
            actor=None, version=draft, code="X", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 1)
        )

    assert set(error.value.message_dict) >= {"version", "ends_on"}


def test_only_qa_officers_and_admins_of_the_owner_make_offerings(world):
    version = make_version(world.home, status="published")
    for user in (world.user("proposer"), world.outsider_qa):
        with pytest.raises(PermissionDenied):
            services.create_offering(actor=user, version=version, code="NOPE", **DATES)


def test_enrolling_matches_learners_by_email_and_keeps_a_salted_hash(world):
    version = make_version(world.home, status="published")
    first = services.create_offering(actor=None, version=version, code="A", **DATES)
    second = services.create_offering(actor=None, version=version, code="B", **DATES)

    services.enrol_learners(
        actor=None, offering=first, learners=[{"email": "Ada@Example.org", "name": "Ada"}]
    )
    services.enrol_learners(actor=None, offering=second, learners=[{"email": "ada@example.org"}])

    learner = Learner.objects.get()
    assert learner.email == "ada@example.org"
    assert learner.email_hash == services.email_hash("ada@example.org", learner.email_salt)
    assert learner.enrolments.count() == 2


def test_enrolling_refuses_bad_rows_and_respects_capacity(world):
    version = make_version(world.home, status="published")
    offering = services.create_offering(actor=None, version=version, code="SMALL", capacity=1, **DATES)

    with pytest.raises(ValidationError) as bad:
        services.enrol_learners(
            actor=None, offering=offering, learners=[{"email": "x"}, {"email": "a@example.org"}]
        )
    with pytest.raises(ValidationError) as full:
        services.enrol_learners(
            actor=None, offering=offering, learners=[{"email": "a@example.org"}, {"email": "b@example.org"}]
        )

    assert "rows[0].email" in bad.value.message_dict
    assert "room for 1" in full.value.message_dict["rows"][0]
    assert not Learner.objects.exists()


def test_completions_are_matched_and_recorded(world):
    version = make_version(world.home, status="published")
    offering = services.create_offering(actor=None, version=version, code="C", **DATES)
    services.enrol_learners(
        actor=None, offering=offering, learners=[{"email": "a@example.org"}, {"email": "b@example.org"}]
    )
    withdrawn = offering.enrolments.get(learner__email="b@example.org")
    services.withdraw_learner(actor=None, enrolment=withdrawn)

    with pytest.raises(ValidationError) as error:
        services.validate_completions(
            offering, [{"email": "b@example.org"}, {"email": "a@example.org", "completed_on": "soon"}]
        )
    assert "withdrew" in error.value.message_dict["rows[0].email"][0]
    assert "rows[1].completed_on" in error.value.message_dict

    completions = services.validate_completions(offering, [{"email": "a@example.org", "grade": "B+"}])
    services.record_completions(actor=None, offering=offering, completions=completions)
    done = offering.enrolments.get(learner__email="a@example.org")
    assert (done.status, done.passed, done.grade, done.completed_on) == (
        EnrolmentStatus.COMPLETED,
        True,
        "B+",
        DATES["ends_on"],
    )


def test_offerings_are_seen_only_by_those_who_run_them(world):
    version = make_version(world.home, status="published")
    offering = services.create_offering(actor=None, version=version, code="SEEN", **DATES)

    assert list(selectors.offerings_visible_to(world.user("qa_officer"))) == [offering]
    for user in (world.user("proposer"), world.outsider_qa, world.nobody):
        assert not selectors.offerings_visible_to(user).exists()
