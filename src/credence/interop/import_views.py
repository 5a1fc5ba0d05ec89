"""The import pages: upload -> map the columns -> preview -> import -> progress -> result."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from credence.organisations.authorization import can
from credence.organisations.models import User
from credence.web.forms import add_service_errors, error_messages

from . import selectors, services
from .exports import Column, csv_response
from .forms import MappingForm, RunForm, UploadForm
from .models import ImportJob, ImportStatus

PREVIEW_ROWS = 200


def _upload_form(request: HttpRequest, data: Any = None, files: Any = None) -> UploadForm:
    return UploadForm(
        data,
        files,
        organisations=selectors.organisations_importing_for(request.user),
        mappings=selectors.mappings_visible_to(request.user),
    )


@login_required
def import_index(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_importing_for(request.user)
    if not organisations.exists():
        raise PermissionDenied("Only proposers, QA officers and organisation admins import catalogues.")
    form = _upload_form(request, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                actor=cast(User, request.user),
                organisation=form.cleaned_data["organisation"],
                upload=form.cleaned_data["file"],
                source=form.cleaned_data["source"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("interop:import_job", pk=job.pk)
    context = {
        "form": form,
        "jobs": selectors.import_jobs_visible_to(request.user)[:20],
        "mappings": selectors.mappings_visible_to(request.user),
    }
    return render(request, "interop/import_index.html", context, status=400 if form.errors else 200)


def _job_context(request: HttpRequest, job: ImportJob, **extra: Any) -> dict[str, Any]:
    report = job.report or []
    problems = [r for r in report if r.get("problems")]
    shown = (
        problems[:PREVIEW_ROWS]
        + [r for r in report if not r.get("problems")][: max(0, PREVIEW_ROWS - len(problems))]
    )
    labels = services.DONE_LABELS if job.status == ImportStatus.DONE else services.ACTION_LABELS
    shown = [
        r | {"label": labels.get(r["action"], r["action"])} for r in sorted(shown, key=lambda r: r["row"])
    ]
    counts = [(a, label, job.counts.get(a, 0)) for a, label in labels.items() if job.counts.get(a)]
    return {
        "job": job,
        "open": job.status in (ImportStatus.UPLOADED, ImportStatus.PREVIEWED),
        "rows": shown,
        "hidden_rows": len(report) - len(shown),
        "problem_count": len(problems),
        "counts": counts,
        "may_approve": can(request.user, "interop.import_approved", job),
    } | extra


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(request.user, pk)
    context = _job_context(
        request,
        job,
        mapping_form=MappingForm(job=job),
        run_form=RunForm(may_approve=can(request.user, "interop.import_approved", job)),
    )
    return render(request, "interop/import_job.html", context)


@login_required
@require_POST
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(request.user, pk)
    form = MappingForm(request.POST, job=job)
    if form.is_valid():
        try:
            services.set_mapping(
                actor=cast(User, request.user),
                job=job,
                columns=form.mapping(),
                save_as=form.cleaned_data["save_as"],
            )
            services.preview_import(actor=cast(User, request.user), job=job)
        except ValidationError as error:
            for key, texts in error_messages(error).items():
                for text in texts:
                    form.add_error("save_as" if key == "name" else None, text)
        else:
            return redirect(f"{job.get_absolute_url()}#preview")
    job.refresh_from_db()
    context = _job_context(
        request,
        job,
        mapping_form=form,
        run_form=RunForm(may_approve=can(request.user, "interop.import_approved", job)),
    )
    return render(request, "interop/import_job.html", context, status=400)


@login_required
@require_POST
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(request.user, pk)
    may_approve = can(request.user, "interop.import_approved", job)
    form = RunForm(request.POST, may_approve=may_approve)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.queue_import(
                actor=cast(User, request.user),
                job=job,
                mode=data["mode"],
                as_approved=bool(data.get("as_approved")),
                provenance={
                    "source_system": data.get("source_system", ""),
                    "approved_on": data.get("approved_on"),
                },
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.info(request, "The import has started.")
            return redirect("interop:import_job", pk=job.pk)
    context = _job_context(request, job, mapping_form=MappingForm(job=job), run_form=form)
    return render(request, "interop/import_job.html", context, status=400)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The rows with problems, one line per problem, to fix in the spreadsheet."""
    job = selectors.import_job_for(request.user, pk)
    lines = [
        {"row": r["row"], "code": r["code"], "title": r.get("title", ""), "problem": problem}
        for r in job.report
        if r.get("problems")
        for problem in r["problems"]
    ]
    columns = [Column(name.capitalize(), itemgetter(name)) for name in ("row", "code", "title", "problem")]
    return csv_response(f"import-{job.pk}-problems", columns, lines)
