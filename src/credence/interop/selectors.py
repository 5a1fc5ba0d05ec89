"""Reads for imports, scoped to the organisations where the user may import."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from credence.errors import NotVisible
from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import Organisation

from .models import ColumnMapping, ImportJob


def organisations_importing_for(
    user: Any, permission: str = "interop.import_catalogue"
) -> QuerySet[Organisation]:
    """The organisations `user` may import into (all of them for a platform admin)."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.order_by("name")
    allowed = [pk for pk in organisation_ids_of(user) if can(user, permission, Organisation(pk=pk))]
    return Organisation.objects.filter(pk__in=allowed).order_by("name")


def import_jobs_visible_to(user: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organisation__in=organisations_importing_for(user)).select_related(
        "organisation", "created_by"
    )


def import_job_for(user: Any, pk: int | str) -> ImportJob:
    """One job the user may see, else NotVisible (404)."""
    job = import_jobs_visible_to(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if job is None:
        raise NotVisible("No such import.")
    return job


def mappings_visible_to(user: Any, organisation: Organisation | None = None) -> QuerySet[ColumnMapping]:
    mappings = ColumnMapping.objects.filter(
        organisation__in=organisations_importing_for(user)
    ).select_related("organisation")
    return mappings.filter(organisation=organisation) if organisation is not None else mappings


def mapping_for(user: Any, pk: int | str) -> ColumnMapping:
    mapping = mappings_visible_to(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if mapping is None:
        raise NotVisible("No such mapping.")
    return mapping
