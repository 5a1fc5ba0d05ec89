"""The micro-credential pages: list, detail, create, the draft editor, the lifecycle and show changes.

Thin: reads go through `selectors`, writes through `services`; the services check permissions again.
"""

from __future__ import annotations

import csv
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from credence.errors import StaleWrite
from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import User
from credence.organisations.selectors import organisation_list
from credence.web.forms import add_service_errors, error_messages
from credence.web.htmx import is_htmx, vary_on_htmx

from . import diff, selectors, services
from .documents import PART_FIELDS
from .elements import (
    PART_FIELD_LABELS,
    PART_TEXT_FIELDS,
    TEXT_ELEMENTS,
    display_part_value,
    display_value,
    element_groups,
    element_label,
)
from .forms import (
    PART_FORMS,
    CreateMicroCredentialForm,
    MicroCredentialFilterForm,
    PartForm,
    PartnerForm,
    RetireForm,
    VersionForm,
)
from .models import MicroCredential, MicroCredentialVersion, VersionStatus

PAGE_SIZE = 25


def _person(request: HttpRequest) -> User:
    """The signed-in person (every view that writes is login_required)."""
    return cast(User, request.user)


# URL slug -> part kind, and what the editor calls each kind.
PART_SLUGS = {
    "outcomes": "learning_outcomes",
    "assessments": "assessments",
    "modules": "modules",
    "pathways": "pathways",
}
SLUG_OF = {kind: slug for slug, kind in PART_SLUGS.items()}
PART_TITLES = {
    "learning_outcomes": ("Learning outcomes", "learning outcome"),
    "assessments": ("Assessments", "assessment"),
    "modules": ("Modules and topics", "module"),
    "pathways": ("Pathways", "pathway"),
}


# --- list ------------------------------------------------------------------------------------------------


def _is_public(user: Any) -> bool:
    return not user.is_authenticated or (not user.is_superuser and not organisation_ids_of(user))


def _filtered_versions(request: HttpRequest) -> tuple[MicroCredentialFilterForm, Any]:
    versions = selectors.latest_versions_visible_to(request.user)
    organisations = organisation_list().filter(pk__in=versions.values("micro_credential__organisation_id"))
    form = MicroCredentialFilterForm(
        request.GET or None, organisations=organisations, public=_is_public(request.user)
    )
    return form, form.apply(versions)


def micro_credential_list(request: HttpRequest) -> HttpResponse:
    form, versions = _filtered_versions(request)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "microcredentials/list.html",
        {
            "form": form,
            "page": page,
            "query": form.query_without("page"),
            "public": _is_public(request.user),
            "can_create": bool(_organisations_for_new(request.user).exists())
            if request.user.is_authenticated
            else False,
        },
    )


