"""The Integrations pages: an organisation admin's API tokens and webhook endpoints."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from credence.organisations.models import User
from credence.web.forms import add_service_errors

from . import selectors, services, signin, totp
from .forms import CodeForm, TokenForm, WebhookForm
from .models import Scope, TotpDevice, WebhookEvent


def _organisations(request: HttpRequest) -> Any:
    organisations = selectors.organisations_managed_by(request.user)
    if not organisations.exists():
        raise PermissionDenied("Only organisation admins manage integrations.")
    return organisations


def _index(
    request: HttpRequest, token_form: TokenForm | None = None, webhook_form: WebhookForm | None = None
) -> HttpResponse:
    organisations = _organisations(request)
    return render(
        request,
        "integrations/index.html",
        {
            "tokens": selectors.tokens_visible_to(request.user),
            "endpoints": selectors.endpoints_visible_to(request.user),
            "token_form": token_form or TokenForm(organisations=organisations, prefix="token"),
            "webhook_form": webhook_form or WebhookForm(organisations=organisations, prefix="webhook"),
            "scopes": Scope.choices,
            "events": WebhookEvent.choices,
        },
        status=400 if token_form is not None or webhook_form is not None else 200,
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return _index(request)


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST, organisations=_organisations(request), prefix="token")
    if form.is_valid():
        data = form.cleaned_data
        days = data.get("expires_in")
        try:
            token, secret = services.create_api_token(
                actor=cast(User, request.user),
                organisation=data["organisation"],
                name=data["name"],
                scopes=data["scopes"],
                expires_at=timezone.now() + dt.timedelta(days=int(days)) if days else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Rendered, not redirected: the secret is never stored, so this page is the only time it shows.
            return render(request, "integrations/token_created.html", {"token": token, "secret": secret})
    return _index(request, token_form=form)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.get_token(request.user, pk)
    try:
        services.revoke_api_token(actor=cast(User, request.user), token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The token “{token.name}” is revoked; calls with it are refused from now on."
        )
    return redirect("integrations:index")


@login_required
@require_POST
def webhook_create(request: HttpRequest) -> HttpResponse:
    form = WebhookForm(request.POST, organisations=_organisations(request), prefix="webhook")
    if form.is_valid():
        data = form.cleaned_data
        try:
            endpoint = services.register_webhook(
                actor=cast(User, request.user),
                organisation=data["organisation"],
                url=data["url"],
                events=data["events"],
                description=data["description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The endpoint is registered. Send it a test event to check it listens.")
            return redirect("integrations:webhook", pk=endpoint.pk)
    return _index(request, webhook_form=form)


@login_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.user, pk)
    return render(
        request,
        "integrations/webhook.html",
        {"endpoint": endpoint, "deliveries": selectors.deliveries_of(endpoint)[:100]},
    )


@login_required
@require_POST
def webhook_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.user, pk)
    services.send_test_event(actor=cast(User, request.user), endpoint=endpoint)
    messages.success(
        request, "A test event is on its way; its delivery shows below (reload if it is not there yet)."
    )
    return redirect("integrations:webhook", pk=endpoint.pk)


@login_required
@require_POST
def webhook_active(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = selectors.get_endpoint(request.user, pk)
    active = request.POST.get("active") == "1"
    services.set_webhook_active(actor=cast(User, request.user), endpoint=endpoint, active=active)
    messages.success(
        request, "Events are sent to this endpoint again." if active else "The endpoint is paused."
    )
    return redirect("integrations:webhook", pk=endpoint.pk)


# --- two-factor sign-in ------------------------------------------------------------------------------------


def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    user = signin.pending_user(request)
    if user is None:
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        who = str(user.pk)
        if signin.is_locked("code", who, request):
            signin.forget_pending(request)
            messages.error(request, signin.LOCKED_MESSAGE)
            return redirect("login")
        if services.check_totp(user=user, code=form.cleaned_data["code"]):
            signin.forget_failures("code", who, request)
            backend = request.session.get(signin.PENDING_BACKEND) or None
            next_url = request.session.get(signin.PENDING_NEXT) or "/"
            signin.forget_pending(request)
            auth_login(request, user, backend=backend)
            return redirect(next_url)
        signin.note_failure("code", who, request)
        form.add_error("code", "That code does not match. Enter the current code from your app.")
    return render(request, "integrations/two_factor.html", {"form": form}, status=400 if form.errors else 200)


SETUP_SECRET = "credence_2fa_setup_secret"


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm with a code) or off (confirm with a code)."""
    user = cast(User, request.user)
    enabled = TotpDevice.objects.filter(user=user).exists()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if enabled:
                services.disable_totp(actor=user, code=form.cleaned_data["code"])
            else:
                secret = request.session.get(SETUP_SECRET) or ""
                services.enable_totp(actor=user, secret=secret, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.pop(SETUP_SECRET, None)
            messages.success(
                request,
                "Two-factor sign-in is off."
                if enabled
                else "Two-factor sign-in is on: you will be asked for a code.",
            )
            return redirect("integrations:two_factor_setup")
    context: dict[str, Any] = {"form": form, "enabled": enabled, "local": user.has_usable_password()}
    if not enabled and context["local"]:
        secret = request.session.get(SETUP_SECRET) or totp.new_secret()
        request.session[SETUP_SECRET] = secret
        uri = totp.provisioning_uri(secret, user.get_username())
        context |= {"secret": secret, "uri": uri, "qr": totp.qr_svg(uri)}
    return render(request, "integrations/two_factor_setup.html", context, status=400 if form.errors else 200)


# --- single sign-on ----------------------------------------------------------------------------------------


@require_POST
def sso_start(request: HttpRequest) -> HttpResponse:
    """Send the person to their organisation's identity provider."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from credence.organisations.models import Organisation

    from .sso import app_of

    organisation = Organisation.objects.filter(slug=request.POST.get("organisation", "")).first()
    app = app_of(organisation) if organisation is not None else None
    if app is None:
        messages.error(request, "That organisation does not sign in through its own identity provider.")
        return redirect("login")
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    provider = app.get_provider(request)
    return provider.redirect(request, process="login", next_url=next_url or None)
