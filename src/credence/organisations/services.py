"""Every write to organisations, their locations and identifiers, people and memberships."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from rest_framework.authtoken.models import Token

from credence.audit.services import field_changes, record_event, snapshot
from credence.errors import StaleWrite

from .authorization import forget_roles, require
from .models import Identifier, Location, Membership, Organisation, OrganisationRelationship, User

ORGANISATION_FIELDS = (
    "name",
    "name_english",
    "acronym",
    "kind",
    "organisation_type",
    "website",
    "description",
    "qa_policy_url",
    "founding_date",
    "closure_date",
    "qf_ehea_levels",
    "source_of_information",
    "deqar_id",
    "eter_id",
)
LOCATION_FIELDS = ("country", "city", "postcode", "latitude", "longitude", "is_legal_seat")
RELATIONSHIP_FIELDS = ("parent_id", "child_id", "relationship_type", "note", "valid_from", "valid_to")


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError({f"{prefix}.{k}": v for k, v in error.message_dict.items()})
    return ValidationError({prefix: error.messages})


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def create_organisation(
    *,
    actor: User | None,
    name: str,
    kind: str,
    locations: Sequence[Mapping[str, Any]],
    identifiers: Sequence[Mapping[str, Any]] = (),
    slug: str = "",
    **fields: Any,
) -> Organisation:
    """Create an organisation with its locations (exactly one legal seat) and identifiers.

    `actor=None` is the system itself (demo loader, migrations); people need platform admin.
    """
    if actor is not None:
        require(actor, "organisations.add_organisation")
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({k: "Unknown field." for k in sorted(unknown)})
    organisation = Organisation(name=name, kind=kind, slug=slug or _unique_slug(name), **fields)
    organisation.full_clean()
    location_rows = [Location(**dict(loc)) for loc in locations]
    seats = sum(1 for loc in location_rows if loc.is_legal_seat)
    if not location_rows:
        raise ValidationError({"locations": "Give at least one location, marked as the legal seat."})
    if seats != 1:
        raise ValidationError({"locations": f"Exactly one location must be the legal seat ({seats} are)."})
    for index, location in enumerate(location_rows):
        try:
            location.full_clean(exclude=["organisation"])
        except ValidationError as error:
            raise _prefixed(error, f"locations[{index}]") from None
    identifier_rows = [Identifier(**dict(ident)) for ident in identifiers]
    for index, identifier in enumerate(identifier_rows):
        try:
            identifier.full_clean(exclude=["organisation"])
        except ValidationError as error:
            raise _prefixed(error, f"identifiers[{index}]") from None
    organisation.save()
    for location in location_rows:
        location.organisation = organisation
        location.save()
    for identifier in identifier_rows:
        identifier.organisation = organisation
        identifier.save()
    record_event(
        actor=actor,
        action="organisation.created",
        obj=organisation,
        organisation=organisation,
        changes=field_changes({}, snapshot(organisation, ("slug", *ORGANISATION_FIELDS)))
        | {
            "locations": [None, [str(loc) for loc in location_rows]],
            "identifiers": [None, [str(i) for i in identifier_rows]],
        },
    )
    return organisation


@transaction.atomic
def update_organisation(
    *, actor: User, organisation: Organisation, lock_version: int | None = None, **fields: Any
) -> Organisation:
    require(actor, "organisations.change_organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if lock_version is not None and lock_version != organisation.lock_version:
        raise StaleWrite(organisation, lock_version, organisation.lock_version)
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({k: "This field cannot be changed here." for k in sorted(unknown)})
    before = snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    changes = field_changes(before, snapshot(organisation, ORGANISATION_FIELDS))
    if changes:
        organisation.lock_version += 1
        organisation.save()
        record_event(
            actor=actor,
            action="organisation.updated",
            obj=organisation,
            organisation=organisation,
            changes=changes,
        )
    return organisation


@transaction.atomic
def add_location(*, actor: User, organisation: Organisation, **fields: Any) -> Location:
    require(actor, "organisations.change_organisation", organisation)
    location = Location(organisation=organisation, **fields)
    location.full_clean(exclude=["organisation"])
    if location.is_legal_seat:
        Location.objects.filter(organisation=organisation, is_legal_seat=True).update(is_legal_seat=False)
    location.save()
    record_event(
        actor=actor,
        action="organisation.location_added",
        obj=location,
        organisation=organisation,
        changes=field_changes({}, snapshot(location, LOCATION_FIELDS)),
    )
    return location


@transaction.atomic
def remove_location(*, actor: User, location: Location) -> None:
    organisation = location.organisation
    require(actor, "organisations.change_organisation", organisation)
    if location.is_legal_seat:
        raise ValidationError(
            {"is_legal_seat": "This is the legal seat: mark another location as the legal seat first."}
        )
    before = snapshot(location, LOCATION_FIELDS)
    label = str(location)
    location.delete()
    record_event(
        actor=actor,
        action="organisation.location_removed",
        object_type="organisations.location",
        object_id=str(before.get("id", "")),
        object_label=label,
        organisation=organisation,
        changes=field_changes(before, {}),
    )


@transaction.atomic
def add_identifier(*, actor: User, organisation: Organisation, **fields: Any) -> Identifier:
    require(actor, "organisations.change_organisation", organisation)
    identifier = Identifier(organisation=organisation, **fields)
    identifier.full_clean()
    identifier.save()
    record_event(
        actor=actor,
        action="organisation.identifier_added",
        obj=identifier,
        organisation=organisation,
        changes=field_changes({}, snapshot(identifier, ("resource", "value", "source"))),
    )
    return identifier


@transaction.atomic
def add_member(
    *,
    actor: User | None,
    organisation: Organisation,
    email: str,
    roles: Sequence[str],
    username: str = "",
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    service_account: bool = False,
) -> Membership:
    """Give a person (found by e-mail, or created) roles in an organisation. `service_account` creates the
    account as one that stands for an integration, not a person."""
    if actor is not None:
        require(actor, "organisations.manage_memberships", organisation)
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created_user = False
    if user is None:
        user = User(
            username=username or email,
            email=email,
            first_name=first_name,
            last_name=last_name,
            is_service_account=service_account,
        )
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            raise ValidationError(error.message_dict) from None
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        created_user = True
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is not None:
        raise ValidationError({"email": f"{email} is already a member of {organisation}."})
    membership = Membership(user=user, organisation=organisation, roles=list(dict.fromkeys(roles)))
    membership.full_clean()
    membership.save()
    forget_roles(user)
    record_event(
        actor=actor,
        action="membership.created",
        obj=membership,
        organisation=organisation,
        changes={"user": [None, user.username], "roles": [None, membership.roles]}
        | ({"user_created": [None, True]} if created_user else {}),
    )
    return membership


@transaction.atomic
def update_membership(
    *, actor: User, membership: Membership, roles: Sequence[str] | None = None, active: bool | None = None
) -> Membership:
    require(actor, "organisations.manage_memberships", membership.organisation)
    before = snapshot(membership, ("roles", "active"))
    if roles is not None:
        membership.roles = list(dict.fromkeys(roles))
    if active is not None:
        membership.active = active
    membership.full_clean()
    if (
        membership.user_id == actor.pk
        and not actor.is_superuser
        and ("org_admin" not in membership.roles or not membership.active)
    ):
        raise ValidationError({"roles": "You cannot remove your own organisation admin role."})
    changes = field_changes(before, snapshot(membership, ("roles", "active")))
    if changes:
        membership.save()
        forget_roles(membership.user)
        record_event(
            actor=actor,
            action="membership.updated",
            obj=membership,
            organisation=membership.organisation,
            changes=changes,
        )
    return membership


def _require_either(actor: User | None, parent: Organisation, child: Organisation) -> None:
    """A relationship may be recorded by an admin of either side (or the system, `actor=None`)."""
    if actor is None:
        return
    from .authorization import can

    if not (
        can(actor, "organisations.change_organisation", parent)
        or can(actor, "organisations.change_organisation", child)
    ):
        require(actor, "organisations.change_organisation", child)


@transaction.atomic
def add_relationship(
    *,
    actor: User | None,
    parent: Organisation,
    child: Organisation,
    relationship_type: str,
    note: str = "",
    valid_from: Any = None,
    valid_to: Any = None,
) -> OrganisationRelationship:
    """Record that `parent` and `child` are related (a faculty, a platform, a successor…)."""
    _require_either(actor, parent, child)
    relationship = OrganisationRelationship(
        parent=parent,
        child=child,
        relationship_type=relationship_type,
        note=note,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    relationship.full_clean()
    relationship.save()
    record_event(
        actor=actor,
        action="organisation.relationship_added",
        obj=relationship,
        organisation=child,
        changes=field_changes({}, snapshot(relationship, RELATIONSHIP_FIELDS)),
    )
    return relationship


@transaction.atomic
def end_relationship(
    *, actor: User | None, relationship: OrganisationRelationship, valid_to: Any
) -> OrganisationRelationship:
    """Close a hierarchical relationship; it stays on record with its end date."""
    _require_either(actor, relationship.parent, relationship.child)
    relationship = OrganisationRelationship.objects.select_for_update().get(pk=relationship.pk)
    before = snapshot(relationship, RELATIONSHIP_FIELDS)
    relationship.valid_to = valid_to
    relationship.full_clean()
    relationship.save()
    record_event(
        actor=actor,
        action="organisation.relationship_ended",
        obj=relationship,
        organisation=relationship.child,
        changes=field_changes(before, snapshot(relationship, RELATIONSHIP_FIELDS)),
    )
    return relationship


@transaction.atomic
def set_legal_seat(*, actor: User, location: Location) -> Location:
    """Make `location` the organisation's legal seat (the previous seat stays as a location)."""
    organisation = location.organisation
    require(actor, "organisations.change_organisation", organisation)
    previous = Location.objects.filter(organisation=organisation, is_legal_seat=True).exclude(pk=location.pk)
    old = previous.first()
    previous.update(is_legal_seat=False)
    location.is_legal_seat = True
    location.save(update_fields=["is_legal_seat"])
    record_event(
        actor=actor,
        action="organisation.legal_seat_changed",
        obj=location,
        organisation=organisation,
        changes={"legal_seat": [str(old) if old else None, str(location)]},
    )
    return location


def random_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def issue_api_token(*, user: User) -> Token:
    """The person's API token, created on first request; its creation goes into the audit log."""
    token, created = Token.objects.get_or_create(user=user)
    if created:
        record_event(actor=user, action="user.api_token_issued", obj=user)
    return token
