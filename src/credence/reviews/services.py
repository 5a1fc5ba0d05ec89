"""Every write to reviews: running the machine checks, opening a review, recording judgements and
submitting the reviewer's recommendation. Each checks permission, validates first and is audited."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from credence.audit.services import field_changes, record_event, snapshot
from credence.files import services as file_services
from credence.files.models import Attachment
from credence.files.selectors import attachments_of
from credence.frameworks.evaluation import evaluate, summarise
from credence.frameworks.packs import Pack
from credence.frameworks.selectors import enabled_pack_ids, packs_available_to, subject_for
from credence.microcredentials.documents import prefetch_parts
from credence.microcredentials.models import MicroCredentialVersion, VersionStatus
from credence.organisations.authorization import require
from credence.organisations.models import User

from .models import CheckRun, Judgement, Recommendation, Review, ReviewerKind, ReviewStatus, Verdict

MAX_LINKS = 20
MAX_ATTACHMENTS = 20
# The kinds of file a reviewer may attach as evidence (keys of credence.files.services.FILE_TYPES).
EVIDENCE_FILE_TYPES = ("pdf", "png", "jpeg", "docx", "xlsx")
MAX_TEXT = 10_000


def _packs(organisation_id: int, pack_ids: Sequence[str] | None) -> list[Pack]:
    available = packs_available_to(organisation_id)
    wanted = list(pack_ids) if pack_ids else enabled_pack_ids(organisation_id)
    unknown = [str(p)[:80] for p in wanted if p not in available]
    if unknown:
        raise ValidationError({"packs": f"No such pack: {', '.join(unknown)}."})
    return [available[p] for p in dict.fromkeys(wanted)]


def compute_check_runs(version: MicroCredentialVersion, packs: Sequence[Pack]) -> list[CheckRun]:
    """Run the checks of `packs` on `version` and keep the results (one CheckRun per pack version)."""
    fresh = prefetch_parts(MicroCredentialVersion.objects.all()).get(pk=version.pk)
    subject = subject_for(fresh)
    now = timezone.now()
    runs = []
    for pack in packs:
        run, _ = CheckRun.objects.update_or_create(
            version=fresh,
            pack_id=pack.id,
            pack_version=pack.version,
            defaults={"results": evaluate(pack, subject), "computed_at": now},
        )
        runs.append(run)
    return runs


@transaction.atomic
def run_checks(
    *, actor: User | None, version: MicroCredentialVersion, pack_ids: Sequence[str] | None = None
) -> list[CheckRun]:
    """Run the machine checks of the given packs (default: those the organisation enables) and keep them."""
    if actor is not None:
        require(actor, "frameworks.run_checks", version)
    packs = _packs(version.micro_credential.organisation_id, pack_ids)
    runs = compute_check_runs(version, packs)
    record_event(
        actor=actor,
        action="reviews.checks_run",
        obj=version,
        organisation=version.micro_credential.organisation,
        changes={run.pack_id: [None, summarise(run.results)] for run in runs},
    )
    return runs


@transaction.atomic
def open_review(
    *,
    actor: User | None,
    version: MicroCredentialVersion,
    reviewer: User,
    pack_ids: Sequence[str] | None = None,
    reviewer_kind: str = ReviewerKind.INTERNAL,
) -> Review:
    """Open a review of `version` against packs, assigned to `reviewer`; the machine checks run now."""
    if actor is not None:
        require(actor, "reviews.open_review", version)
    errors: dict[str, str] = {}
    organisation = version.micro_credential.organisation
    packs: list[Pack] = []
    try:
        packs = _packs(organisation.pk, pack_ids)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if not packs and "packs" not in errors:
        errors["packs"] = "Choose at least one framework pack (or enable some for the organisation)."
    if reviewer_kind not in ReviewerKind.values:
        errors["reviewer_kind"] = f"Choose one of: {', '.join(ReviewerKind.values)}."
    if reviewer is None or not reviewer.is_active:
        errors["reviewer"] = "Choose an active person as the reviewer."
    if version.status in (VersionStatus.RETIRED, VersionStatus.SUPERSEDED):
        errors["version"] = (
            f"Version {version.number} is {version.get_status_display().lower()}: review a current version."
        )
    if errors:
        raise ValidationError(errors)
    review = Review.objects.create(
        organisation=organisation,
        version=version,
        packs=[[p.id, p.version] for p in packs],
        reviewer=reviewer,
        reviewer_kind=reviewer_kind,
        opened_by=actor,
    )
    compute_check_runs(version, packs)
    record_event(
        actor=actor,
        action="reviews.review_opened",
        obj=review,
        organisation=organisation,
        changes=field_changes(
            {},
            {
                "version": version.pk,
                "packs": review.packs,
                "reviewer": reviewer.get_username(),
                "reviewer_kind": reviewer_kind,
            },
        ),
    )
    return review


def _require_reviewer(actor: User | None, review: Review) -> None:
    if actor is not None and actor.pk != review.reviewer_id:
        raise PermissionDenied("Only the assigned reviewer may judge this review.")
    if review.status != ReviewStatus.OPEN:
        raise ValidationError({"status": "This review is submitted: its judgements can no longer change."})


def _links(value: object) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [line.strip() for line in value.splitlines() if line.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({"evidence_links": "Give a list of web addresses."})
    if len(value) > MAX_LINKS:
        raise ValidationError({"evidence_links": f"At most {MAX_LINKS} links."})
    check = URLValidator(schemes=["http", "https"])
    for index, link in enumerate(value):
        try:
            check(link)
        except ValidationError:
            raise ValidationError(
                {f"evidence_links[{index}]": f"'{link[:100]}' is not a web address (http or https)."}
            ) from None
    return list(value)


@transaction.atomic
def record_judgement(
    *,
    actor: User | None,
    review: Review,
    pack_id: str,
    criterion_id: str,
    verdict: str,
    evidence: str = "",
    evidence_links: object = None,
    comment: str = "",
) -> Judgement:
    """Record (or change) the reviewer's verdict on one criterion, with evidence and a comment."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _require_reviewer(actor, review)
    errors: dict[str, str] = {}
    versions = dict((p, v) for p, v in review.packs)
    pack = packs_available_to(review.organisation_id).get(pack_id) if pack_id in versions else None
    if pack is None:
        errors["pack_id"] = f"This review is not against a pack '{str(pack_id)[:80]}'."
    elif pack.criterion(criterion_id) is None:
        errors["criterion_id"] = f"The pack '{pack_id}' has no criterion '{str(criterion_id)[:80]}'."
    if verdict not in Verdict.values:
        errors["verdict"] = f"Choose one of: {', '.join(Verdict.labels)}."
    for name, value in (("evidence", evidence), ("comment", comment)):
        if not isinstance(value, str):
            errors[name] = "Give text."
        elif len(value) > MAX_TEXT:
            errors[name] = f"At most {MAX_TEXT} characters."
    if (
        verdict in (Verdict.NOT_MET, Verdict.PARTLY_MET)
        and isinstance(comment, str)
        and not comment.strip()
        and isinstance(evidence, str)
        and not evidence.strip()
    ):
        errors["comment"] = (
            "Say what is missing: a criterion that is not (fully) met needs a comment or evidence."
        )
    try:
        links = _links(evidence_links)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        links = []
    if errors:
        raise ValidationError(errors)
    existing = Judgement.objects.filter(review=review, pack_id=pack_id, criterion_id=criterion_id).first()
    fields = ("verdict", "evidence", "evidence_links", "comment")
    before = snapshot(existing, fields) if existing else {}
    judgement = existing or Judgement(
        review=review, pack_id=pack_id, criterion_id=criterion_id, pack_version=versions[pack_id]
    )
    judgement.verdict, judgement.evidence, judgement.evidence_links, judgement.comment = (
        verdict,
        evidence.strip(),
        links,
        comment.strip(),
    )
    judgement.save()
    changes = field_changes(before, snapshot(judgement, fields))
    if changes:
        record_event(
            actor=actor,
            action="reviews.judgement_recorded",
            obj=judgement,
            object_label=f"{pack_id} {criterion_id} in review {review.pk}",
            organisation=review.organisation,
            changes=changes,
        )
    return judgement


