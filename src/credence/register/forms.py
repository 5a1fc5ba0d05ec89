"""Forms of the register pages: the search filters, recording a report, withdrawing one."""

from __future__ import annotations

from typing import Any

from django import forms

from credence.microcredentials.models import MicroCredential
from credence.organisations.models import Organisation, OrganisationKind

from .models import ActivityType, AgencyActivity, GeographicalFocus, ReportDecision, ReportStatus
from .selectors import PROVIDER_KINDS

EMPTY = [("", "Any")]


class ReportFilterForm(forms.Form):
    q = forms.CharField(label="Search reports", required=False)
    agency = forms.ChoiceField(label="Agency", required=False)
    decision = forms.ChoiceField(label="Decision", required=False, choices=EMPTY + ReportDecision.choices)
    status = forms.ChoiceField(label="Status", required=False, choices=EMPTY + ReportStatus.choices)
    activity_type = forms.ChoiceField(
        label="Activity type", required=False, choices=EMPTY + ActivityType.choices
    )
    current = forms.BooleanField(label="Only reports valid today", required=False)
    alternative = forms.BooleanField(label="Only reports on alternative providers", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Organisation.objects.filter(kind=OrganisationKind.QA_AGENCY).order_by("name")
        self.fields["agency"].choices = EMPTY + [(a.slug, str(a)) for a in agencies]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        data = {k: str(v) for k, v in self.cleaned_data.items() if v not in ("", None, False)}
        for flag in ("current", "alternative"):
            if flag in data:
                data[flag] = "1"
        return data


class ProviderFilterForm(forms.Form):
    q = forms.CharField(label="Search providers", required=False)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=EMPTY + [(k.value, k.label) for k in OrganisationKind if k.value in PROVIDER_KINDS],
    )
    country = forms.CharField(label="Country code", required=False, max_length=8)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.cleaned_data.items() if v}


class RecordReportForm(forms.Form):
    """One report by the signed-in person's agency, on one provider (and optionally one micro-credential)."""

    field_aliases = {
        "activities": "activity",
        "institutions": "provider",
        "programmes": "micro_credential",
        "report_files": "report_file",
    }

    agency = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Agency")
    activity = forms.ModelChoiceField(queryset=AgencyActivity.objects.none(), label="Activity")
    local_identifier = forms.CharField(
        label="Local identifier",
        max_length=255,
        required=False,
        help_text="Your agency's own reference for the report.",
    )
    provider = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Provider")
    micro_credential = forms.ModelChoiceField(
        queryset=MicroCredential.objects.none(),
        label="Micro-credential covered",
        required=False,
        help_text="For a programme or micro-credential report: the published micro-credential it covers.",
    )
    status = forms.ChoiceField(label="Status", choices=ReportStatus.choices, initial=ReportStatus.VOLUNTARY)
    decision = forms.ChoiceField(label="Decision", choices=ReportDecision.choices)
    valid_from = forms.DateField(label="Valid from", widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(
        label="Valid to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty: the report is then valid for six years.",
    )
    summary = forms.CharField(label="Summary", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    report_file = forms.FileField(label="Report (PDF)", required=False)
    report_language = forms.CharField(
        label="Language of the report", initial="en", max_length=3, help_text="ISO 639 code, e.g. en or eng."
    )

    def __init__(self, *args: Any, agencies: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [a.pk for a in agencies]
        self.fields["agency"].queryset = Organisation.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["activity"].queryset = AgencyActivity.objects.filter(  # type: ignore[attr-defined]
            organisation_id__in=ids
        ).select_related("organisation")
        self.fields["activity"].label_from_instance = (  # type: ignore[attr-defined]
            lambda a: (
                f"{a.name} ({a.get_activity_type_display()}, {a.organisation.acronym or a.organisation})"
            )
        )
        self.fields["provider"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind__in=PROVIDER_KINDS
        ).order_by("name")
        self.fields["micro_credential"].queryset = (  # type: ignore[attr-defined]
            MicroCredential.objects.filter(published_version__isnull=False)
            .select_related("organisation", "published_version")
            .order_by("organisation__name", "code")
        )
        self.fields["micro_credential"].label_from_instance = (  # type: ignore[attr-defined]
            lambda mc: f"{mc.published_version.title} ({mc.code}, {mc.organisation})"
        )
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].pk


class WithdrawReportForm(forms.Form):
    reason = forms.CharField(label="Why is the report withdrawn?", widget=forms.Textarea(attrs={"rows": 3}))


class AgencyProfileForm(forms.Form):
    is_registered = forms.BooleanField(label="Registered on EQAR", required=False)
    registration_start = forms.DateField(
        label="Registration start", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    registration_valid_to = forms.DateField(
        label="Registration valid to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    geographical_focus = forms.ChoiceField(
        label="Geographical focus", required=False, choices=[("", "Not given"), *GeographicalFocus.choices]
    )
    focus_countries = forms.CharField(
        label="Countries of focus",
        required=False,
        help_text="Country codes separated by commas, e.g. BE-fl, IE.",
    )
    registration_note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def profile_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["focus_countries"] = [c.strip() for c in data["focus_countries"].split(",") if c.strip()]
        return data


class AgencyActivityForm(forms.Form):
    name = forms.CharField(label="Activity name", max_length=500)
    activity_type = forms.ChoiceField(label="Activity type", choices=ActivityType.choices)
    local_identifier = forms.CharField(label="Local identifier", required=False, max_length=100)
    valid_from = forms.DateField(
        label="Valid from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_to = forms.DateField(
        label="Valid to", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AddReportFileForm(forms.Form):
    field_aliases = {"file": "report_file", "languages": "report_language", "file_name": "report_file"}

    report_file = forms.FileField(label="Report file (PDF)")
    display_name = forms.CharField(label="Name shown", required=False, max_length=255)
    report_language = forms.CharField(label="Language", initial="en", max_length=3, help_text="ISO 639 code.")
