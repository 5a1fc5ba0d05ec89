from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Assessment,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    Module,
    Partnership,
    Pathway,
)


class ReadOnlyMixin:
    """Versions change only through the services (frozen once out of draft, audited); the admin shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PartnershipInline(ReadOnlyMixin, admin.TabularInline):
    model = Partnership
    extra = 0


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = MicroCredentialVersion
    fields = ("number", "status", "title", "updated_at")
    readonly_fields = fields
    show_change_link = True
    extra = 0


@admin.register(MicroCredential)
class MicroCredentialAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "organisation", "published_version")
    list_filter = ("organisation",)
    search_fields = ("code",)
    inlines = (PartnershipInline, VersionInline)


class OutcomeInline(ReadOnlyMixin, admin.TabularInline):
    model = LearningOutcome
    fields = ("order", "text")
    extra = 0


class AssessmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Assessment
    fields = ("order", "type", "weight", "summative")
    extra = 0


class ModuleInline(ReadOnlyMixin, admin.TabularInline):
    model = Module
    fields = ("order", "title", "hours")
    extra = 0


class PathwayInline(ReadOnlyMixin, admin.TabularInline):
    model = Pathway
    fields = ("order", "kind", "target_micro_credential", "external_award")
    extra = 0


@admin.register(MicroCredentialVersion)
class MicroCredentialVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "micro_credential", "number", "status", "updated_at")
    list_filter = ("status", "micro_credential__organisation")
    search_fields = ("title", "micro_credential__code")
    inlines = (OutcomeInline, AssessmentInline, ModuleInline, PathwayInline)
