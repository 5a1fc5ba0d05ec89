from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .models import User


class UsernameOrEmailBackend(ModelBackend):
    """Signs a person in by username or by e-mail address (case-insensitive for the address)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None or password is None:
            return None
        identifier = username.strip()
        user = User.objects.filter(username=identifier).first()
        if user is None and "@" in identifier:
            user = User.objects.filter(email__iexact=identifier).first()
        if user is None:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