@transaction.atomic
def attach_evidence(*, actor: User | None, judgement: Judgement, upload: File) -> Attachment:
    """Attach a file (PDF, PNG, JPEG, DOCX or XLSX) to a judgement's evidence: the assigned reviewer,
    while the review is open, as for judging. The file's type is checked from its bytes."""
    review = Review.objects.select_for_update().get(pk=judgement.review_id)
    _require_reviewer(actor, review)
    if attachments_of(judgement).count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": f"At most {MAX_ATTACHMENTS} files per judgement."})
    return file_services.attach_file(
        actor=actor,
        organisation=review.organisation,
        owner=judgement,
        upload=upload,
        allowed_types=EVIDENCE_FILE_TYPES,
        permission=None,  # checked above: judging is for the assigned reviewer alone
    )


@transaction.atomic
def submit_review(*, actor: User | None, review: Review, recommendation: str, summary: str = "") -> Review:
    """The reviewer's overall recommendation; the review is then closed to changes."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _require_reviewer(actor, review)
    errors: dict[str, str] = {}
    if recommendation not in Recommendation.values:
        errors["recommendation"] = f"Choose a recommendation: {', '.join(Recommendation.labels)}."
    if not isinstance(summary, str) or len(summary) > MAX_TEXT:
        errors["summary"] = f"Give text of at most {MAX_TEXT} characters."
    if not review.judgements.exists():
        errors["judgements"] = "Record at least one judgement before submitting."
    if errors:
        raise ValidationError(errors)
    before = snapshot(review, ("status", "recommendation", "summary", "submitted_at"))
    review.status, review.recommendation, review.summary = (
        ReviewStatus.SUBMITTED,
        recommendation,
        summary.strip(),
    )
    review.submitted_at = timezone.now()
    review.save(update_fields=["status", "recommendation", "summary", "submitted_at"])
    record_event(
        actor=actor,
        action="reviews.review_submitted",
        obj=review,
        organisation=review.organisation,
        changes=field_changes(
            before, snapshot(review, ("status", "recommendation", "summary", "submitted_at"))
        ),
    )
    return review
