"""The governance pages: the inbox, proposals (list, new, page with its stages, actions and timeline),
the pipeline board, cycle times, and the workflow templates an organisation admin configures.
Thin: reads through selectors, writes through services."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from credence.files.selectors import attachments_of
from credence.frameworks.checks import REGISTRY
from credence.frameworks.selectors import packs_available_to
from credence.frameworks.web import active_organisation
from credence.microcredentials import selectors as mc_selectors
from credence.microcredentials.models import VersionStatus
from credence.organisations.authorization import can
from credence.organisations.models import Membership, Organisation, User
from credence.web.forms import add_service_errors, error_messages

from . import selectors, services
from .clock import now
from .forms import (
    AttachForm,
    BusinessCaseForm,
    CompleteTaskForm,
    DecisionForm,
    ProposalForm,
    PublishForm,
    ReassignForm,
    StageForm,
    TemplateForm,
    WithdrawForm,
)
from .models import (
    BUSINESS_CASE_FIELDS,
    DecisionAction,
    Proposal,
    ProposalKind,
    ProposalStatus,
    StageKind,
    StageRun,
    TaskStatus,
    WorkflowTemplate,
)


def _person(request: HttpRequest) -> User:
    return cast(User, request.user)


def _organisation(request: HttpRequest) -> Organisation:
    organisation = active_organisation(request)
    if organisation is None:
        raise PermissionDenied("Join an organisation to work on its proposals.")
    return organisation


def _members(organisation_id: int) -> list[User]:
    ids = Membership.objects.filter(organisation_id=organisation_id, active=True).values_list(
        "user_id", flat=True
    )
    people = User.objects.filter(pk__in=list(ids), is_active=True, is_service_account=False)
    return list(people.order_by("first_name", "username"))


def _fail(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, str(error) or "You may not do that.")
        return
    for key, texts in error_messages(error).items():
        for text in texts:
            messages.error(
                request, text if key in ("__all__", "status", "stage_run", "action") else f"{key}: {text}"
            )


# --- the inbox ------------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    moment = now()
    tasks = list(selectors.open_tasks_for(request.user))
    for task in tasks:
        task.overdue = bool(task.due_at and task.due_at < moment)  # type: ignore[attr-defined]
    return render(
        request,
        "workflows/inbox.html",
        {"tasks": tasks, "overdue": sum(1 for t in tasks if t.overdue), "complete_form": CompleteTaskForm()},  # type: ignore[attr-defined]
    )


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task(request.user, pk)
    form = CompleteTaskForm(request.POST)
    note = form.data.get("note", "") if isinstance(form.data.get("note", ""), str) else ""
    try:
        services.complete_task(actor=_person(request), task=task, note=note)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    else:
        messages.success(request, f"Done: {task.subject}")
    target = request.POST.get("next", "")
    if target == "proposal" and task.proposal_id:
        return redirect("workflows:proposal", pk=task.proposal_id)
    return redirect("workflows:inbox")


@login_required
@require_POST
def task_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.get_task(request.user, pk)
    form = ReassignForm(request.POST, people=_members(task.organisation_id))
    if form.is_valid():
        assignee = User.objects.get(pk=form.cleaned_data["assignee"])
        try:
            services.reassign_task(
                actor=_person(request), task=task, assignee=assignee, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            _fail(request, error)
        else:
            messages.success(request, f"The task is now {assignee.get_full_name() or assignee}'s.")
    else:
        messages.error(request, "Choose who gets the task.")
    return (
        redirect("workflows:proposal", pk=task.proposal_id)
        if task.proposal_id
        else redirect("workflows:inbox")
    )


# --- proposals ------------------------------------------------------------------------------------------


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposals_visible_to(request.user)
    organisation = active_organisation(request)
    if organisation is not None:
        proposals = proposals.filter(organisation=organisation)
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        proposals = proposals.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in ProposalKind.values:
        proposals = proposals.filter(kind=kind)
    return render(
        request,
        "workflows/proposal_list.html",
        {
            "proposals": list(proposals[:300]),
            "organisation": organisation,
            "statuses": ProposalStatus.choices,
            "kinds": ProposalKind.choices,
            "status": status,
            "kind": kind,
            "can_create": organisation is not None
            and can(request.user, "workflows.create_proposal", organisation),
        },
    )


def _proposable(request: HttpRequest, organisation: Organisation) -> list[Any]:
    versions = (
        mc_selectors.latest_versions_visible_to(request.user)
        .filter(micro_credential__organisation=organisation)
        .exclude(status__in=[VersionStatus.RETIRED, VersionStatus.SUPERSEDED])
        .order_by("micro_credential__code")
    )
    result = []
    for version in versions:
        micro_credential = version.micro_credential
        micro_credential.latest_title = version.title  # type: ignore[attr-defined]
        result.append(micro_credential)
    return result


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not can(request.user, "workflows.create_proposal", organisation):
        raise PermissionDenied("Proposers, QA officers and organisation admins make proposals.")
    micro_credentials = _proposable(request, organisation)
    status = 200
    if request.method == "POST":
        form = ProposalForm(request.POST, micro_credentials=micro_credentials)
        status = 422
        if form.is_valid():
            chosen = next(m for m in micro_credentials if m.pk == form.cleaned_data["micro_credential"])
            case = {k: form.cleaned_data[k] for k in BUSINESS_CASE_FIELDS}
            try:
                proposal = services.create_proposal(
                    actor=_person(request),
                    micro_credential=chosen,
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    **case,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Proposal drafted. Check the business case, then submit it.")
                return redirect("workflows:proposal", pk=proposal.pk)
    else:
        initial: dict[str, Any] = {}
        if request.GET.get("micro_credential", "").isdigit():
            initial["micro_credential"] = int(request.GET["micro_credential"])
        if request.GET.get("kind", "") in ProposalKind.values:
            initial["kind"] = request.GET["kind"]
        form = ProposalForm(initial=initial, micro_credentials=micro_credentials)
    return render(
        request, "workflows/proposal_form.html", {"form": form, "organisation": organisation}, status=status
    )


def _decision_actions(user: Any, stage_run: StageRun, manager: bool) -> list[str]:
    has_task = any(t.assignee_id == user.pk and t.status == TaskStatus.OPEN for t in stage_run.tasks.all())
    actions: list[str] = []
    if has_task and stage_run.stage.kind == StageKind.APPROVAL:
        actions += [DecisionAction.APPROVE, DecisionAction.APPROVE_WITH_CONDITIONS]
    if has_task or manager:
        actions += [DecisionAction.RETURN, DecisionAction.REJECT]
    return actions


def _detail_context(request: HttpRequest, proposal: Proposal, **extra: Any) -> dict[str, Any]:
    user = request.user
    runs = selectors.runs_of(proposal)
    manager = can(user, "workflows.manage_proposals", proposal)
    is_proposer = user.pk == proposal.proposer_id
    may_propose = can(user, "workflows.create_proposal", proposal) and (is_proposer or manager)
    moment = now()
    decide_forms = []
    gate_problems: dict[int, list[str]] = {}
    if runs:
        for stage_run in runs[0].stage_runs.all():
            if stage_run.status != "active":
                continue
            failures = services.gate_failures(stage_run.stage, proposal.version)
            if failures:
                gate_problems[stage_run.pk] = failures
            actions = _decision_actions(user, stage_run, manager)
            if actions:
                posted = extra.get("decide_form") if extra.get("decide_stage_run") == stage_run.pk else None
                decide_forms.append(
                    (stage_run, posted or DecisionForm(actions=actions, prefix=f"sr{stage_run.pk}"))
                )
    for run in runs:
        for stage_run in run.stage_runs.all():
            stage_run.overdue = bool(  # type: ignore[attr-defined]
                stage_run.status == "active" and stage_run.due_at and stage_run.due_at < moment
            )
    submissions = list(proposal.submissions.select_related("version"))
    changes = []
    for before, after in zip(submissions, submissions[1:], strict=False):
        changes.append((before, after))
    if (
        proposal.status == ProposalStatus.DRAFT
        and submissions
        and submissions[-1].version_id != proposal.version_id
    ):
        changes.append((submissions[-1], None))
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("comments/panel.html")
        has_comments = True
    except TemplateDoesNotExist:
        has_comments = False
    return {
        "proposal": proposal,
        "runs": runs,
        "latest_run": runs[0] if runs else None,
        "case": [
            (
                name,
                BusinessCaseForm.base_fields[name].label or name.replace("_", " ").capitalize(),
                getattr(proposal, name),
            )
            for name in BUSINESS_CASE_FIELDS
        ],
        "attachments": list(attachments_of(proposal)),
        "conditions": list(selectors.conditions_of(proposal)),
        "timeline": selectors.timeline(proposal),
        "submissions": submissions,
        "changes": changes,
        "decide_forms": decide_forms,
        "gate_problems": gate_problems,
        "problems": services.case_problems(proposal) if proposal.status == ProposalStatus.DRAFT else {},
        "can_edit": may_propose and proposal.status == ProposalStatus.DRAFT,
        "can_attach": may_propose and proposal.is_open,
        "can_submit": may_propose and proposal.status == ProposalStatus.DRAFT,
        "can_revise": may_propose and proposal.status == ProposalStatus.RETURNED,
        "can_withdraw": proposal.is_open
        and can(user, "workflows.withdraw_proposal", proposal)
        and (is_proposer or manager),
        "can_publish": proposal.status == ProposalStatus.APPROVED
        and can(user, "workflows.publish_proposal", proposal),
        "manager": manager,
        "people": _members(proposal.organisation_id) if manager else [],
        "attach_form": extra.get("attach_form") or AttachForm(),
        "publish_form": extra.get("publish_form") or PublishForm(),
        "withdraw_form": WithdrawForm(),
        "has_comments": has_comments,
        "user_id": user.pk,
    }


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    return render(request, "workflows/proposal_detail.html", _detail_context(request, proposal))


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    status = 200
    if request.method == "POST":
        form = BusinessCaseForm(request.POST)
        status = 422
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("title", *BUSINESS_CASE_FIELDS)}
            if not data["title"]:
                data.pop("title")
            try:
                services.update_business_case(actor=_person(request), proposal=proposal, data=data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Business case saved.")
                return redirect("workflows:proposal", pk=proposal.pk)
    else:
        if not (can(request.user, "workflows.create_proposal", proposal)):
            raise PermissionDenied("You may not change this business case.")
        initial = {k: getattr(proposal, k) for k in ("title", *BUSINESS_CASE_FIELDS)}
        initial["first_offering"] = proposal.first_offering.isoformat() if proposal.first_offering else ""
        form = BusinessCaseForm(initial=initial)
    return render(
        request, "workflows/proposal_edit.html", {"form": form, "proposal": proposal}, status=status
    )


@login_required
@require_POST
def proposal_attach(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    form = AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_to_proposal(
                actor=_person(request), proposal=proposal, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "File added to the business case.")
            return redirect("workflows:proposal", pk=proposal.pk)
    context = _detail_context(request, proposal, attach_form=form)
    return render(request, "workflows/proposal_detail.html", context, status=422)


def _action(request: HttpRequest, pk: int, run: Any, success: str) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    try:
        run(proposal)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    else:
        messages.success(request, success)
    return redirect("workflows:proposal", pk=proposal.pk)


@login_required
@require_POST
def proposal_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda p: services.submit_proposal(actor=_person(request), proposal=p),
        "Submitted. The first stage of the workflow has started.",
    )


@login_required
@require_POST
def proposal_revise(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    try:
        proposal = services.revise_proposal(actor=_person(request), proposal=proposal)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
        return redirect("workflows:proposal", pk=proposal.pk)
    messages.success(
        request, f"Version {proposal.version.number} is a draft: make the changes, then resubmit."
    )
    return redirect("microcredentials:edit", pk=proposal.version_id)


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _action(
        request,
        pk,
        lambda p: services.withdraw_proposal(actor=_person(request), proposal=p, reason=reason),
        "The proposal is withdrawn.",
    )


@login_required
@require_POST
def proposal_publish(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.get_proposal(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "workflows/proposal_detail.html",
            _detail_context(request, proposal, publish_form=form),
            status=422,
        )
    on: dt.date | None = form.cleaned_data.get("on")
    try:
        proposal = services.publish_proposal(actor=_person(request), proposal=proposal, on=on)
    except (ValidationError, PermissionDenied) as error:
        _fail(request, error)
    else:
        if proposal.publish_on:
            messages.success(request, f"It will be put into effect on {proposal.publish_on:%d %B %Y}.")
        else:
            messages.success(request, f"Done: the proposal is {proposal.get_status_display().lower()}.")
    return redirect("workflows:proposal", pk=proposal.pk)


@login_required
@require_POST
def stage_decide(request: HttpRequest, pk: int) -> HttpResponse:
    stage_run = selectors.get_stage_run(request.user, pk)
    proposal = selectors.get_proposal(request.user, stage_run.run.proposal_id)
    form = DecisionForm(request.POST, prefix=f"sr{stage_run.pk}")
    if form.is_valid():
        try:
            services.decide(
                actor=_person(request),
                stage_run=stage_run,
                action=form.cleaned_data["action"],
                comment=form.cleaned_data["comment"],
                conditions=form.cleaned_data["conditions"],
            )
        except PermissionDenied as error:
            _fail(request, error)
            return redirect("workflows:proposal", pk=proposal.pk)
        except ValidationError as error:
            messages_by_field = error_messages(error)
            if set(messages_by_field) & {"stage_run", "quality_gate", "action"}:
                _fail(request, error)
                return redirect("workflows:proposal", pk=proposal.pk)
            add_service_errors(form, error)
        else:
            label = DecisionAction(form.cleaned_data["action"]).label
            messages.success(request, f"{label}: recorded at '{stage_run.stage.name}'.")
            return redirect("workflows:proposal", pk=proposal.pk)
    context = _detail_context(request, proposal, decide_form=form, decide_stage_run=stage_run.pk)
    return render(request, "workflows/proposal_detail.html", context, status=422)


# --- the pipeline and cycle times -----------------------------------------------------------------------


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    organisation = active_organisation(request)
    columns = selectors.pipeline(request.user, organisation)
    return render(request, "workflows/pipeline.html", {"columns": columns, "organisation": organisation})


@login_required
def analytics(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    period = request.GET.get("period", "quarter")
    figures = selectors.cycle_times(user=request.user, organisation=organisation, period=period)
    return render(
        request,
        "workflows/analytics.html",
        {"figures": figures, "organisation": organisation, "periods": selectors.PERIODS},
    )


# --- workflow templates ---------------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    templates = list(selectors.templates_visible_to(request.user).filter(organisation=organisation))
    by_kind = [
        (value, label, [t for t in templates if t.proposal_kind == value])
        for value, label in ProposalKind.choices
    ]
    return render(
        request,
        "workflows/template_list.html",
        {
            "by_kind": by_kind,
            "organisation": organisation,
            "can_manage": can(request.user, "workflows.manage_templates", organisation),
        },
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_template(request.user, pk)
    stages = list(template.stages.all())
    unknown = [
        s.committee_slug
        for s in stages
        if s.kind == StageKind.COMMITTEE
        and selectors.committee_exists(template.organisation, s.committee_slug) is False
    ]
    return render(
        request,
        "workflows/template_detail.html",
        {
            "template": template,
            "stages": stages,
            "in_use": services.template_in_use(template),
            "unknown_committees": unknown,
            "can_manage": can(request.user, "workflows.manage_templates", template),
        },
    )


def _stage_choices(organisation: Organisation) -> dict[str, Any]:
    packs = sorted(packs_available_to(organisation.pk).values(), key=lambda p: p.title)
    return {
        "people": _members(organisation.pk),
        "packs": [(p.id, p.title) for p in packs],
        "checks": sorted(((c.id, c.title) for c in REGISTRY.values()), key=lambda c: c[1]),
    }


def _stage_initial(template: WorkflowTemplate | None) -> list[dict[str, Any]]:
    if template is None:
        return []
    return [
        {
            "order": s.order,
            "name": s.name,
            "kind": s.kind,
            "role": s.role,
            "assignees": [u.pk for u in s.assignees.all()],
            "quorum": s.quorum,
            "quorum_n": s.quorum_n,
            "packs": s.packs,
            "quality_gate": s.quality_gate,
            "condition": s.condition,
            "condition_value": s.condition_value,
            "due_days": s.due_days,
            "committee_slug": s.committee_slug,
        }
        for s in template.stages.all()
    ]


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _organisation(request)
    template = selectors.get_template(request.user, pk) if pk is not None else None
    if template is not None:
        organisation = template.organisation
    if not can(request.user, "workflows.manage_templates", organisation):
        raise PermissionDenied("Organisation admins configure workflows.")
    choices = _stage_choices(organisation)
    StageFormSet = formset_factory(StageForm, extra=2, max_num=30)
    status = 200
    fixed = {"proposal_kind": template.proposal_kind} if template is not None else {}
    if request.method == "POST":
        form = TemplateForm(request.POST, initial=fixed)
        if template is not None:
            form.fields["proposal_kind"].disabled = True
        stage_forms = StageFormSet(request.POST, prefix="stages", form_kwargs=choices)
        status = 422
        if form.is_valid() and stage_forms.is_valid():
            specs: list[dict[str, Any]] = []
            rows: list[int] = []
            for index, stage_form in enumerate(stage_forms.forms):
                spec = stage_form.spec()
                if spec is not None:
                    specs.append(spec)
                    rows.append(index)
            try:
                saved = services.save_template(
                    actor=_person(request),
                    organisation=organisation,
                    proposal_kind=form.cleaned_data["proposal_kind"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    stages=specs,
                    template=template,
                )
            except ValidationError as error:
                for key, texts in error_messages(error).items():
                    if key.startswith("stages["):
                        index = int(key[len("stages[") : key.index("]")])
                        name = key.split(".", 1)[1].split("[")[0] if "." in key else None
                        target = stage_forms.forms[rows[index]] if index < len(rows) else None
                        for text in texts:
                            if target is not None and name in target.fields:
                                target.add_error(name, text)
                            else:
                                form.add_error(None, text)
                    else:
                        for text in texts:
                            form.add_error(key if key in form.fields else None, text)
            else:
                if template is not None and saved.pk != template.pk:
                    messages.success(
                        request,
                        f"The template is in use, so the change is version {saved.version}; "
                        "proposals already running keep the version they started with.",
                    )
                else:
                    messages.success(request, "Workflow template saved.")
                return redirect("workflows:template", pk=saved.pk)
    else:
        initial: dict[str, Any] = {}
        if template is not None:
            initial = {
                "proposal_kind": template.proposal_kind,
                "name": template.name,
                "description": template.description,
            }
        elif request.GET.get("kind", "") in ProposalKind.values:
            initial = {"proposal_kind": request.GET["kind"]}
        form = TemplateForm(initial=initial)
        stage_forms = StageFormSet(prefix="stages", initial=_stage_initial(template), form_kwargs=choices)
    if template is not None:
        form.fields["proposal_kind"].disabled = True
    return render(
        request,
        "workflows/template_form.html",
        {
            "form": form,
            "stage_forms": stage_forms,
            "template": template,
            "organisation": organisation,
            "in_use": template is not None and services.template_in_use(template),
        },
        status=status,
    )


@login_required
@require_POST
def template_activate(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.get_template(request.user, pk)
    active = request.POST.get("active", "1") == "1"
    try:
        services.set_template_active(actor=_person(request), template=template, active=active)
    except PermissionDenied as error:
        _fail(request, error)
    else:
        messages.success(
            request,
            "New proposals now use this version." if active else "New proposals no longer use this template.",
        )
    return redirect(reverse("workflows:template", kwargs={"pk": template.pk}))
