"""The framework pages: the packs an organisation may use (and which it applies), one pack's criteria,
and the readiness panel of a draft. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from credence.microcredentials import selectors as mc_selectors
from credence.organisations.authorization import can
from credence.organisations.models import Organisation, User
from credence.web.forms import add_service_errors
from credence.web.htmx import vary_on_htmx

from . import selectors, services
from .packs import MAX_PACK_BYTES
from .web import active_organisation, readiness


class UploadPackForm(forms.Form):
    file = forms.FileField(
        label="Pack file (YAML)", help_text="A framework pack as described in the documentation."
    )


def _organisation_or_404(request: HttpRequest) -> Organisation:
    organisation = active_organisation(request)
    if organisation is None:
        raise Http404("You do not belong to an organisation.")
    return organisation


@login_required
def pack_list(request: HttpRequest) -> HttpResponse:
    """The packs the active organisation may use, and which it applies; without an organisation (a
    platform admin), the shipped packs."""
    organisation = active_organisation(request)
    can_manage = organisation is not None and can(request.user, "frameworks.manage_packs", organisation)
    form = UploadPackForm()
    status = 200
    if request.method == "POST":
        if organisation is None or not can_manage:
            raise PermissionDenied("Only QA officers and organisation admins upload packs.")
        form = UploadPackForm(request.POST, request.FILES)
        status = 422
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_PACK_BYTES:
                form.add_error("file", f"The file is larger than {MAX_PACK_BYTES // 1000} kB.")
            else:
                try:
                    text = upload.read().decode("utf-8")
                    row = services.upload_pack(
                        actor=cast(User, request.user),
                        organisation=organisation,
                        text=text,
                        filename=upload.name,
                    )
                except UnicodeDecodeError:
                    form.add_error("file", "The file is not UTF-8 text.")
                except ValidationError as error:
                    add_service_errors(form, error)
                else:
                    messages.success(
                        request, f"Uploaded {row.title} (version {row.version}). Enable it to apply it."
                    )
                    return redirect("frameworks:list")
    organisation_id = organisation.pk if organisation else None
    enabled = set(selectors.enabled_pack_ids(organisation_id)) if organisation_id else set()
    packs = sorted(
        selectors.packs_available_to(organisation_id).values(), key=lambda p: (p.id not in enabled, p.title)
    )
    uploaded = (
        {row.pack_id for row in selectors.uploaded_packs(organisation_id)} if organisation_id else set()
    )
    context = {
        "organisation": organisation,
        "packs": [{"pack": p, "enabled": p.id in enabled, "uploaded": p.id in uploaded} for p in packs],
        "can_manage": can_manage,
        "form": form,
    }
    return render(request, "frameworks/list.html", context, status=status)


@login_required
@require_POST
def pack_toggle(request: HttpRequest, pack_id: str) -> HttpResponse:
    organisation = _organisation_or_404(request)
    actor = cast(User, request.user)
    try:
        if request.POST.get("enable") == "1":
            services.enable_pack(actor=actor, organisation=organisation, pack_id=pack_id)
            messages.success(request, f"{pack_id} now applies to {organisation}'s micro-credentials.")
        else:
            services.disable_pack(actor=actor, organisation=organisation, pack_id=pack_id)
            messages.success(request, f"{pack_id} no longer applies.")
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    except PermissionDenied:
        raise
    return redirect("frameworks:list")


def pack_detail(request: HttpRequest, pack_id: str) -> HttpResponse:
    organisation = active_organisation(request) if request.user.is_authenticated else None
    pack = selectors.get_pack(organisation.pk if organisation else None, pack_id)
    if pack is None:
        raise Http404("No such pack.")
    return render(request, "frameworks/detail.html", {"pack": pack})


@login_required
def readiness_panel(request: HttpRequest, pk: int) -> HttpResponse:
    version = mc_selectors.get_version(request.user, pk)
    panel = readiness(request.user, version)
    if panel is None:
        raise Http404("No readiness for this version.")
    response = render(request, "frameworks/includes/readiness.html", {"panel": panel, "version": version})
    return vary_on_htmx(response)
