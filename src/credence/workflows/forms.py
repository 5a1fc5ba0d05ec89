"""The forms of the governance pages. They only shape input; the services validate it."""

from __future__ import annotations

from typing import Any

from django import forms

from credence.organisations.models import Role

from .models import DecisionAction, ProposalKind, Quorum, StageCondition, StageKind

CASE_HELP = {
    "rationale": "Why the institution should offer (or change, or retire) it.",
    "demand_evidence": "Employer or industry support and labour-market data; attach letters and data below.",
    "target_learners": "Who it is for, and what they need.",
    "partners": "Employers, other providers or platforms involved, and their part.",
    "resources_and_costs": "Staff, systems and money it needs.",
    "pricing": "The fee, and how it compares with similar offers.",
    "risks": "What could go wrong, and how that is handled.",
    "first_offering": "When it would first be offered (YYYY-MM-DD).",
    "teach_out": "For a retirement: how enrolled learners finish.",
}


class BusinessCaseForm(forms.Form):
    title = forms.CharField(
        max_length=300, required=False, help_text="Leave empty for a title from the version."
    )
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    demand_evidence = forms.CharField(
        label="Evidence of demand", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    target_learners = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    partners = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    resources_and_costs = forms.CharField(
        label="Resources and costs", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    pricing = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    risks = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    first_offering = forms.CharField(
        label="Proposed first offering", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    teach_out = forms.CharField(
        label="Teach-out of enrolled learners", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, text in CASE_HELP.items():
            self.fields[name].help_text = text


class ProposalForm(BusinessCaseForm):
    kind = forms.ChoiceField(label="Kind of proposal", choices=ProposalKind.choices)
    micro_credential = forms.TypedChoiceField(label="Micro-credential", coerce=int, choices=())

    field_order = ["kind", "micro_credential", "title"]

    def __init__(self, *args: Any, micro_credentials: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["micro_credential"].choices = [("", "Choose…")] + [
            (m.pk, f"{m.code} · {m.latest_title}") for m in micro_credentials
        ]
        self.fields[
            "micro_credential"
        ].help_text = (
            "For a new one, create the micro-credential first; for a change, a new draft version is started."
        )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            (a.value, a.label)
            for a in (
                DecisionAction.APPROVE,
                DecisionAction.APPROVE_WITH_CONDITIONS,
                DecisionAction.RETURN,
                DecisionAction.REJECT,
            )
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    conditions = forms.CharField(
        label="Conditions (one a line)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Each becomes a task of the proposer, to be met before publication.",
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if actions is not None:
            field = self.fields["action"]
            field.choices = [(v, label) for v, label in field.choices if v in actions]


class PublishForm(forms.Form):
    on = forms.DateField(
        label="Publish on (leave empty for now)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why it is withdrawn", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class CompleteTaskForm(forms.Form):
    note = forms.CharField(label="How the condition is met", required=False, max_length=10_000)


class ReassignForm(forms.Form):
    assignee = forms.TypedChoiceField(label="Give the task to", coerce=int, choices=())
    reason = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [(p.pk, p.get_full_name() or p.username) for p in people]


class AttachForm(forms.Form):
    file = forms.FileField(label="Add a file (PDF, Word, Excel, PNG or JPEG)")


class TemplateForm(forms.Form):
    proposal_kind = forms.ChoiceField(label="Kind of proposal", choices=ProposalKind.choices)
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StageForm(forms.Form):
    """One stage of a template. A row with no name is left out."""

    order = forms.IntegerField(
        min_value=1, max_value=99, required=False, help_text="Same order: in parallel."
    )
    name = forms.CharField(max_length=200, required=False)
    kind = forms.ChoiceField(choices=[("", "—"), *list(StageKind.choices)], required=False)
    role = forms.ChoiceField(
        label="Who acts (role)", choices=[("", "—"), *list(Role.choices)], required=False
    )
    assignees = forms.TypedMultipleChoiceField(
        label="Or these people", coerce=int, choices=(), required=False
    )
    quorum = forms.ChoiceField(choices=Quorum.choices, required=False, initial=Quorum.ANY)
    quorum_n = forms.IntegerField(label="N (for N of M)", min_value=1, required=False)
    packs = forms.MultipleChoiceField(label="Framework packs", choices=(), required=False)
    quality_gate = forms.MultipleChoiceField(
        label="Quality gate (checks that must pass)", choices=(), required=False
    )
    condition = forms.ChoiceField(choices=StageCondition.choices, required=False)
    condition_value = forms.DecimalField(
        label="Credit threshold", required=False, max_digits=8, decimal_places=2
    )
    due_days = forms.IntegerField(
        label="Due in (days)", min_value=1, max_value=365, required=False, initial=10
    )
    committee_slug = forms.CharField(label="Committee (slug)", max_length=100, required=False)

    def __init__(
        self,
        *args: Any,
        people: list[Any],
        packs: list[tuple[str, str]],
        checks: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignees"].choices = [(p.pk, p.get_full_name() or p.username) for p in people]
        self.fields["packs"].choices = packs
        self.fields["quality_gate"].choices = checks

    def spec(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip() and not data.get("kind"):
            return None
        spec: dict[str, Any] = {
            "name": data.get("name") or "",
            "kind": data.get("kind") or "",
            "role": data.get("role") or "",
            "assignees": list(data.get("assignees") or []),
            "quorum": data.get("quorum") or Quorum.ANY,
            "quorum_n": data.get("quorum_n"),
            "packs": list(data.get("packs") or []),
            "quality_gate": list(data.get("quality_gate") or []),
            "condition": data.get("condition") or "",
            "condition_value": data.get("condition_value"),
            "due_days": data.get("due_days") or 10,
            "committee_slug": data.get("committee_slug") or "",
        }
        if data.get("order"):
            spec["order"] = data["order"]
        return spec
