"""Sign-in additions for local accounts: throttling of failed attempts, and a second step asking for
the authenticator code of those who turned two-factor sign-in on. Used by web.views.SignInView."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from credence.web.forms import SignInForm

from .models import TotpDevice

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
PENDING_USER = "credence_2fa_user"
PENDING_BACKEND = "credence_2fa_backend"
PENDING_NEXT = "credence_2fa_next"
PENDING_AT = "credence_2fa_at"
PENDING_SECONDS = 5 * 60  # the code must follow the password within five minutes


def client_address(request: HttpRequest | None) -> str:
    # REMOTE_ADDR: behind a reverse proxy, have the proxy set it (e.g. gunicorn --forwarded-allow-ips).
    return (request.META.get("REMOTE_ADDR") if request is not None else "") or "unknown"


def _key(kind: str, who: str, request: HttpRequest | None) -> str:
    return f"signin-failures:{kind}:{who.strip().lower()}:{client_address(request)}"


def is_locked(kind: str, who: str, request: HttpRequest | None) -> bool:
    return int(cache.get(_key(kind, who, request), 0)) >= MAX_FAILURES


def note_failure(kind: str, who: str, request: HttpRequest | None) -> None:
    key = _key(kind, who, request)
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)


def forget_failures(kind: str, who: str, request: HttpRequest | None) -> None:
    cache.delete(_key(kind, who, request))


LOCKED_MESSAGE = (
    "Too many failed attempts to sign in to this account from your address. "
    f"Wait {WINDOW_SECONDS // 60} minutes and try again."
)


class ThrottledSignInForm(SignInForm):
    """After MAX_FAILURES wrong passwords for one username from one address, refuse for a while
    (even the right password), with a message saying so."""

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "") or ""
        if username and is_locked("password", username, self.request):
            raise ValidationError(LOCKED_MESSAGE, code="throttled")
        try:
            return super().clean()
        except ValidationError:
            if username:
                note_failure("password", username, self.request)
                if is_locked("password", username, self.request):
                    raise ValidationError(LOCKED_MESSAGE, code="throttled") from None
            raise

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        forget_failures("password", self.data.get("username", "") or "", self.request)


class TwoStepSignIn:
    """For a LoginView: when the account has an authenticator, ask for its code before signing in."""

    request: HttpRequest

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not TotpDevice.objects.filter(user_id=user.pk).exists():
            return super().form_valid(form)  # type: ignore[misc]
        self.request.session.cycle_key()
        self.request.session[PENDING_USER] = user.pk
        self.request.session[PENDING_BACKEND] = getattr(user, "backend", "")
        self.request.session[PENDING_NEXT] = self.get_success_url()  # type: ignore[attr-defined]
        self.request.session[PENDING_AT] = int(time.time())
        return redirect("integrations:two_factor")


def forget_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_NEXT, PENDING_AT):
        request.session.pop(key, None)


def pending_user(request: HttpRequest) -> Any:
    """The person who gave the right password and still owes the code, if not too long ago."""
    pk = request.session.get(PENDING_USER)
    if pk is None:
        return None
    if time.time() - int(request.session.get(PENDING_AT) or 0) > PENDING_SECONDS:
        forget_pending(request)
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()
