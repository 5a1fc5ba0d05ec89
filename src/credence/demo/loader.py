"""Builds the demo through the same services people use, so the demo is valid by construction and its
audit log reads like real work (who created, submitted, approved and published what)."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.db import transaction

from credence.microcredentials import services as mc
from credence.microcredentials.models import MicroCredentialVersion
from credence.organisations import services as orgs
from credence.organisations.models import Membership, Organisation, User

from .catalogue import MICRO_CREDENTIALS
from .people import DEMO_PASSWORD, EXTRA_MEMBERSHIPS, LEARNERS, ORGANISATIONS, PEOPLE, PLATFORM_ADMIN

LIFECYCLE_ONLY = {"org", "code", "status", "next_versions", "partners", "retirement_reason"}


def demo_is_loaded() -> bool:
    return Organisation.objects.filter(slug__in=[o["slug"] for o in ORGANISATIONS]).count() == len(
        ORGANISATIONS
    )


def _with_role(organisation: Organisation, role: str) -> User | None:
    for membership in Membership.objects.filter(organisation=organisation, active=True).select_related(
        "user"
    ):
        if role in membership.roles:
            return membership.user
    return None


def _advance(
    version: MicroCredentialVersion, status: str, admin: User, reason: str = ""
) -> MicroCredentialVersion:
    organisation = version.micro_credential.organisation
    proposer = _with_role(organisation, "proposer") or admin
    approver = _with_role(organisation, "approver") or admin
    publisher = _with_role(organisation, "qa_officer") or _with_role(organisation, "org_admin") or admin
    order = ["draft", "in_review", "approved", "published"]
    target = "published" if status == "retired" else status
    if order.index(target) >= 1:
        version = mc.submit_version(actor=proposer, version=version)
    if order.index(target) >= 2:
        version = mc.approve_version(actor=approver, version=version)
    if order.index(target) >= 3:
        version = mc.publish_version(actor=publisher, version=version)
    if status == "retired":
        version = mc.retire_version(actor=publisher, version=version, reason=reason or "Retired.")
    return version


def _load_micro_credential(spec: dict[str, Any], organisations: dict[str, Organisation], admin: User) -> None:
    organisation = organisations[spec["org"]]
    proposer = _with_role(organisation, "proposer") or admin
    fields = {k: v for k, v in spec.items() if k not in LIFECYCLE_ONLY | {"title"}}
    version = mc.create_micro_credential(
        actor=proposer, organisation=organisation, code=spec["code"], title=spec["title"], **fields
    )
    for slug, role in spec.get("partners", []):
        mc.add_partner(
            actor=proposer,
            micro_credential=version.micro_credential,
            organisation=organisations[slug],
            role=role,
        )
    version = _advance(version, spec["status"], admin, spec.get("retirement_reason", ""))
    for later in spec.get("next_versions", []):
        version = mc.start_new_version(actor=proposer, micro_credential=version.micro_credential)
        version = mc.update_draft(
            actor=proposer, version=version, data=later.get("changes", {}), lock_version=version.lock_version
        )
        outcomes = list(version.learning_outcomes.all())
        for number, new_text in later.get("outcomes_update", {}).items():
            version = mc.change_part(
                actor=proposer,
                version=version,
                kind="learning_outcomes",
                update=(outcomes[number - 1].pk, {"text": new_text}),
            )
        for new_text in later.get("outcomes_add", []):
            version = mc.change_part(
                actor=proposer, version=version, kind="learning_outcomes", add={"text": new_text}
            )
        for assessment, weight in zip(
            list(version.assessments.all()), later.get("assessment_weights", []), strict=False
        ):
            version = mc.change_part(
                actor=proposer,
                version=version,
                kind="assessments",
                update=(assessment.pk, {"weight": weight}),
            )
        for new_assessment in later.get("assessments_add", []):
            version = mc.change_part(actor=proposer, version=version, kind="assessments", add=new_assessment)
        version = _advance(version, later["status"], admin)


@transaction.atomic
def load_demo() -> bool:
    """Load the demo once; return False (and change nothing) if it is already there."""
    if demo_is_loaded():
        return False
    username, first, last = PLATFORM_ADMIN
    admin = User.objects.filter(username=username).first() or User.objects.create_superuser(
        username=username,
        email=f"{username}@credence.example",
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
    )
    organisations: dict[str, Organisation] = {}
    for spec in ORGANISATIONS:
        data = dict(spec)
        for key in ("founding_date",):
            if key in data:
                data[key] = dt.date.fromisoformat(data[key])
        organisations[spec["slug"]] = orgs.create_organisation(actor=admin, **data)
    for username, first, last, slug, roles in PEOPLE:
        orgs.add_member(
            actor=admin,
            organisation=organisations[slug],
            email=f"{username}@{slug}.example",
            username=username,
            first_name=first,
            last_name=last,
            roles=roles,
            password=DEMO_PASSWORD,
        )
    for username, slug, roles in EXTRA_MEMBERSHIPS:
        user = User.objects.get(username=username)
        orgs.add_member(actor=admin, organisation=organisations[slug], email=user.email, roles=roles)
    for spec in MICRO_CREDENTIALS:
        _load_micro_credential(spec, organisations, admin)
    context = DemoContext(admin=admin, organisations=organisations)
    for extension in _extensions():
        extension.load(context)
    return True


@dataclass
class DemoContext:
    """What the extensions get: the platform admin and the organisations by slug (people by username
    through User.objects; micro-credentials by code through MicroCredential.objects)."""

    admin: User
    organisations: dict[str, Organisation]


def _extensions() -> list[ModuleType]:
    from . import extensions

    modules = [
        importlib.import_module(f"{extensions.__name__}.{info.name}")
        for info in pkgutil.iter_modules(extensions.__path__)
    ]
    return sorted(modules, key=lambda module: getattr(module, "ORDER", 100))


def demo_logins() -> list[dict[str, str]]:
    rows = [
        {
            "username": PLATFORM_ADMIN[0],
            "email": f"{PLATFORM_ADMIN[0]}@credence.example",
            "organisation": "(all)",
            "roles": "platform admin",
        }
    ]
    for username, *_ in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        for membership in Membership.objects.filter(user=user).select_related("organisation"):
            rows.append(
                {
                    "username": username,
                    "email": user.email,
                    "organisation": str(membership.organisation),
                    "roles": ", ".join(membership.role_labels),
                }
            )
    for username, *_ in LEARNERS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            rows.append(
                {
                    "username": username,
                    "email": user.email,
                    "organisation": "(none: a learner)",
                    "roles": "credential holder, rates in the catalogue",
                }
            )
    return rows