CSV_COLUMNS = (
    ("code", lambda v: v.micro_credential.code),
    ("title", lambda v: v.title),
    ("organisation", lambda v: str(v.micro_credential.organisation)),
    ("version", lambda v: v.number),
    ("status", lambda v: v.status),
    ("credits", lambda v: display_value("credits", v.credits)),
    ("credit_system", lambda v: v.credit_system),
    ("eqf_level", lambda v: v.eqf_level or ""),
    ("field_of_study", lambda v: v.field_of_study),
    ("updated_at", lambda v: v.updated_at.isoformat(timespec="seconds")),
    ("url", lambda v: reverse("microcredentials:detail", args=[v.micro_credential_id])),
)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> str:
    """Text as a spreadsheet shows it, never as a formula (CSV injection)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def micro_credential_export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    _form, versions = _filtered_versions(request)
    if request.GET.get("format") == "xlsx":
        from credence.interop.exports import Column, xlsx_response

        return xlsx_response("micro-credentials", [Column(n, get) for n, get in CSV_COLUMNS], versions)
    writer = csv.writer(_Echo())

    def rows() -> Any:
        yield writer.writerow([name for name, _ in CSV_COLUMNS])
        for version in versions.iterator(chunk_size=500):
            yield writer.writerow([_csv_cell(get(version)) for _, get in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="micro-credentials.csv"'
    return response


# --- detail ----------------------------------------------------------------------------------------------


def _history_events(
    user: Any, micro_credential: MicroCredential, versions: list[MicroCredentialVersion]
) -> Any:
    if not can(user, "audit.view_events", micro_credential):
        return None
    from credence.audit.selectors import audit_events_visible_to

    return (
        audit_events_visible_to(user)
        .filter(
            Q(object_type="microcredentials.microcredential", object_id=str(micro_credential.pk))
            | Q(
                object_type="microcredentials.microcredentialversion",
                object_id__in=[str(v.pk) for v in versions],
            )
        )
        .order_by("-sequence")[:50]
    )


def _lifecycle(
    user: Any, version: MicroCredentialVersion, versions: list[MicroCredentialVersion]
) -> dict[str, bool]:
    status = version.status
    has_draft = any(v.status == VersionStatus.DRAFT for v in versions)
    is_latest = version.number == versions[0].number
    return {
        "edit": status == VersionStatus.DRAFT and can(user, "microcredentials.change_draft", version),
        "submit": status == VersionStatus.DRAFT and can(user, "microcredentials.submit_version", version),
        "approve": status == VersionStatus.IN_REVIEW
        and can(user, "microcredentials.approve_version", version),
        "publish": status == VersionStatus.APPROVED
        and can(user, "microcredentials.publish_version", version),
        "retire": status in (VersionStatus.PUBLISHED, VersionStatus.APPROVED)
        and can(user, "microcredentials.retire_version", version),
        "new_version": not has_draft
        and is_latest
        and can(user, "microcredentials.start_new_version", version.micro_credential),
    }


def micro_credential_detail(
    request: HttpRequest,
    pk: int,
    retire_form: RetireForm | None = None,
    status: int = 200,
    partner_form: PartnerForm | None = None,
) -> HttpResponse:
    micro_credential = selectors.get_micro_credential(request.user, pk)
    versions = list(
        selectors.versions_of(request.user, micro_credential).select_related(
            "created_by", "submitted_by", "approved_by", "published_by"
        )
    )
    if not versions:
        raise Http404("No such micro-credential.")
    chosen = versions[0]
    if request.GET.get("version", "").isdigit():
        chosen = next((v for v in versions if v.number == int(request.GET["version"])), None)  # type: ignore[assignment]
        if chosen is None:
            raise Http404("No such version.")
    version = selectors.get_version(request.user, chosen.pk)
    member = can(request.user, "microcredentials.view_unpublished", micro_credential)
    outcomes = list(version.learning_outcomes.all())
    number_of = {o.pk: n for n, o in enumerate(outcomes, start=1)}

    def aligned(parts: Any) -> list[tuple[Any, list[int]]]:
        """Each assessment or module with the numbers of the outcomes it is aligned to."""
        return [(p, sorted(number_of[o.pk] for o in p.outcomes.all() if o.pk in number_of)) for p in parts]

    context = {
        "micro_credential": micro_credential,
        "version": version,
        "versions": versions,
        "groups": element_groups(version),
        "outcomes": outcomes,
        "assessments": aligned(version.assessments.all()),
        "modules": aligned(version.modules.all()),
        "pathways": list(version.pathways.all()),
        "partners": list(micro_credential.partnerships.select_related("organisation")),
        "partner_form": partner_form
        or (
            PartnerForm(exclude=micro_credential.organisation_id)
            if can(request.user, "microcredentials.manage_partners", micro_credential)
            else None
        ),
        "actions": _lifecycle(request.user, version, versions),
        "retire_form": retire_form or RetireForm(),
        "problems": services.submission_problems(version) if member and version.is_draft else {},
        "warnings": services.draft_warnings(version) if member and version.is_draft else {},
        "history": _history_events(request.user, micro_credential, versions),
        "member": member,
    }
    return render(request, "microcredentials/detail.html", context, status=status)


# --- create ----------------------------------------------------------------------------------------------


def _organisations_for_new(user: Any) -> Any:
    organisations = organisation_list()
    if user.is_superuser:
        return organisations
    allowed = [
        org_id
        for org_id in organisation_ids_of(user)
        if can(user, "microcredentials.add_microcredential", organisations.model(pk=org_id))
    ]
    return organisations.filter(pk__in=allowed)


@login_required
def micro_credential_create(request: HttpRequest) -> HttpResponse:
    organisations = _organisations_for_new(request.user)
    if not organisations.exists():
        raise PermissionDenied("You may not add micro-credentials to any organisation.")
    active = request.session.get("active_organisation")
    form = CreateMicroCredentialForm(
        request.POST or None,
        organisations=organisations,
        initial={"organisation": active} if organisations.filter(pk=active).exists() else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = services.create_micro_credential(
                    actor=_person(request),
                    organisation=form.cleaned_data["organisation"],
                    code=form.cleaned_data["code"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{version.micro_credential.code} is created. Describe it here.")
                return redirect("microcredentials:edit", pk=version.pk)
        status = 422
    return render(request, "microcredentials/create.html", {"form": form}, status=status)


# --- the draft editor ------------------------------------------------------------------------------------


def _editable_version(request: HttpRequest, pk: int) -> MicroCredentialVersion:
    version = selectors.get_version(request.user, pk)
    if not can(request.user, "microcredentials.change_draft", version):
        raise PermissionDenied("You may not edit this micro-credential.")
    return version


def _part_form_kwargs(request: HttpRequest, version: MicroCredentialVersion, kind: str) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"outcomes": list(version.learning_outcomes.all())}
    if kind == "pathways":
        kwargs["targets"] = selectors.micro_credentials_visible_to(request.user).exclude(
            pk=version.micro_credential_id
        )
    return kwargs


def _section(
    request: HttpRequest,
    version: MicroCredentialVersion,
    kind: str,
    *,
    edit: int | None = None,
    bound: PartForm | None = None,
    bound_for: int | str | None = None,
) -> dict[str, Any]:
    """One part section of the editor: its items (one in edit mode, perhaps) and the form to add one."""
    slug = SLUG_OF[kind]
    form_class = PART_FORMS[kind]
    kwargs = _part_form_kwargs(request, version, kind)
    outcomes = kwargs["outcomes"]
    number_of = {o.pk: n for n, o in enumerate(outcomes, start=1)}
    parts = list(getattr(version, kind).all())
    targets = {mc.pk: mc.code for mc in kwargs.get("targets", [])}
    items = []
    for number, part in enumerate(parts, start=1):
        form = None
        if bound is not None and bound_for == part.pk:
            form = bound
        elif edit == part.pk:
            form = form_class(
                initial=form_class.initial_for(part, number_of), prefix=f"{slug}-{part.pk}", **kwargs
            )
            next(iter(form.fields.values())).widget.attrs["autofocus"] = True
        values = [
            ("" if name == "text" else PART_FIELD_LABELS[name], display_part_value(name, value, targets))
            for name, value in _part_values(part, kind, number_of).items()
        ]
        label = (
            f"LO{number}" if kind == "learning_outcomes" else f"{PART_TITLES[kind][1].capitalize()} {number}"
        )
        items.append({"part": part, "number": number, "label": label, "form": form, "values": values})
    add_form = (
        bound if bound is not None and bound_for == "new" else form_class(prefix=f"{slug}-new", **kwargs)
    )
    title, noun = PART_TITLES[kind]
    return {
        "kind": kind,
        "slug": slug,
        "title": title,
        "noun": noun,
        "article": "an" if noun[0] in "aeiou" else "a",
        "items": items,
        "add_form": add_form,
        "version": version,
        "open_add": bound is not None and bound_for == "new",
    }


def _part_values(part: Any, kind: str, number_of: dict[int, int]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in PART_FIELDS[kind]:
        if name == "outcomes":
            values[name] = sorted(number_of[o.pk] for o in part.outcomes.all() if o.pk in number_of)
        elif name == "target_micro_credential":
            values[name] = part.target_micro_credential_id
        else:
            values[name] = getattr(part, name)
    return values


def _editor_context(request: HttpRequest, version: MicroCredentialVersion, **extra: Any) -> dict[str, Any]:
    edit_kind, _, edit_id = request.GET.get("edit", "").partition("-")
    sections = extra.pop("sections", {})
    context = {
        "version": version,
        "micro_credential": version.micro_credential,
        "sections": [
            sections.get(kind)
            or _section(
                request,
                version,
                kind,
                edit=int(edit_id) if PART_SLUGS.get(edit_kind) == kind and edit_id.isdigit() else None,
            )
            for kind in PART_FIELDS
        ],
        "problems": services.submission_problems(version),
        "warnings": services.draft_warnings(version),
        "can_submit": can(request.user, "microcredentials.submit_version", version),
    }
    return context | extra


def _stale_differences(form: VersionForm, current: MicroCredentialVersion) -> list[dict[str, str]]:
    """What the person typed that differs from what is stored now: shown, so they can apply it again."""
    differences = []
    for name in form.data_for_service():
        yours = form.cleaned_data.get(name)
        theirs = getattr(current, name)
        if name == "sdgs":
            yours = sorted(int(goal) for goal in yours or [])
        if (yours or None) != (theirs or None):
            differences.append(
                {
                    "label": element_label(name),
                    "yours": display_value(name, yours),
                    "current": display_value(name, theirs),
                }
            )
    return differences


@login_required
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _editable_version(request, pk)
    if not version.is_draft:
        messages.info(
            request,
            f"Version {version.number} is {version.get_status_display().lower()}: it can no longer be edited.",
        )
        return redirect("microcredentials:detail", pk=version.micro_credential_id)
    status, extra = 200, {}
    if request.method == "POST":
        form = VersionForm(request.POST)
        status = 422
        if form.is_valid():
            try:
                services.update_draft(
                    actor=_person(request),
                    version=version,
                    data=form.data_for_service(),
                    lock_version=form.cleaned_data["lock_version"],
                )
            except StaleWrite as stale:
                version = selectors.get_version(request.user, pk)
                extra = {"stale": str(stale), "unsaved": _stale_differences(form, version)}
                form = VersionForm(initial=VersionForm.initial_for(version))
                status = 409
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Your changes are saved.")
                return redirect("microcredentials:edit", pk=pk)
    else:
        form = VersionForm(initial=VersionForm.initial_for(version))
    context = _editor_context(request, version, form=form, **extra)
    return render(request, "microcredentials/edit.html", context, status=status)


def _part_kind(slug: str) -> str:
    if slug not in PART_SLUGS:
        raise Http404("No such part of a micro-credential.")
    return PART_SLUGS[slug]


@login_required
def part_section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """One part section (htmx: to open an item for editing, or to cancel); a plain GET goes to the editor."""
    kind = _part_kind(slug)
    version = _editable_version(request, pk)
    edit = request.GET.get("edit", "")
    if not version.is_draft:
        detail = reverse("microcredentials:detail", args=[version.micro_credential_id])
        response = HttpResponse(status=204) if is_htmx(request) else redirect(detail)
        if is_htmx(request):
            response["HX-Redirect"] = detail  # the version left draft meanwhile: show its page
        return response
    if not is_htmx(request):
        query = f"?edit={slug}-{edit}" if edit.isdigit() else ""
        return redirect(reverse("microcredentials:edit", args=[pk]) + query + f"#part-{slug}")
    section = _section(request, version, kind, edit=int(edit) if edit.isdigit() else None)
    return vary_on_htmx(render(request, "microcredentials/includes/part_section.html", {"section": section}))


@require_POST
@login_required
def part_change(
    request: HttpRequest, pk: int, slug: str, operation: str, part_id: int | None = None
) -> HttpResponse:
    """Add, update, remove or move one part; htmx gets the section back, a plain POST a redirect."""
    kind = _part_kind(slug)
    version = _editable_version(request, pk)
    form_class = PART_FORMS[kind]
    noun = PART_TITLES[kind][1]
    form: PartForm | None = None
    problems: list[str] = []
    done = ""
    try:
        if operation == "add":
            form = form_class(request.POST, prefix=f"{slug}-new", **_part_form_kwargs(request, version, kind))
            if form.is_valid():
                services.change_part(
                    actor=_person(request), version=version, kind=kind, add=form.data_for_service()
                )
                done = f"The {noun} is added."
        elif operation == "update" and part_id is not None:
            form = form_class(
                request.POST, prefix=f"{slug}-{part_id}", **_part_form_kwargs(request, version, kind)
            )
            if form.is_valid():
                services.change_part(
                    actor=_person(request),
                    version=version,
                    kind=kind,
                    update=(part_id, form.data_for_service()),
                )
                done = f"The {noun} is saved."
        elif operation == "remove" and part_id is not None:
            services.change_part(actor=_person(request), version=version, kind=kind, remove=part_id)
            done = f"The {noun} is removed."
        elif operation == "move" and part_id is not None:
            offset = -1 if request.POST.get("direction") == "up" else 1
            services.change_part(actor=_person(request), version=version, kind=kind, move=(part_id, offset))
            done = f"The {noun} is moved {'up' if offset < 0 else 'down'}."
        else:
            raise Http404("No such change.")
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
        else:
            problems = [m for messages_ in error_messages(error).values() for m in messages_]
    except StaleWrite as stale:  # only if a lock version is ever passed; shown like any problem
        problems = [str(stale)]

    failed = not done
    if not failed and not is_htmx(request):
        messages.success(request, done)
        return redirect(reverse("microcredentials:edit", args=[pk]) + f"#part-{slug}")
    version = selectors.get_version(request.user, pk)
    bound_for: int | str | None = (
        ("new" if operation == "add" else part_id) if failed and form is not None else None
    )
    section = _section(request, version, kind, bound=form if failed else None, bound_for=bound_for)
    section["problems"] = problems
    status = 422 if failed else 200
    if not is_htmx(request):
        form_main = VersionForm(initial=VersionForm.initial_for(version))
        context = _editor_context(request, version, form=form_main, sections={kind: section})
        return render(request, "microcredentials/edit.html", context, status=status)
    # Outcomes are numbered: when they change, the outcome checkboxes of assessments and modules change too.
    others = ["assessments", "modules"] if kind == "learning_outcomes" and not failed else []
    context = {
        "section": section,
        "oob_sections": [_section(request, version, other) for other in others],
        "version": version,
        "status_message": done or "The change is not saved: see the errors in the form.",
        "problems": services.submission_problems(version),
        "warnings": services.draft_warnings(version),
        "can_submit": can(request.user, "microcredentials.submit_version", version),
    }
    return vary_on_htmx(render(request, "microcredentials/part_response.html", context, status=status))


# --- the lifecycle ---------------------------------------------------------------------------------------


def _problem_text(error: ValidationError) -> str:
    return " ".join(m for messages_ in error_messages(error).values() for m in messages_)


@require_POST
@login_required
def version_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    version = selectors.get_version(request.user, pk, with_parts=False)
    lock = request.POST.get("lock_version", "")
    steps = {
        "submit": (
            lambda: services.submit_version(
                actor=_person(request), version=version, lock_version=int(lock) if lock.isdigit() else None
            ),
            "submitted for review",
        ),
        "approve": (lambda: services.approve_version(actor=_person(request), version=version), "approved"),
        "publish": (lambda: services.publish_version(actor=_person(request), version=version), "published"),
    }
    if action not in steps:
        raise Http404("No such step.")
    step, past = steps[action]
    try:
        step()
    except ValidationError as error:
        messages.error(request, f"Version {version.number} could not be {past}: {_problem_text(error)}")
    except StaleWrite as stale:
        messages.error(request, f"Version {version.number} was not {past}. {stale}")
    else:
        messages.success(request, f"Version {version.number} is {past}.")
    return redirect("microcredentials:detail", pk=version.micro_credential_id)


@require_POST
@login_required
def version_retire(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_version(request.user, pk, with_parts=False)
    form = RetireForm(request.POST)
    if form.is_valid():
        try:
            services.retire_version(
                actor=_person(request), version=version, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if "retirement_reason" in error_messages(error):
                form.add_error("reason", error_messages(error)["retirement_reason"])
            else:
                messages.error(
                    request, f"Version {version.number} could not be retired: {_problem_text(error)}"
                )
                return redirect("microcredentials:detail", pk=version.micro_credential_id)
        else:
            messages.success(request, f"Version {version.number} is retired.")
            return redirect("microcredentials:detail", pk=version.micro_credential_id)
    request.method = "GET"
    return micro_credential_detail(request, version.micro_credential_id, retire_form=form, status=422)


@require_POST
@login_required
def start_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    micro_credential = selectors.get_micro_credential(request.user, pk)
    try:
        draft = services.start_new_version(actor=_person(request), micro_credential=micro_credential)
    except ValidationError as error:
        messages.error(request, f"No new version was started: {_problem_text(error)}")
        return redirect("microcredentials:detail", pk=pk)
    messages.success(request, f"Version {draft.number} is started as a draft, copied from the one before it.")
    return redirect("microcredentials:edit", pk=draft.pk)


# --- partners --------------------------------------------------------------------------------------------


@require_POST
@login_required
def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    micro_credential = selectors.get_micro_credential(request.user, pk)
    form = PartnerForm(request.POST, exclude=micro_credential.organisation_id)
    if form.is_valid():
        try:
            partnership = services.add_partner(
                actor=_person(request),
                micro_credential=micro_credential,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            form.add_error(None, _problem_text(error))
        else:
            messages.success(request, f"{partnership} is recorded as a partner.")
            return redirect("microcredentials:detail", pk=pk)
    request.method = "GET"
    return micro_credential_detail(request, pk, status=422, partner_form=form)


@require_POST
@login_required
def partner_remove(request: HttpRequest, pk: int, partnership_id: int) -> HttpResponse:
    micro_credential = selectors.get_micro_credential(request.user, pk)
    partnership = get_object_or_404(micro_credential.partnerships, pk=partnership_id)
    services.remove_partner(actor=_person(request), partnership=partnership)
    messages.success(request, f"{partnership.organisation} is no longer recorded as a partner.")
    return redirect("microcredentials:detail", pk=pk)


# --- show changes ----------------------------------------------------------------------------------------


def _number_param(request: HttpRequest, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    if not value:
        return default
    if not value.isdigit():
        raise Http404("No such version.")
    return int(value)


def _field_rows(changes: list[diff.FieldChange]) -> list[dict[str, Any]]:
    return [
        {
            "label": element_label(change.field),
            "is_text": change.field in TEXT_ELEMENTS,
            "old": change.old,
            "new": change.new,
            "old_text": display_value(change.field, change.old),
            "new_text": display_value(change.field, change.new),
        }
        for change in changes
    ]


def _part_rows(kind: str, changes: list[diff.PartChange], targets: dict[int, str]) -> list[dict[str, Any]]:
    prefix = "LO" if kind == "learning_outcomes" else ""
    rows = []
    for change in changes:
        item = change.new if change.change == "added" else change.old
        shown = [
            (PART_FIELD_LABELS[name], display_part_value(name, (item or {}).get(name), targets))
            for name in PART_FIELDS[kind]
        ]
        rows.append(
            {
                "change": change.change,
                "old_label": f"{prefix}{change.old_number}" if change.old_number else "",
                "new_label": f"{prefix}{change.new_number}" if change.new_number else "",
                "values": [(label, text) for label, text in shown if text],
                "fields": [
                    {
                        "label": PART_FIELD_LABELS[f.field],
                        "is_text": f.field in PART_TEXT_FIELDS,
                        "old": f.old,
                        "new": f.new,
                        "old_text": display_part_value(f.field, f.old, targets),
                        "new_text": display_part_value(f.field, f.new, targets),
                    }
                    for f in change.fields
                ],
            }
        )
    return rows


def version_changes(request: HttpRequest, pk: int) -> HttpResponse:
    micro_credential = selectors.get_micro_credential(request.user, pk)
    versions = list(selectors.versions_of(request.user, micro_credential))
    if not versions:
        raise Http404("No such micro-credential.")
    by_number = {v.number: v for v in versions}
    newest = versions[0].number
    to_number = _number_param(request, "to", newest)
    earlier = [n for n in by_number if n < to_number]
    from_number = _number_param(request, "from", max(earlier) if earlier else to_number)
    if from_number not in by_number or to_number not in by_number:
        raise Http404("No such version.")
    context: dict[str, Any] = {
        "micro_credential": micro_credential,
        "versions": versions,
        "from_number": from_number,
        "to_number": to_number,
        "old": by_number[from_number],
        "new": by_number[to_number],
    }
    if from_number != to_number:
        old = selectors.get_version(request.user, by_number[from_number].pk)
        new = selectors.get_version(request.user, by_number[to_number].pk)
        difference = diff.diff_versions(old, new)
        target_ids = {
            (c.old or {}).get("target_micro_credential") or (c.new or {}).get("target_micro_credential")
            for c in difference.parts.get("pathways", [])
        } | {
            v
            for c in difference.parts.get("pathways", [])
            for f in c.fields
            if f.field == "target_micro_credential"
            for v in (f.old, f.new)
        }
        targets = {
            mc.pk: mc.code
            for mc in selectors.micro_credentials_visible_to(request.user).filter(
                pk__in=[t for t in target_ids if t]
            )
        }
        context |= {
            "difference": difference,
            "field_rows": _field_rows(difference.fields),
            "part_sections": [
                {
                    "title": PART_TITLES[kind][0],
                    "slug": slugify(kind),
                    "rows": _part_rows(kind, changes, targets),
                }
                for kind, changes in difference.parts.items()
                if changes
            ],
        }
    return render(request, "microcredentials/changes.html", context)
