from __future__ import annotations

from typing import Any

from django import forms

from credence.microcredentials.models import MicroCredential


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label="Your rating",
        choices=[(str(n), f"{n} star{'s' if n > 1 else ''}") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Your review (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="At most 2,000 characters. The provider reads it before it is published.",
    )
    token = forms.CharField(
        label="Rating token from the provider",
        required=False,
        max_length=64,
        help_text="Only if you are enrolled and do not yet hold the credential.",
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", "Publish"), ("reject", "Do not publish")])
    note = forms.CharField(label="Reason (needed when not publishing)", required=False, max_length=500)


class ReplyForm(forms.Form):
    reply = forms.CharField(label="Reply", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


def _label(micro_credential: MicroCredential) -> str:
    return f"{micro_credential.code} — {micro_credential.published_version.title}"  # type: ignore[union-attr]


class TokenForm(forms.Form):
    micro_credential = forms.ModelChoiceField(
        queryset=MicroCredential.objects.none(), label="Micro-credential"
    )
    count = forms.IntegerField(label="How many tokens", min_value=1, max_value=500, initial=10)

    def __init__(self, *args: Any, organisation_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["micro_credential"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = MicroCredential.objects.filter(
            organisation_id__in=organisation_ids or [], published_version__isnull=False
        ).select_related("published_version")
        field.label_from_instance = _label  # type: ignore[method-assign,assignment]
