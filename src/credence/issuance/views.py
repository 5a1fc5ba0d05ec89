"""Credential pages: issuing for an offering, a credential's status, the learner's claim page, the
public verification page, and the issuers' DID documents and status lists.

Thin: reads go through `selectors`, writes through `services`, which check permissions again.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from credence.errors import NotVisible
from credence.monitoring import selectors as monitoring_selectors
from credence.organisations.authorization import can
from credence.organisations.models import User
from credence.web.forms import error_messages

from . import selectors, services, vc_jwt, verification
from .analytics import summary_chart
from .completion_lists import describe, read_completion_list
from .forms import CompletionListForm, StatusForm, VerifyForm
from .models import CredentialState

CLAIM_LINK = re.compile(r"/credentials/claim/([A-Za-z0-9_-]+)/")


def _person(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- public: identity and status -------------------------------------------------------------------------


@cache_control(public=True, max_age=300)
def did_document(request: HttpRequest, slug: str) -> JsonResponse:
    document = selectors.did_document(selectors.organisation_by_slug(slug))
    if document is None:
        raise NotVisible("This organisation issues no credentials.")
    return JsonResponse(document, content_type="application/did+json", json_dumps_params={"indent": 2})


@cache_control(public=True, max_age=60)
def status_list(request: HttpRequest, slug: str, purpose: str) -> HttpResponse:
    found = selectors.status_list(selectors.organisation_by_slug(slug), purpose)
    return HttpResponse(found.signed_json, content_type="application/vc+ld+json")


# --- the learner -------------------------------------------------------------------------------------------


def claim(request: HttpRequest, token: str) -> HttpResponse:
    credential = selectors.credential_for_claim(token)
    services.mark_claimed(credential=credential)
    report = verification.verify(json.loads(credential.signed_json))
    return render(
        request,
        "issuance/claim.html",
        {
            "credential": credential,
            "report": report,
            "verify_link": reverse("issuance:verify") + "?link=" + services.claim_url(credential),
        },
    )


def claim_download(request: HttpRequest, token: str) -> HttpResponse:
    credential = selectors.credential_for_claim(token)
    response = HttpResponse(credential.signed_json, content_type="application/ld+json; charset=utf-8")
    filename = f"{credential.version.micro_credential.code}-credential.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def claim_certificate(request: HttpRequest, token: str) -> HttpResponse:
    from .certificates import certificate_pdf

    credential = selectors.credential_for_claim(token)
    response = HttpResponse(certificate_pdf(credential), content_type="application/pdf")
    filename = f"{credential.version.micro_credential.code}-certificate.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def claim_jwt(request: HttpRequest, token: str) -> HttpResponse:
    credential = selectors.credential_for_claim(token)
    if not credential.signed_jwt:
        raise NotVisible("This credential was issued without a VC-JWT form.")
    response = HttpResponse(credential.signed_jwt, content_type="application/vc+jwt")
    filename = f"{credential.version.micro_credential.code}-credential.jwt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- anyone: verification ----------------------------------------------------------------------------------


def _document_from_link(link: str) -> dict[str, Any]:
    """A link to a credential on this site (a claim link); nothing is fetched from elsewhere."""
    found = CLAIM_LINK.search(link)
    if (not link.startswith(settings.CREDENCE_PUBLIC_URL) and not link.startswith("/")) or not found:
        raise ValueError(
            "Credence opens only links to credentials it holds; paste or upload the credential instead."
        )
    try:
        credential = selectors.credential_for_claim(found.group(1))
    except NotVisible:
        raise ValueError("No credential is found at that link.") from None
    return cast(dict[str, Any], json.loads(credential.signed_json))


def read_submission(text: str, upload: bytes | None) -> dict[str, Any] | str:
    """The credential to check: a JSON object, or a VC-JWT as text."""
    if upload is not None:
        text = upload.decode("utf-8", errors="replace")
    text = text.strip()
    if not text:
        raise ValueError("Paste a credential, give its link or upload its file.")
    if vc_jwt.looks_like_jwt(text):
        return text
    if upload is None and text.startswith(("http://", "https://", "/")):
        return _document_from_link(text)
    return verification.parse(text)


def _external_referrer(request: HttpRequest) -> str:
    """The site a verifier came from, if another site (our own pages are not 'shared')."""
    referrer = request.headers.get("referer", "")
    host = urlsplit(referrer).netloc
    own = {request.get_host(), urlsplit(settings.CREDENCE_PUBLIC_URL).netloc}
    return "" if not host or host in own else referrer


def verify(request: HttpRequest) -> HttpResponse:
    report = None
    problem = ""
    form = VerifyForm(request.POST or None, request.FILES or None)
    submitted = request.method == "POST" or "link" in request.GET
    if submitted:
        try:
            if request.method == "POST":
                if not form.is_valid():
                    raise ValueError("The form could not be read.")
                upload = form.cleaned_data.get("file")
                document = read_submission(
                    form.cleaned_data.get("credential") or "", upload.read() if upload else None
                )
            else:
                form = VerifyForm(initial={"credential": request.GET["link"]})
                document = read_submission(request.GET["link"], None)
        except ValueError as error:
            problem = str(error)
        else:
            report = (
                verification.verify_jwt(document)
                if isinstance(document, str)
                else verification.verify(document)
            )
            services.record_verification(
                credential=report.credential,
                valid=report.valid,
                reason=report.reason,
                referrer=_external_referrer(request),
            )
    return render(
        request,
        "issuance/verify.html",
        {"form": form, "report": report, "problem": problem},
        status=400 if problem else 200,
    )


# --- staff -------------------------------------------------------------------------------------------------


@login_required
def credential_index(request: HttpRequest) -> HttpResponse:
    user = _person(request)
    allowed = selectors.organisations_issuing_for(user)
    if allowed == []:
        raise PermissionDenied("You do not issue credentials for any organisation.")
    if request.GET.get("format") in ("csv", "xlsx"):
        from credence.interop.exports import Column, export_response

        columns = [
            Column("id", lambda c: str(c.uuid)),
            Column("learner", lambda c: str(c.learner)),
            Column("code", lambda c: c.version.micro_credential.code),
            Column("micro_credential", lambda c: c.version.title),
            Column("version", lambda c: c.version.number),
            Column("issued_at", lambda c: c.issued_at),
            Column("valid_until", lambda c: c.valid_until),
            Column("grade", lambda c: c.grade),
            Column("state", lambda c: c.get_state_display()),
        ]
        credentials = selectors.credentials_visible_to(user).select_related(
            "learner", "version__micro_credential"
        )
        return export_response(request.GET["format"], "issued-credentials", columns, credentials)  # type: ignore[return-value]
    summary = list(selectors.issuing_summary(user))
    return render(
        request,
        "issuance/index.html",
        {
            "offerings": monitoring_selectors.offerings_visible_to(user)[:200],
            "recent": selectors.credentials_visible_to(user)[:50],
            "summary": summary,
            "chart": summary_chart(summary),
            "referrers": selectors.verification_referrers(user),
            "key_organisations": selectors.key_holdings(user),
        },
    )


@login_required
def offering_detail(
    request: HttpRequest,
    pk: int,
    form: CompletionListForm | None = None,
    problems: list[tuple[str, str]] | None = None,
) -> HttpResponse:
    user = _person(request)
    offering = monitoring_selectors.get_offering(user, pk)
    issued = {c.learner_id: c for c in selectors.credentials_of_offering(user, offering.pk)}
    enrolments = [(e, issued.get(e.learner_id)) for e in monitoring_selectors.enrolments_of(offering)]
    return render(
        request,
        "issuance/offering.html",
        {
            "offering": offering,
            "enrolments": enrolments,
            "can_issue": can(user, "issuance.issue_credentials", offering),
            "form": form or CompletionListForm(),
            "problems": problems or [],
            "issued_count": len(issued),
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def offering_issue(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    offering = monitoring_selectors.get_offering(user, pk)
    form = CompletionListForm(request.POST, request.FILES)
    if not form.is_valid():
        return offering_detail(
            request, pk, form=form, problems=[("The form", "Choose a CSV or XLSX file to upload.")]
        )
    valid_until = form.cleaned_data.get("valid_until")
    try:
        upload = form.cleaned_data["file"]
        rows = read_completion_list(upload.read(), upload.name or "")
        run = services.start_issue_run(
            actor=user,
            offering=offering,
            rows=rows,
            valid_until=dt.datetime.combine(valid_until, dt.time(23, 59, 59), tzinfo=dt.UTC)
            if valid_until
            else None,
        )
    except ValidationError as error:
        problems = [
            (describe(key), message) for key, msgs in error_messages(error).items() for message in msgs
        ]
        return offering_detail(request, pk, form=form, problems=problems)
    return redirect("issuance:run", pk=run.pk)


@login_required
def issue_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of a bulk issue; htmx polls it until the run is finished (a refresh does the same)."""
    run = selectors.get_issue_run(_person(request), pk)
    return render(request, "issuance/run.html", {"run": run})


