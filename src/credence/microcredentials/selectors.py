"""Reads of micro-credentials and versions, scoped to what the user may see.

Members of the owning organisation see everything it owns; everyone else (and the public) sees only
published versions. Anything else answers as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from credence.errors import NotVisible
from credence.organisations.authorization import organisation_ids_of

from .documents import prefetch_parts
from .models import MicroCredential, MicroCredentialVersion, VersionStatus


def _member_org_ids(user: Any) -> list[int] | None:
    """None means 'every organisation' (platform admin)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return None
    return organisation_ids_of(user)


def micro_credentials_visible_to(user: Any) -> QuerySet[MicroCredential]:
    queryset = MicroCredential.objects.select_related("organisation", "published_version")
    org_ids = _member_org_ids(user)
    if org_ids is None:
        return queryset
    return queryset.filter(Q(organisation_id__in=org_ids) | Q(published_version__isnull=False))


def versions_visible_to(user: Any) -> QuerySet[MicroCredentialVersion]:
    queryset = MicroCredentialVersion.objects.select_related("micro_credential__organisation")
    org_ids = _member_org_ids(user)
    if org_ids is None:
        return queryset
    return queryset.filter(
        Q(micro_credential__organisation_id__in=org_ids) | Q(status=VersionStatus.PUBLISHED)
    )


def get_micro_credential(user: Any, pk: int) -> MicroCredential:
    found = micro_credentials_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such micro-credential.")
    return found


def get_version(user: Any, pk: int, *, with_parts: bool = True) -> MicroCredentialVersion:
    queryset = versions_visible_to(user)
    if with_parts:
        queryset = prefetch_parts(queryset)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such version.")
    return found


def versions_of(user: Any, micro_credential: MicroCredential) -> QuerySet[MicroCredentialVersion]:
    return versions_visible_to(user).filter(micro_credential=micro_credential).order_by("-number")


def current_version(user: Any, micro_credential: MicroCredential) -> MicroCredentialVersion | None:
    """The version a visitor should see first: the draft for members, else the published one."""
    return versions_of(user, micro_credential).first()


def latest_versions_visible_to(user: Any) -> QuerySet[MicroCredentialVersion]:
    """One row per micro-credential the user may see: its latest version that the user may see."""
    from django.db.models import OuterRef, Subquery

    visible = versions_visible_to(user)
    latest = (
        visible.filter(micro_credential=OuterRef("micro_credential")).order_by("-number").values("pk")[:1]
    )
    return visible.filter(pk=Subquery(latest))
