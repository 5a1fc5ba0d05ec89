"""The review pages: the list, opening a review, the reviewer's page, the combined view of several
reviewers, and the report (HTML and PDF). Thin: reads through selectors, writes through services."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from credence.files.services import max_upload_bytes
from credence.frameworks import selectors as fw_selectors
from credence.frameworks.checks import STATUS_LABELS
from credence.frameworks.web import active_organisation
from credence.microcredentials import selectors as mc_selectors
from credence.microcredentials.models import MicroCredentialVersion, VersionStatus
from credence.organisations.authorization import can
from credence.organisations.models import Membership, User
from credence.web.forms import add_service_errors, error_messages
from credence.web.htmx import is_htmx, vary_on_htmx

from . import selectors, services
from .forms import JudgementForm, OpenReviewForm, SubmitReviewForm
from .models import Review, ReviewStatus, Verdict
from .report import area_summary, render_pdf


def _person(request: HttpRequest) -> User:
    return cast(User, request.user)


def _filtered_reviews(request: HttpRequest) -> Any:
    visible = selectors.reviews_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in ReviewStatus.values:
        visible = visible.filter(status=status)
    code = request.GET.get("code", "").strip()
    if code:
        visible = visible.filter(version__micro_credential__code__icontains=code[:50])
    return visible


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    visible = _filtered_reviews(request)
    organisation = active_organisation(request)
    context = {
        "mine": list(visible.filter(reviewer_id=request.user.pk)),
        "others": list(visible.exclude(reviewer_id=request.user.pk)[:200]),
        "organisation": organisation,
        "statuses": ReviewStatus.choices,
        "status": request.GET.get("status", ""),
        "code": request.GET.get("code", ""),
        "query": request.GET.urlencode(),
        "can_open": organisation is not None and can(request.user, "reviews.open_review", organisation),
        "can_manage_packs": organisation is not None
        and can(request.user, "frameworks.manage_packs", organisation),
    }
    return render(request, "reviews/list.html", context)


@login_required
def review_export(request: HttpRequest) -> HttpResponse:
    """The reviews the person may see (with the list's filters), as CSV (or XLSX with ?format=xlsx)."""
    import csv

    header = [
        "review",
        "organisation",
        "code",
        "version",
        "title",
        "packs",
        "reviewer",
        "reviewer kind",
        "status",
        "recommendation",
        "opened",
        "submitted",
    ]
    rows = []
    for r in _filtered_reviews(request).order_by("opened_at", "pk"):
        cells = [
            r.pk,
            r.organisation.name,
            r.version.micro_credential.code,
            r.version.number,
            r.version.title,
            " ".join(p for p, _ in r.packs),
            r.reviewer.get_username(),
            r.reviewer_kind,
            r.status,
            r.recommendation,
            r.opened_at.date().isoformat(),
            r.submitted_at.date().isoformat() if r.submitted_at else "",
        ]
        rows.append(cells)
    if request.GET.get("format") == "xlsx":
        from credence.interop.exports import Column, xlsx_response

        return xlsx_response("reviews", [Column(h, itemgetter(i)) for i, h in enumerate(header)], rows)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="reviews.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    for cells in rows:
        # A cell starting with = + - @ would be a formula in a spreadsheet.
        writer.writerow(["'" + c if isinstance(c, str) and c[:1] in "=+-@" else c for c in cells])
    return response


def _reviewers() -> list[User]:
    ids = [
        m.user_id for m in Membership.objects.filter(active=True) if set(m.roles) & {"reviewer", "qa_officer"}
    ]
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username"))


@login_required
def review_open(request: HttpRequest) -> HttpResponse:
    organisation = active_organisation(request)
    if organisation is None or not can(request.user, "reviews.open_review", organisation):
        raise PermissionDenied("Only QA officers and organisation admins open reviews.")
    versions = list(
        mc_selectors.latest_versions_visible_to(request.user)
        .filter(micro_credential__organisation=organisation)
        .exclude(status__in=[VersionStatus.RETIRED, VersionStatus.SUPERSEDED])
        .order_by("micro_credential__code")
    )
    packs = sorted(fw_selectors.packs_available_to(organisation.pk).values(), key=lambda p: p.title)
    enabled = fw_selectors.enabled_pack_ids(organisation.pk)
    kwargs: dict[str, Any] = {"versions": versions, "packs": packs, "reviewers": _reviewers()}
    status = 200
    if request.method == "POST":
        form = OpenReviewForm(request.POST, **kwargs)
        status = 422
        if form.is_valid():
            version = next(v for v in versions if v.pk == form.cleaned_data["version"])
            reviewer = User.objects.get(pk=form.cleaned_data["reviewer"])
            try:
                review = services.open_review(
                    actor=_person(request),
                    version=version,
                    reviewer=reviewer,
                    pack_ids=form.cleaned_data["packs"],
                    reviewer_kind=form.cleaned_data["reviewer_kind"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, f"Review opened and assigned to {reviewer.get_full_name() or reviewer}."
                )
                return redirect("reviews:detail", pk=review.pk)
    else:
        initial: dict[str, Any] = {"packs": enabled, "reviewer_kind": "internal"}
        if request.GET.get("version", "").isdigit():
            initial["version"] = int(request.GET["version"])
        form = OpenReviewForm(initial=initial, **kwargs)
    return render(request, "reviews/open.html", {"form": form, "organisation": organisation}, status=status)


def _check_status_labels(blocks: list[Any]) -> None:
    for block in blocks:
        for row in block.rows:
            if row.check:
                row.check["status_label"] = STATUS_LABELS.get(row.check["status"], row.check["status"])


def _description(version: MicroCredentialVersion) -> dict[str, Any]:
    """What the reviewer reads: the version's elements and parts (an external reviewer cannot open the
    organisation's own pages for an unpublished version)."""
    from credence.microcredentials.documents import prefetch_parts, version_document
    from credence.microcredentials.elements import element_groups

    fresh = prefetch_parts(MicroCredentialVersion.objects.all()).get(pk=version.pk)
    return {"groups": element_groups(fresh), "document": version_document(fresh)}


def _review_context(request: HttpRequest, review: Review, **extra: Any) -> dict[str, Any]:
    blocks = selectors.review_sheet(review)
    _check_status_labels(blocks)
    row_errors: dict[str, dict[str, list[str]]] = extra.pop("row_errors", None) or {}
    posted = extra.pop("posted", None)
    for block in blocks:
        for row in block.rows:
            row.errors = {}
            j = row.judgement
            row.values = {
                "verdict": j.verdict if j else "",
                "evidence": j.evidence if j else "",
                "evidence_links": "\n".join(j.evidence_links) if j else "",
                "comment": j.comment if j else "",
            }
            if row.key in row_errors:
                errors = row_errors[row.key]
                row.errors = {k.split("[")[0]: v for k, v in errors.items()}
                if posted is not None:
                    row.values = {k: posted.get(k, "") for k in row.values}
    pack_ids = [p for p, _ in review.packs]
    runs = selectors.latest_check_runs(review.version, pack_ids)
    failing = sum(1 for run in runs.values() for r in run.results if r["status"] == "fail")
    newer = (
        MicroCredentialVersion.objects.filter(
            micro_credential_id=review.version.micro_credential_id, number__gt=review.version.number
        )
        .order_by("-number")
        .first()
    )
    newer_runs = selectors.latest_check_runs(newer, pack_ids) if newer is not None else {}
    return {
        "review": review,
        "version": review.version,
        "blocks": blocks,
        "runs": runs,
        "failing": failing,
        "newer": newer,
        "newer_failing": sum(1 for run in newer_runs.values() for r in run.results if r["status"] == "fail"),
        "newer_checked": bool(newer_runs),
        "can_run_checks": can(request.user, "frameworks.run_checks", review.version),
        "description": _description(review.version),
        "verdicts": Verdict.choices,
        "max_upload_mb": f"{max_upload_bytes() / (1024 * 1024):g}",
        "is_reviewer": request.user.pk == review.reviewer_id and review.is_open,
        "submit_form": extra.pop("submit_form", None) or SubmitReviewForm(),
        "judged": sum(1 for b in blocks for r in b.rows if r.judgement),
        "criteria": sum(len(b.rows) for b in blocks),
    } | extra


def _history(user: Any, review: Review) -> Any:
    """The review's audit trail (opening, judgements, submission), for those who may read the audit log."""
    if not can(user, "audit.view_events", review):
        return None
    from credence.audit.selectors import audit_events_visible_to

    judgement_ids = [str(pk) for pk in review.judgements.values_list("pk", flat=True)]
    return (
        audit_events_visible_to(user)
        .filter(
            Q(object_type="reviews.review", object_id=str(review.pk))
            | Q(object_type="reviews.judgement", object_id__in=judgement_ids)
        )
        .order_by("-sequence")[:100]
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(request.user, pk)
    return render(
        request,
        "reviews/detail.html",
        _review_context(request, review, history=_history(request.user, review)),
    )


@login_required
@require_POST
def review_judge(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(request.user, pk)
    form = JudgementForm(request.POST, request.FILES)
    errors: dict[str, list[str]] = {}
    if form.is_valid():
        data = form.cleaned_data
        try:
            # The judgement and its new file together: a refused file leaves the judgement unchanged.
            with transaction.atomic():
                judgement = services.record_judgement(
                    actor=_person(request),
                    review=review,
                    pack_id=data["pack_id"],
                    criterion_id=data["criterion_id"],
                    verdict=data["verdict"],
                    evidence=data["evidence"],
                    evidence_links=data["evidence_links"],
                    comment=data["comment"],
                )
                if data.get("file"):
                    services.attach_evidence(actor=_person(request), judgement=judgement, upload=data["file"])
        except ValidationError as error:
            errors = error_messages(error)
    else:
        errors = {k: [str(m) for m in v] for k, v in form.errors.items()}
    key = f"{request.POST.get('pack_id', '')}--{request.POST.get('criterion_id', '')}"
    if is_htmx(request):
        context = _review_context(
            request,
            review,
            row_errors={key: errors} if errors else {},
            posted=request.POST if errors else None,
        )
        row = next((r for b in context["blocks"] for r in b.rows if r.key == key), None)
        if row is None:
            raise Http404("No such criterion in this review.")
        html = render_to_string("reviews/includes/criterion.html", context | {"row": row}, request=request)
        return vary_on_htmx(HttpResponse(html, status=422 if errors else 200))
    if errors:
        context = _review_context(request, review, row_errors={key: errors}, posted=request.POST)
        return render(request, "reviews/detail.html", context, status=422)
    messages.success(request, "Judgement recorded.")
    return redirect(reverse("reviews:detail", args=[review.pk]) + f"#c-{key}")


@login_required
@require_POST
def review_submit(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(request.user, pk)
    form = SubmitReviewForm(request.POST)
    if form.is_valid():
        try:
            services.submit_review(
                actor=_person(request),
                review=review,
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your review is submitted.")
            return redirect("reviews:detail", pk=review.pk)
    return render(
        request, "reviews/detail.html", _review_context(request, review, submit_form=form), status=422
    )


@login_required
@require_POST
def review_run_checks(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(request.user, pk)
    services.run_checks(actor=_person(request), version=review.version, pack_ids=[p for p, _ in review.packs])
    messages.success(request, "The machine checks ran again.")
    return redirect("reviews:detail", pk=review.pk)


@login_required
def combined(request: HttpRequest, version_pk: int) -> HttpResponse:
    version = (
        MicroCredentialVersion.objects.select_related("micro_credential__organisation")
        .filter(pk=version_pk)
        .first()
    )
    if version is None:
        raise Http404("No such version.")
    reviews = list(selectors.reviews_of_version(request.user, version).prefetch_related("judgements"))
    if not reviews:
        raise Http404("No reviews of this version.")
    blocks = selectors.combined_sheet(reviews)
    disagreements = sum(1 for b in blocks for r in b.rows if r.disagreement)
    only_disagreements = request.GET.get("only") == "disagreements"
    if only_disagreements:
        for block in blocks:
            block.rows = [r for r in block.rows if r.disagreement]
        blocks = [b for b in blocks if b.rows]
    context = {
        "version": version,
        "reviews": reviews,
        "blocks": blocks,
        "disagreements": disagreements,
        "only_disagreements": only_disagreements,
    }
    return render(request, "reviews/combined.html", context)


def _report_context(request: HttpRequest, review: Review) -> dict[str, Any]:
    context = _review_context(request, review)
    context["summary"] = area_summary(context["blocks"])
    context["generated_at"] = timezone.now()
    context["is_reviewer"] = False
    return context


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(request.user, pk)
    return render(request, "reviews/report.html", _report_context(request, review))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.get_review(request.user, pk)
    pdf = render_pdf(request, _report_context(request, review) | {"for_pdf": True})
    response = HttpResponse(pdf, content_type="application/pdf")
    code = review.version.micro_credential.code
    response["Content-Disposition"] = f'attachment; filename="review-{review.pk}-{code}.pdf"'
    return response
