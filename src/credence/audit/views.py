"""The audit log pages, for QA officers and organisation admins (platform admins: every organisation)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from credence.organisations.models import Organisation
from credence.organisations.selectors import organisation_list

from .models import AuditEvent
from .selectors import audit_events_visible_to, organisations_audited_by

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False)
    object_type = forms.ChoiceField(label="Object type", required=False)
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    actor = forms.CharField(label="Who (username contains)", required=False, max_length=150)
    organisation = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, events: QuerySet[AuditEvent], organisations: list[Organisation], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        actions = events.order_by().values_list("action", flat=True).distinct()
        types = events.order_by().values_list("object_type", flat=True).distinct()
        self.fields["action"].choices = [("", "Any action"), *((a, a) for a in sorted(actions))]  # type: ignore[attr-defined]
        self.fields["object_type"].choices = [("", "Any type"), *((t, t) for t in sorted(types))]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Any organisation"),
            *((str(o.pk), str(o)) for o in organisations),
        ]
        if len(organisations) < 2:
            del self.fields["organisation"]

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("object_type"):
            events = events.filter(object_type=data["object_type"])
        if data.get("object_id"):
            events = events.filter(object_id=data["object_id"].strip())
        if data.get("actor"):
            events = events.filter(
                Q(actor_label__icontains=data["actor"]) | Q(actor__username__icontains=data["actor"])
            )
        if data.get("organisation"):
            events = events.filter(organisation_id=data["organisation"])
        return events.order_by("-sequence")

    def query(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return urlencode({k: v for k, v in data.items() if v not in (None, "")})


def _export_columns() -> list[Any]:
    from credence.interop.exports import Column

    return [
        Column("sequence", lambda e: e.sequence),
        Column("occurred_at", lambda e: e.occurred_at),
        Column("actor", lambda e: e.actor_label),
        Column("organisation", lambda e: str(e.organisation or "")),
        Column("action", lambda e: e.action),
        Column("object_type", lambda e: e.object_type),
        Column("object_id", lambda e: e.object_id),
        Column("object", lambda e: e.object_label),
        Column("changes", lambda e: json.dumps(e.changes, ensure_ascii=False)),
        Column("hash", lambda e: e.hash),
    ]


EXPORT_COLUMNS = _export_columns()


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    org_ids = organisations_audited_by(request.user)
    if org_ids == []:
        raise PermissionDenied("The audit log is for QA officers and organisation admins.")
    events = audit_events_visible_to(request.user)
    organisations = list(
        organisation_list() if org_ids is None else organisation_list().filter(pk__in=org_ids)
    )
    form = AuditFilterForm(request.GET or None, events=events, organisations=organisations)
    if request.GET.get("format") in ("csv", "xlsx"):
        from credence.interop.exports import export_response

        return export_response(  # type: ignore[return-value]
            request.GET["format"],
            "audit-events",
            EXPORT_COLUMNS,
            form.apply(events).select_related("organisation"),
        )
    page = Paginator(form.apply(events), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/event_list.html", {"form": form, "page": page, "query": form.query()})