@login_required
def credential_detail(request: HttpRequest, pk: int, form: StatusForm | None = None) -> HttpResponse:
    user = _person(request)
    credential = selectors.get_credential(user, pk)
    return render(
        request,
        "issuance/detail.html",
        {
            "credential": credential,
            "can_change": can(user, "issuance.change_credential_status", credential)
            and credential.state != CredentialState.REVOKED,
            "form": form or StatusForm(),
            "verifications": credential.verifications.count(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def credential_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person(request)
    credential = selectors.get_credential(user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        change = {
            CredentialState.REVOKED: services.revoke_credential,
            CredentialState.SUSPENDED: services.suspend_credential,
            CredentialState.ACTIVE: services.reinstate_credential,
        }[form.cleaned_data["state"]]
        try:
            change(actor=user, credential=credential, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for key, msgs in error_messages(error).items():
                for message in msgs:
                    form.add_error("reason" if key == "reason" else None, message)
        else:
            messages.success(
                request,
                f"The credential is now {form.cleaned_data['state'] if form.cleaned_data['state'] != 'active' else 'valid again'}.",
            )
            return redirect("issuance:detail", pk=credential.pk)
    return credential_detail(request, pk, form=form)


@login_required
@require_POST
def rotate_key(request: HttpRequest, slug: str) -> HttpResponse:
    user = _person(request)
    organisation = selectors.organisation_by_slug(slug)
    key = services.rotate_issuer_key(actor=user, organisation=organisation)
    messages.success(
        request,
        f"{organisation} now signs with a new key ({key.public_key_multibase[:14]}…); "
        "the credentials signed with the old one still verify.",
    )
    return redirect("issuance:index")
