from __future__ import annotations

from django import forms

from .models import ItemOutcome, MeetingStatus, SeatRole

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class CommitteeForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(
        label="Short name", max_length=100, required=False,
        help_text="Used in web addresses and by workflow committee stages; made from the name if left empty.",
    )
    terms_of_reference = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)


class SeatForm(forms.Form):
    username = forms.CharField(label="Username or e-mail of a member of the organisation", max_length=254)
    role = forms.ChoiceField(label="Seat", choices=SeatRole.choices)
    term_start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class MeetingForm(forms.Form):
    start = _datetime("Starts")
    end = _datetime("Ends")
    place = forms.CharField(max_length=300, required=False, help_text="A room, or leave empty for an online meeting.")
    online_link = forms.URLField(label="Online link", max_length=500, required=False, assume_scheme="https")
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)


class MeetingEditForm(MeetingForm):
    status = forms.ChoiceField(choices=MeetingStatus.choices)


class AllocateForm(forms.Form):
    stage_run = forms.TypedChoiceField(label="Proposal waiting for the committee", coerce=int, choices=())

    def __init__(self, *args: object, waiting: list[object] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["stage_run"].choices = [  # type: ignore[attr-defined]
            (r.pk, f"{r.run.proposal.title} — {r.stage.name}, waiting since {r.started_at:%d %b %Y}")  # type: ignore[attr-defined]
            for r in waiting
        ]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=ItemOutcome.choices, widget=forms.RadioSelect)
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text="For 'approved with conditions': one condition per line. Each becomes a task for the proposer.",
    )
    note = forms.CharField(label="Note for the minutes", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PaperForm(forms.Form):
    file = forms.FileField(label="Paper (PDF, Word, Excel or image)")
    item = forms.TypedChoiceField(label="For", coerce=int, required=False, choices=())

    def __init__(self, *args: object, items: list[object] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["item"].choices = [("", "The whole meeting")] + [  # type: ignore[attr-defined]
            (i.pk, f"Item {i.order}: {i.title}") for i in items  # type: ignore[attr-defined]
        ]


class MinutesForm(forms.Form):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), required=False)
