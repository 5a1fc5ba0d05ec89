from __future__ import annotations

from django import forms

from .models import CredentialState


class CompletionListForm(forms.Form):
    file = forms.FileField(
        label="Completion list (CSV or XLSX)",
        help_text="One learner a line, with a header line naming the columns: email (required), grade, "
        "completed_on (YYYY-MM-DD). Learners who already have their credential are skipped.",
    )
    valid_until = forms.DateField(
        label="Valid until (optional)",
        required=False,
        help_text="Leave empty for a credential that does not expire.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class StatusForm(forms.Form):
    state = forms.ChoiceField(
        label="Change to",
        choices=[
            (CredentialState.SUSPENDED, "Suspended (can be reinstated)"),
            (CredentialState.REVOKED, "Revoked (final)"),
            (CredentialState.ACTIVE, "Reinstated (valid again)"),
        ],
    )
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        help_text="Shown to anyone who verifies the credential.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VerifyForm(forms.Form):
    credential = forms.CharField(
        label="Paste the credential (JSON or VC-JWT) or its link",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
    )
    file = forms.FileField(label="Or upload the credential file (.json)", required=False)
