"""Organisation pages: for now, choosing which of one's organisations to act in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from credence.errors import NotVisible

from .selectors import memberships_of


@require_POST
@login_required
def switch_organisation(request: HttpRequest) -> HttpResponse:
    """Remember the organisation the person acts in (session `active_organisation`) and go back."""
    value = request.POST.get("organisation", "")
    if not value.isdigit() or not memberships_of(request.user).filter(organisation_id=int(value)).exists():
        raise NotVisible("You are not a member of that organisation.")
    request.session["active_organisation"] = int(value)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
