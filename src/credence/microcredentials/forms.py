"""Web forms for micro-credentials. They parse and show input; the services validate and write it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from credence.organisations.models import Organisation
from credence.web.widgets import QuickSelect, QuickSelectMultiple

from .documents import PART_FIELDS
from .elements import ELEMENT_GROUPS
from .models import (
    DESCRIPTIVE_FIELDS,
    Assessment,
    AssessmentType,
    LearningOutcome,
    MicroCredential,
    MicroCredentialVersion,
    Module,
    PartnerRole,
    Pathway,
    PathwayKind,
    VersionStatus,
)
from .vocabularies import currency_choices, isced_choices, language_choices, sdg_choices

SHORT_TEXTAREAS = frozenset(
    {
        "prerequisites",
        "level_not_applicable_reason",
        "grading_scheme",
        "support_academic",
        "support_administrative",
        "support_library",
        "technology_needed",
        "fee_note",
    }
)


class CreateMicroCredentialForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label=None)
    code = forms.CharField(
        max_length=50, help_text="Your organisation's own code for it, e.g. DATA-101. Unique within it."
    )
    title = forms.CharField(max_length=300)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class VersionForm(forms.Form):
    """Every descriptive element of a draft, in the groups of `elements.ELEMENT_GROUPS`."""

    form_id = "version-form"
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(
            MicroCredentialVersion,
            fields=[f for f in DESCRIPTIVE_FIELDS if f not in ("languages", "sdgs", "field_of_study")],
        )
        for name in DESCRIPTIVE_FIELDS:
            if name == "languages":
                field: forms.Field = forms.MultipleChoiceField(
                    label="Languages of instruction",
                    choices=language_choices(),
                    required=False,
                    widget=QuickSelectMultiple(attrs={"size": 6}),
                    help_text="Hold Ctrl (or ⌘) to choose more than one.",
                )
            elif name == "sdgs":
                field = forms.MultipleChoiceField(
                    label="Sustainable Development Goals",
                    choices=sdg_choices(),
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif name == "field_of_study":
                field = forms.ChoiceField(
                    label="Field of study (ISCED-F 2013)",
                    choices=[("", "Not given"), *isced_choices()],
                    required=False,
                    widget=QuickSelect,
                )
            elif name == "fee_currency":
                field = forms.ChoiceField(
                    label="Fee currency",
                    choices=[("", "Not given"), *currency_choices()],
                    required=False,
                    widget=QuickSelect,
                )
            else:
                field = model_fields[name]
                field.label = field.label[:1].upper() + field.label[1:] if field.label else field.label
            choices = list(getattr(field, "choices", []))
            if choices and choices[0][0] in ("", None):
                field.choices = [("", "Not given"), *choices[1:]]  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 2 if name in SHORT_TEXTAREAS else 4
            if isinstance(field.widget, forms.DateInput):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            # The inputs sit beside the part sections, outside the <form> element they belong to.
            field.widget.attrs["form"] = self.form_id
            self.fields[name] = field

    @classmethod
    def initial_for(cls, version: MicroCredentialVersion) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(version, name) for name in DESCRIPTIVE_FIELDS}
        initial["sdgs"] = [str(goal) for goal in version.sdgs or []]
        initial["lock_version"] = version.lock_version
        return initial

    def groups(self) -> list[dict[str, Any]]:
        return [
            {"slug": slug, "title": title, "fields": [self[name] for name in names]}
            for slug, title, names in ELEMENT_GROUPS
        ]

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in DESCRIPTIVE_FIELDS}


# --- the parts of a version, one form per kind --------------------------------------------------------


def _outcome_choices(outcomes: Sequence[LearningOutcome]) -> list[tuple[str, str]]:
    def short(text: str) -> str:
        return text if len(text) <= 70 else text[:69].rstrip() + "…"

    return [(str(n), f"LO{n} {short(o.text)}") for n, o in enumerate(outcomes, start=1)]


class PartForm(forms.Form):
    """One outcome, assessment, module or pathway; `data_for_service` gives the document shape."""

    kind: str = ""
    # Service error keys that name a form field differently.
    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, outcomes: Sequence[LearningOutcome] = (), user: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if "outcomes" in self.fields:
            self.fields["outcomes"].choices = _outcome_choices(outcomes)  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, part: Any, number_of: Mapping[int, int]) -> dict[str, Any]:
        initial = {name: getattr(part, name) for name in PART_FIELDS[cls.kind] if name != "outcomes"}
        if "outcomes" in PART_FIELDS[cls.kind]:
            initial["outcomes"] = [str(number_of[o.pk]) for o in part.outcomes.all() if o.pk in number_of]
        return initial

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in PART_FIELDS[self.kind] if name in self.fields}
        if "outcomes" in data:
            data["outcomes"] = sorted(int(n) for n in data["outcomes"] or [])
        return data


class LearningOutcomeForm(PartForm):
    kind = "learning_outcomes"
    text = forms.CharField(
        label="Outcome",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What a learner can do on completion, starting with a verb.",
    )
    skills = forms.CharField(
        label="Skills (ESCO)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One skill a line: its ESCO web address, a space, then its name.",
    )

    @classmethod
    def initial_for(cls, part: Any, number_of: Mapping[int, int]) -> dict[str, Any]:
        lines = [f"{s.get('uri', '')} {s.get('label', '')}".strip() for s in part.skills or []]
        return {"text": part.text, "skills": "\n".join(lines)}

    def clean_skills(self) -> list[dict[str, str]]:
        skills = []
        for line in (self.cleaned_data.get("skills") or "").splitlines():
            if line.strip():
                uri, _, label = line.strip().partition(" ")
                skills.append({"uri": uri, "label": label.strip()})
        return skills


def _outcome_checkboxes(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple)


class AssessmentForm(PartForm):
    kind = "assessments"
    type = forms.ChoiceField(choices=AssessmentType.choices)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(
        label="Weight (%)", required=False, min_value=0, max_value=100, decimal_places=2, max_digits=5
    )
    summative = forms.BooleanField(
        label="Counts towards the result (summative)", required=False, initial=True
    )
    outcomes = _outcome_checkboxes("Outcomes it assesses")


class ModuleForm(PartForm):
    kind = "modules"
    title = forms.CharField(max_length=300)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hours = forms.DecimalField(required=False, min_value=0, decimal_places=1, max_digits=6)
    outcomes = _outcome_checkboxes("Outcomes it covers")


class PathwayForm(PartForm):
    kind = "pathways"
    field_aliases = {"kind": "pathway_kind"}
    pathway_kind = forms.ChoiceField(label="Kind of pathway", choices=PathwayKind.choices)
    target_micro_credential = forms.TypedChoiceField(
        label="Another micro-credential", required=False, coerce=int, empty_value=None
    )
    external_award = forms.CharField(label="Or an award", required=False, max_length=300)
    external_provider = forms.CharField(label="Awarding provider", required=False, max_length=300)
    credits = forms.DecimalField(required=False, min_value=0, decimal_places=2, max_digits=6)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any = None, targets: Iterable[MicroCredential] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target_micro_credential"].choices = [  # type: ignore[attr-defined]
            ("", "None: name an award"),
            *((str(mc.pk), f"{mc.code} ({mc.organisation})") for mc in targets),
        ]

    @classmethod
    def initial_for(cls, part: Any, number_of: Mapping[int, int]) -> dict[str, Any]:
        initial = super().initial_for(part, number_of)
        initial["pathway_kind"] = initial.pop("kind")
        return initial

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in PART_FIELDS[self.kind] if name != "kind"}
        data["kind"] = self.cleaned_data.get("pathway_kind")
        return data


PART_FORMS: dict[str, type[PartForm]] = {
    "learning_outcomes": LearningOutcomeForm,
    "assessments": AssessmentForm,
    "modules": ModuleForm,
    "pathways": PathwayForm,
}
PART_MODELS = {
    "learning_outcomes": LearningOutcome,
    "assessments": Assessment,
    "modules": Module,
    "pathways": Pathway,
}


class RetireForm(forms.Form):
    reason = forms.CharField(
        label="Why is it retired?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown in the version history.",
    )


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Partner organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
    )
    role = forms.ChoiceField(label="Its role", choices=PartnerRole.choices)

    def __init__(self, *args: Any, exclude: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        self.fields["organisation"].queryset = organisations.exclude(pk=exclude) if exclude else organisations  # type: ignore[attr-defined]


# --- the list of micro-credentials --------------------------------------------------------------------

SORTS = {
    "title": ("title", "Title (A–Z)"),
    "-title": ("-title", "Title (Z–A)"),
    "code": ("micro_credential__code", "Code"),
    "organisation": ("micro_credential__organisation__name", "Organisation"),
    "status": ("status", "Status"),
    "-updated": ("-updated_at", "Recently changed"),
}


class MicroCredentialFilterForm(forms.Form):
    q = forms.CharField(label="Title or code contains", required=False, max_length=200)
    status = forms.ChoiceField(label="Status", required=False)
    organisation = forms.TypedChoiceField(label="Organisation", required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=[(k, v[1]) for k, v in SORTS.items()])

    def __init__(
        self, *args: Any, organisations: Iterable[Organisation] = (), public: bool = False, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        statuses = (
            [(VersionStatus.PUBLISHED.value, VersionStatus.PUBLISHED.label)]
            if public
            else VersionStatus.choices
        )
        self.fields["status"].choices = [("", "Any status"), *statuses]  # type: ignore[attr-defined]
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", "Any organisation"),
            *((str(o.pk), str(o)) for o in organisations),
        ]

    def apply(self, versions: QuerySet[MicroCredentialVersion]) -> QuerySet[MicroCredentialVersion]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            versions = versions.filter(
                Q(title__icontains=data["q"]) | Q(micro_credential__code__icontains=data["q"])
            )
        if data.get("status"):
            versions = versions.filter(status=data["status"])
        if data.get("organisation"):
            versions = versions.filter(micro_credential__organisation_id=data["organisation"])
        order = SORTS.get(data.get("sort") or "title", SORTS["title"])[0]
        return versions.order_by(order, "micro_credential__code", "pk")

    def query_without(self, *names: str) -> str:
        """The current filters as a query string, without `names` (for the pager and the export link)."""
        from urllib.parse import urlencode

        data = self.cleaned_data if self.is_valid() else {}
        return urlencode({k: v for k, v in data.items() if v not in (None, "") and k not in names})
