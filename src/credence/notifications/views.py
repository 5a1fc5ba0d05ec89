"""The notifications pages: the list (mark read, mark all read) and the preferences. Work without
JavaScript; with htmx, marking one read swaps that item in place."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from credence.web.htmx import is_htmx, vary_on_htmx

from . import selectors, services
from .models import Channel


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "all")
    queryset = selectors.notifications_of(request.user, unread_only=show == "unread")  # type: ignore[arg-type]
    page = Paginator(queryset, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "show": show,
            "query": "show=unread" if show == "unread" else "",
            "unread": selectors.unread_count(request.user),  # type: ignore[arg-type]
        },
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_of(request.user, pk)  # type: ignore[arg-type]
    if request.POST.get("unread"):
        services.mark_unread(actor=request.user, notification=notification)  # type: ignore[arg-type]
    else:
        services.mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    if is_htmx(request):
        return vary_on_htmx(
            render(request, "notifications/includes/item.html", {"n": notification, "swapped": True})
        )
    return _back(request)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        choices = {
            key.removeprefix("channel:"): value
            for key, value in request.POST.items()
            if key.startswith("channel:")
        }
        try:
            services.set_preferences(actor=request.user, choices=choices)  # type: ignore[arg-type]
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, "Your notification preferences are saved.")
            return redirect("notifications:preferences")
    rows: list[dict[str, Any]] = [
        {
            "event": event,
            "label": label,
            "channel": channel,
            "field_id": "channel-" + event.replace(".", "-").replace("*", "all"),
            "errors": errors.get(f"preferences[{event}]", []),
        }
        for event, label, channel in services.preference_rows(request.user)  # type: ignore[arg-type]
    ]
    return render(
        request,
        "notifications/preferences.html",
        {"rows": rows, "channels": Channel.choices, "errors": errors},
    )
