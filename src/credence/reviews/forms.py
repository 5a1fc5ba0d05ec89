from __future__ import annotations

from typing import Any

from django import forms

from credence.organisations.models import User

from .models import Recommendation, ReviewerKind, Verdict


class OpenReviewForm(forms.Form):
    version = forms.TypedChoiceField(label="Version to review", coerce=int)
    packs = forms.MultipleChoiceField(
        label="Framework packs",
        widget=forms.CheckboxSelectMultiple,
        help_text="The enabled packs are ticked.",
    )
    reviewer = forms.TypedChoiceField(label="Reviewer", coerce=int)
    reviewer_kind = forms.ChoiceField(label="Kind of reviewer", choices=ReviewerKind.choices)

    def __init__(
        self, *args: Any, versions: list[Any], packs: list[Any], reviewers: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [  # type: ignore[attr-defined]
            (v.pk, f"{v.micro_credential.code} · {v.title} (v{v.number}, {v.get_status_display().lower()})")
            for v in versions
        ]
        self.fields["packs"].choices = [  # type: ignore[attr-defined]
            (p.id, f"{p.title} ({p.version})") for p in packs
        ]
        self.fields["reviewer"].choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.get_full_name() or u.username} ({u.email})") for u in reviewers
        ]


class JudgementForm(forms.Form):
    pack_id = forms.CharField(widget=forms.HiddenInput)
    criterion_id = forms.CharField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label="Verdict", choices=[("", "— choose —"), *Verdict.choices])
    evidence = forms.CharField(label="Evidence", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence_links = forms.CharField(
        label="Evidence links (one per line)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # Checked again (type from the bytes, size) by services.attach_evidence.
    file = forms.FileField(label="Attach a file (PDF, PNG, JPEG, DOCX or XLSX)", required=False)


class SubmitReviewForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="Recommendation", choices=[("", "— choose —"), *Recommendation.choices]
    )
    summary = forms.CharField(
        label="Summary for the committee", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
