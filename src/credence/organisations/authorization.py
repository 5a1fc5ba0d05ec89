"""Who may do what: roles held through memberships, checked with `rules` predicates.

Each app declares one table, permission -> roles (in the organisation that owns the object), and
registers it with `register_permissions`. Platform admins hold every permission. Services call
`require`, which raises PermissionDenied; the permission-matrix test is generated from the same tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from .models import Membership, Organisation, Role, User

PermissionTable = Mapping[str, frozenset[Role]]

# Every table registered, for the permission-matrix test and the docs.
REGISTERED: dict[str, frozenset[Role]] = {}


def organisation_id_of(obj: Any) -> int | None:
    """The id of the organisation that owns `obj` (an Organisation or anything that belongs to one)."""
    if obj is None:
        return None
    if isinstance(obj, Organisation):
        return obj.pk
    for attribute in ("organisation_id", "owner_organisation_id"):
        value = getattr(obj, attribute, None)
        if value is not None:
            return int(value)
    return None


def roles_of(user: User | AnonymousUser | None, organisation_id: int | None) -> frozenset[str]:
    """The roles `user` holds in an organisation, from one query per user object."""
    if user is None or not user.is_authenticated or organisation_id is None:
        return frozenset()
    cache: dict[int, frozenset[str]] | None = getattr(user, "_credence_roles", None)
    if cache is None:
        cache = {
            m.organisation_id: frozenset(m.roles)
            for m in Membership.objects.filter(user_id=user.pk, active=True).only("organisation_id", "roles")
        }
        user._credence_roles = cache  # type: ignore[union-attr]
    return cache.get(organisation_id, frozenset())


def forget_roles(user: Any) -> None:
    """Drop the cached roles (after a membership changed)."""
    if hasattr(user, "_credence_roles"):
        del user._credence_roles


def organisation_ids_of(user: User | AnonymousUser | None) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    roles_of(user, -1)
    return sorted(getattr(user, "_credence_roles", {}))


@rules.predicate
def is_platform_admin(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_member_of_owner(user: Any, obj: Any) -> bool:
    return bool(roles_of(user, organisation_id_of(obj)))


def has_role_in_owner(*roles: Role) -> rules.Predicate:
    wanted = frozenset(str(r) for r in roles)
    name = "has_role_in_owner(" + ",".join(sorted(wanted)) + ")"

    @rules.predicate(name)
    def predicate(user: Any, obj: Any) -> bool:
        return bool(roles_of(user, organisation_id_of(obj)) & wanted)

    return predicate


def register_permissions(table: PermissionTable) -> None:
    for permission, roles in table.items():
        REGISTERED[permission] = roles
        predicate = is_platform_admin | has_role_in_owner(*roles) if roles else is_platform_admin
        rules.set_perm(permission, predicate)


def can(user: User | AnonymousUser | None, permission: str, obj: Any = None) -> bool:
    if user is None or not user.is_active:
        return False
    return bool(rules.has_perm(permission, user, obj))


def require(user: User | AnonymousUser | None, permission: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `user` holds `permission` on `obj`."""
    if not can(user, permission, obj):
        raise PermissionDenied(f"You do not have the permission '{permission}' here.")


def roles_holding(permission: str) -> Iterable[Role]:
    return REGISTERED.get(permission, frozenset())
