"""The home page ("what needs me now", per role) and the sign-in pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import views as auth_views
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from credence.audit.selectors import audit_events_visible_to
from credence.integrations.signin import ThrottledSignInForm, TwoStepSignIn
from credence.microcredentials.models import MicroCredentialVersion, VersionStatus
from credence.microcredentials.selectors import latest_versions_visible_to, versions_visible_to
from credence.organisations.authorization import can
from credence.organisations.models import Role

from .context_processors import navigation

PANEL_SIZE = 20
REVIEW_ROLES = {Role.REVIEWER, Role.COMMITTEE_SECRETARY, Role.COMMITTEE_MEMBER}


@dataclass
class Panel:
    """One block of the home page: a list of versions that need the person, and what to say if none do."""

    slug: str
    title: str
    intro: str
    empty: str
    versions: list[MicroCredentialVersion] = field(default_factory=list)
    show_edit: bool = False


def _versions(user: Any, organisation_id: int | None) -> QuerySet[MicroCredentialVersion]:
    versions = versions_visible_to(user).select_related("created_by", "submitted_by", "approved_by")
    if organisation_id is not None:
        versions = versions.filter(micro_credential__organisation_id=organisation_id)
    return versions


def _panels(user: Any, roles: set[str], organisation_id: int | None, everything: bool) -> list[Panel]:
    versions = _versions(user, organisation_id)
    panels: list[Panel] = []
    if Role.PROPOSER in roles:
        mine = versions.filter(Q(created_by=user) | Q(submitted_by=user))
        panels.append(
            Panel(
                "drafts",
                "Your drafts",
                "Drafts you started. Finish describing them and submit them for review.",
                "You have no drafts. Create a micro-credential to start one.",
                list(mine.filter(status=VersionStatus.DRAFT).order_by("-updated_at")[:PANEL_SIZE]),
                show_edit=True,
            )
        )
        panels.append(
            Panel(
                "submitted",
                "Your versions in review",
                "Versions you submitted that are being reviewed.",
                "None of your versions is in review.",
                list(mine.filter(status=VersionStatus.IN_REVIEW).order_by("-submitted_at")[:PANEL_SIZE]),
            )
        )
    in_review = list(versions.filter(status=VersionStatus.IN_REVIEW).order_by("submitted_at")[:PANEL_SIZE])
    if Role.APPROVER in roles:
        panels.append(
            Panel(
                "to-approve",
                "Waiting for your approval",
                "Versions in review. Approve a version once its review is complete.",
                "No version is waiting for approval.",
                in_review,
            )
        )
    elif roles & REVIEW_ROLES:
        panels.append(
            Panel(
                "in-review", "In review", "Versions under review now.", "No version is in review.", in_review
            )
        )
    if everything or roles & {Role.QA_OFFICER, Role.ORG_ADMIN}:
        panels.append(
            Panel(
                "to-publish",
                "Approved, not yet published",
                "Approved versions that are not in the public catalogue yet.",
                "Every approved version is published.",
                list(versions.filter(status=VersionStatus.APPROVED).order_by("approved_at")[:PANEL_SIZE]),
            )
        )
    return panels


def _recent_events(user: Any, organisation_id: int | None) -> Any:
    events = audit_events_visible_to(user).order_by("-sequence")
    if organisation_id is not None:
        events = events.filter(organisation_id=organisation_id)
    return events[:10]


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        published = latest_versions_visible_to(user).order_by("-published_at")[:6]
        return render(request, "web/home_public.html", {"published": published})
    membership = navigation(request)["active_membership"]
    if membership is None and not user.is_superuser:
        return render(request, "web/home_no_membership.html")
    organisation = membership.organisation if membership is not None else None
    roles = set(membership.roles) if membership is not None else set()
    organisation_id = organisation.pk if organisation is not None else None
    everything = organisation is None  # a platform admin without a membership sees all organisations
    show_events = everything or can(user, "audit.view_events", organisation)
    context = {
        "organisation": organisation,
        "roles": [Role(r).label for r in roles if r in Role.values],
        "panels": _panels(user, roles, organisation_id, everything),
        "events": _recent_events(user, organisation_id) if show_events else None,
        "can_create": user.is_superuser or can(user, "microcredentials.add_microcredential", organisation),
    }
    from credence.workflows.selectors import open_tasks_for

    context["tasks"] = list(open_tasks_for(user)[:PANEL_SIZE])
    return render(request, "web/home.html", context)


class SignInView(TwoStepSignIn, auth_views.LoginView):
    """Username or e-mail and password; throttled, then the authenticator code if the account has one."""

    template_name = "registration/login.html"
    authentication_form = ThrottledSignInForm
    redirect_authenticated_user = True


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form came back without a valid token (usually an expired page): say so in our own layout."""
    return render(request, "403_csrf.html", status=403)
