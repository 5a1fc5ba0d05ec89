from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .models import Identifier, Location, Membership, Organisation, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Organisations and memberships change through the services (which write the audit log), not here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LocationInline(admin.TabularInline):
    model = Location
    extra = 0


class IdentifierInline(admin.TabularInline):
    model = Identifier
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "acronym", "kind", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "name_english", "acronym", "slug")
    inlines = (LocationInline, IdentifierInline)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "roles", "active")
    list_filter = ("active", "organisation")
    search_fields = ("user__username", "user__email", "organisation__name")


admin.site.register(User, UserAdmin)
