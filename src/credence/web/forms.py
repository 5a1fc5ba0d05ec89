"""Form plumbing shared by the pages: sign-in, and service errors shown next to the field at fault."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class SignInForm(AuthenticationForm):
    """Django's sign-in form; the backend accepts a username or an e-mail address."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = "Username or e-mail address"
        self.fields["username"].widget.attrs["autocomplete"] = "username"


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {key: list(value) for key, value in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's errors (keyed by field or path, `outcomes[0]`) on the form's fields.

    Keys that name no visible field of the form become errors of the whole form, with their path.
    """
    aliases: dict[str, str] = getattr(form, "field_aliases", {})
    for key, messages in error_messages(error).items():
        name = key.split("[", 1)[0].split(".", 1)[0]
        name = aliases.get(name, name)
        field = form.fields.get(name)
        for message in messages:
            if key != "__all__" and field is not None and not field.widget.is_hidden:
                form.add_error(name, message)
            elif key in ("__all__", "status", "id", name):
                form.add_error(None, message)
            else:
                form.add_error(None, f"{key}: {message}")
