"""Reads of organisations and memberships, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .authorization import can, organisation_ids_of
from .models import Membership, Organisation, OrganisationRelationship


def organisation_list() -> QuerySet[Organisation]:
    """Organisations are public: the register and the catalogue name them."""
    return Organisation.objects.prefetch_related("locations", "identifiers")


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    """A person sees their own memberships, and those of organisations where they may view members."""
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    queryset = Membership.objects.select_related("user", "organisation")
    if user.is_superuser:
        return queryset
    visible = [
        org_id
        for org_id in organisation_ids_of(user)
        if can(user, "organisations.view_memberships", Organisation(pk=org_id))
    ]
    from django.db.models import Q

    return queryset.filter(Q(user_id=user.pk) | Q(organisation_id__in=visible))


def memberships_of(user: Any) -> QuerySet[Membership]:
    if user is None or not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk, active=True).select_related("organisation")


def relationships_of(organisation: Organisation) -> QuerySet[OrganisationRelationship]:
    """Every relationship the organisation takes part in, either side (relationships are public)."""
    from django.db.models import Q

    return OrganisationRelationship.objects.filter(
        Q(parent=organisation) | Q(child=organisation)
    ).select_related("parent", "child")
