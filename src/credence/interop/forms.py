"""The import pages' forms: they check the shape of what is posted; services judge the rest."""

from __future__ import annotations

from typing import Any

from django import forms

from credence.organisations.models import Organisation

from .mapping import target_choices
from .models import ImportJob, ImportMode


class UploadForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), empty_label=None, label="Import into"
    )
    file = forms.FileField(
        label="Catalogue file",
        help_text="CSV, XLSX or JSON, one micro-credential per row, column headings in the first row.",
    )
    source = forms.ChoiceField(
        label="Saved mapping", required=False, help_text="Read the columns as a saved source's mapping."
    )

    def __init__(self, *args: Any, organisations: Any, mappings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = organisations
        self.fields["source"].choices = [("", "— guess from the headings —")] + [  # type: ignore[attr-defined]
            (m.name, f"{m.name} ({m.organisation})") for m in mappings
        ]


class MappingForm(forms.Form):
    save_as = forms.CharField(
        label="Save this mapping for the source",
        required=False,
        max_length=100,
        help_text="A name such as 'Short courses sheet': the next file from it maps itself.",
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns: list[tuple[str, str]] = []
        for index, header in enumerate(job.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header, choices=target_choices(), required=False, initial=job.mapping.get(header, "")
            )
            self.columns.append((name, header))
        self.fields["save_as"].initial = job.source
        # The mapping fields first, the name to save it under last.
        self.order_fields([name for name, _ in self.columns] + ["save_as"])

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(name, "") or "" for name, header in self.columns}

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in self.columns]


class RunForm(forms.Form):
    mode = forms.ChoiceField(
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        initial=ImportMode.ALL_OR_NOTHING,
        label="How to import",
    )
    as_approved = forms.BooleanField(
        required=False,
        label="These records were approved elsewhere: import them as approved versions",
        help_text="For a migration. The source and the date of the approval are recorded in the audit log.",
    )
    source_system = forms.CharField(required=False, max_length=200, label="Approved by (system or body)")
    approved_on = forms.DateField(
        required=False, label="Date of the original approval", help_text="YYYY-MM-DD"
    )

    def __init__(self, *args: Any, may_approve: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_approve:
            for name in ("as_approved", "source_system", "approved_on"):
                del self.fields[name]
