"""Factories for tests. They build data through the same services users call, so it is valid by construction."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from credence.microcredentials import services as mc_services
from credence.microcredentials.models import MicroCredentialVersion, VersionStatus
from credence.organisations import services as org_services
from credence.organisations.models import Organisation, OrganisationKind, User

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_organisation(
    name: str | None = None, kind: str = OrganisationKind.HIGHER_EDUCATION, **fields: Any
) -> Organisation:
    n = next(_seq)
    return org_services.create_organisation(
        actor=None,
        name=name or f"University {n}",
        kind=kind,
        locations=[{"country": "IE", "city": "Dublin", "is_legal_seat": True}],
        **fields,
    )


def make_user(
    organisation: Organisation | None = None, roles: list[str] | None = None, username: str | None = None
) -> User:
    n = next(_seq)
    username = username or f"user{n}"
    if organisation is None:
        return User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
    membership = org_services.add_member(
        actor=None,
        organisation=organisation,
        email=f"{username}@example.org",
        username=username,
        roles=roles or ["proposer"],
        password=PASSWORD,
    )
    return membership.user


def make_platform_admin(username: str = "root") -> User:
    return User.objects.create_superuser(
        username=username, email=f"{username}@example.org", password=PASSWORD
    )


COMPLETE = {
    "summary": "A short, assessed course in practical data analysis for people at work.",
    "target_learners": "Working professionals who analyse data in spreadsheets.",
    "languages": ["en"],
    "credit_system": "ECTS",
    "credits": "5",
    "notional_hours": 125,
    "contact_hours": 30,
    "duration_weeks": "8",
    "eqf_level": 6,
    "field_of_study": "0542",
    "assessment_certification": "assessment based certificate",
    "form_of_participation": "online scheduled",
    "supervision": "supervised with identity verification",
    "quality_assurance": "Approved by the university's academic council under its QA policy.",
    "learning_outcomes": [
        {"text": "Clean and describe a data set with summary statistics."},
        {"text": "Choose and interpret a suitable statistical test."},
    ],
    "assessments": [
        {"type": "project", "description": "Analysis of a real data set", "weight": "60", "outcomes": [1, 2]},
        {"type": "online test", "description": "Weekly quizzes", "weight": "40", "outcomes": [1]},
    ],
    "modules": [{"title": "Describing data", "hours": "60", "outcomes": [1]}],
}


ORDER = [VersionStatus.DRAFT, VersionStatus.IN_REVIEW, VersionStatus.APPROVED, VersionStatus.PUBLISHED]


def make_version(
    organisation: Organisation,
    status: str = VersionStatus.DRAFT,
    code: str | None = None,
    title: str = "Practical data analysis",
    **fields: Any,
) -> MicroCredentialVersion:
    """A micro-credential whose latest version has `status`, moved there by the lifecycle services."""
    data = {**COMPLETE, **fields}
    version = mc_services.create_micro_credential(
        actor=None, organisation=organisation, code=code or f"MC-{next(_seq)}", title=title, **data
    )
    target = VersionStatus.PUBLISHED if status == VersionStatus.RETIRED else status
    steps = (mc_services.submit_version, mc_services.approve_version, mc_services.publish_version)
    for step in steps[: ORDER.index(VersionStatus(target))]:
        version = step(actor=None, version=version)
    if status == VersionStatus.RETIRED:
        version = mc_services.retire_version(actor=None, version=version, reason="Replaced by a new course.")
    return version


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
