from __future__ import annotations

from typing import Any

from django import forms

from credence.organisations.models import Organisation

from .models import Scope, WebhookEvent

EXPIRY_CHOICES = [("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year"), ("", "Never")]


class _ForOrganisation(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        only = list(organisations[:2])
        if len(only) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = only[0].pk


class TokenForm(_ForOrganisation):
    name = forms.CharField(
        max_length=120, label="Integration", help_text="What will use it, e.g. 'Student records'."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, label="Scopes"
    )
    expires_in = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, initial="90", label="Expires")


class WebhookForm(_ForOrganisation):
    url = forms.CharField(
        max_length=500, label="URL", help_text="An https address the receiving system listens on."
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple, label="Events"
    )
    description = forms.CharField(max_length=200, required=False)


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=10,
        label="Code from your authenticator app",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
