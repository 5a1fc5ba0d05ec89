"""Reads of offerings and enrolments, for the people who run offerings in the owning organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from credence.errors import NotVisible
from credence.organisations.authorization import can, organisation_ids_of

from .models import Enrolment, EnrolmentStatus, Offering


def offerings_visible_to(user: Any) -> QuerySet[Offering]:
    queryset = Offering.objects.select_related("organisation", "version__micro_credential").annotate(
        # distinct, so that callers may annotate other relations on top without multiplying these
        learner_count=Count("enrolments", distinct=True),
        completed_count=Count(
            "enrolments", filter=Q(enrolments__status=EnrolmentStatus.COMPLETED), distinct=True
        ),
    )
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    allowed = [
        org_id for org_id in organisation_ids_of(user) if can(user, "monitoring.view_offerings", _Org(org_id))
    ]
    return queryset.filter(organisation_id__in=allowed)


def get_offering(user: Any, pk: int) -> Offering:
    found = offerings_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such offering.")
    return found


def enrolments_of(offering: Offering) -> QuerySet[Enrolment]:
    return offering.enrolments.select_related("learner").order_by("learner__name", "learner__email")


class _Org:
    """Something that belongs to an organisation, for a permission check by id."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id
