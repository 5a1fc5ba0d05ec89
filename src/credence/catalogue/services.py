"""Every write of the catalogue: keeping the search entries current, ratings, their moderation and
the rating tokens providers hand to enrolled learners."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from credence.audit.services import field_changes, record_event
from credence.microcredentials.models import (
    CreditSystem,
    MicroCredential,
    MicroCredentialVersion,
    PathwayKind,
    VersionStatus,
)
from credence.microcredentials.vocabularies import isced_fields
from credence.organisations.authorization import require
from credence.organisations.models import User

from . import cache as catalogue_cache
from .models import QAStatus, Rating, RatingStatus, RatingToken, SearchEntry

SEARCH_CONFIG = "english"
RATINGS_PER_DAY = 5
RATING_TEXT_LIMIT = 2000
REPLY_LIMIT = 2000

# How many ECTS credits one credit of each system is worth, roughly (for the credit-range facet only).
ECTS_PER_CREDIT: dict[str, Decimal] = {
    CreditSystem.ECTS: Decimal(1),
    CreditSystem.NZQF: Decimal("0.33"),
    CreditSystem.UK: Decimal("0.5"),
    CreditSystem.US_CREDIT_HOURS: Decimal(2),
    CreditSystem.CEU: Decimal("0.33"),
}
# Words that keep a rating out of the catalogue; the moderation policy page says so.
BLOCKED_WORDS = frozenset({"fuck", "shit", "cunt", "bitch", "bastard", "idiot", "scam"})


def credit_band(system: str, credits: Decimal | None) -> str:
    if credits is None or system not in ECTS_PER_CREDIT:
        return ""
    ects = credits * ECTS_PER_CREDIT[system]
    if ects < 1:
        return "lt1"
    if ects < 5:
        return "1-4"
    if ects < 10:
        return "5-9"
    if ects < 15:
        return "10-14"
    return "15+"


def hours_band(hours: int | None) -> str:
    if hours is None:
        return ""
    for limit, band in ((25, "lt25"), (50, "25-49"), (100, "50-99"), (200, "100-199")):
        if hours < limit:
            return band
    return "200+"


def fee_band(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    if amount == 0:
        return "free"
    for limit, band in ((100, "lt100"), (500, "100-499"), (1000, "500-999")):
        if amount < limit:
            return band
    return "1000+"


def _qa_status(micro_credential: MicroCredential, version: MicroCredentialVersion, today: dt.date) -> str:
    from credence.register.models import ReportedProvision
    from credence.reviews.models import Review, ReviewStatus

    due = version.next_review_date
    due_from_monitoring = _next_review_due(micro_credential)
    if due_from_monitoring is not None:
        due = due_from_monitoring
    if due is not None and due < today:
        return QAStatus.REVIEW_OVERDUE
    in_review = (
        micro_credential.versions.filter(status=VersionStatus.IN_REVIEW).exists()
        or Review.objects.filter(version=version, status=ReviewStatus.OPEN).exists()
    )
    if in_review:
        return QAStatus.UNDER_REVIEW
    provisions = ReportedProvision.objects.filter(
        micro_credential=micro_credential, report__withdrawn_at__isnull=True, report__valid_from__lte=today
    ).select_related("report")
    if any(p.report.valid_to_calculated >= today for p in provisions):
        return QAStatus.EXTERNALLY_ACCREDITED
    if Review.objects.filter(version=version, status=ReviewStatus.SUBMITTED).exists():
        return QAStatus.INTERNALLY_REVIEWED
    return QAStatus.NOT_RECORDED


def _next_review_due(micro_credential: MicroCredential) -> dt.date | None:
    """From the monitoring app's review schedules, when it provides them."""
    try:
        from credence.monitoring import selectors as monitoring_selectors
    except ImportError:  # pragma: no cover - monitoring is always installed
        return None
    due = getattr(monitoring_selectors, "next_review_due", None)
    return due(micro_credential) if callable(due) else None


def _search_parts(version: MicroCredentialVersion) -> tuple[str, str, str]:
    """The texts search matches, by weight: title (A), description (B), the rest (C)."""
    organisation = version.micro_credential.organisation
    outcomes = list(version.learning_outcomes.all())
    skills = [str(s.get("label", "")) for o in outcomes for s in (o.skills or []) if isinstance(s, dict)]
    field_name = isced_fields().get(version.field_of_study, "")
    a = version.title
    b = " ".join([version.summary, version.target_learners, *(o.text for o in outcomes)])
    c = " ".join(
        [
            organisation.name,
            organisation.name_english,
            organisation.acronym,
            version.micro_credential.code,
            field_name,
            *skills,
        ]
    )
    return a, b, c


def refresh_entry(micro_credential: MicroCredential) -> SearchEntry | None:
    """Make the micro-credential's search entry match its published version (or remove it)."""
    micro_credential = MicroCredential.objects.select_related("organisation").get(pk=micro_credential.pk)
    published_id = micro_credential.published_version_id
    version = (
        MicroCredentialVersion.objects.filter(pk=published_id)
        .select_related("micro_credential__organisation")
        .prefetch_related("learning_outcomes", "pathways")
        .first()
        if published_id is not None
        else None
    )
    if version is None or version.status != VersionStatus.PUBLISHED:
        SearchEntry.objects.filter(micro_credential=micro_credential).delete()
        catalogue_cache.bump()
        return None
    organisation = micro_credential.organisation
    seat = organisation.locations.filter(is_legal_seat=True).first() or organisation.locations.first()
    today = timezone.localdate()
    a, b, c = _search_parts(version)
    values = {
        "version": version,
        "organisation": organisation,
        "code": micro_credential.code,
        "title": version.title,
        "summary": version.summary[:400],
        "provider_slug": organisation.slug,
        "provider_name": str(organisation),
        "provider_kind": organisation.kind,
        "country": seat.country if seat else "",
        "field_of_study": version.field_of_study,
        "eqf_level": version.eqf_level,
        "credit_system": version.credit_system,
        "credits": version.credits,
        "credit_band": credit_band(version.credit_system, version.credits),
        "notional_hours": version.notional_hours,
        "hours_band": hours_band(version.notional_hours),
        "form_of_participation": version.form_of_participation,
        "language": (version.languages or [""])[0],
        "fee_amount": version.fee_amount,
        "fee_currency": version.fee_currency,
        "fee_band": fee_band(version.fee_amount),
        "assessment_certification": version.assessment_certification,
        "stackable": any(p.kind != PathwayKind.PRIOR_LEARNING for p in version.pathways.all()),
        "qa_status": _qa_status(micro_credential, version, today),
        "published_at": version.published_at,
        "next_review_date": version.next_review_date,
        # Only SQLite searches this; on PostgreSQL it stays empty, keeping the rows narrow to scan.
        "search_text": "" if connection.vendor == "postgresql" else " ".join([a, b, c]).lower(),
    }
    entry, _ = SearchEntry.objects.update_or_create(micro_credential=micro_credential, defaults=values)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE catalogue_searchentry SET search_vector = "
                "setweight(to_tsvector(%s::regconfig, %s), 'A') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'B') || "
                "setweight(to_tsvector(%s::regconfig, %s), 'C') WHERE micro_credential_id = %s",
                [SEARCH_CONFIG, a, SEARCH_CONFIG, b, SEARCH_CONFIG, c, micro_credential.pk],
            )
    catalogue_cache.bump()
    return entry


def rebuild_catalogue(*, actor: User | None) -> int:
    """Refresh every entry (after an import, or nightly so that 'review overdue' follows the calendar)."""
    if actor is not None:
        require(actor, "catalogue.rebuild", None)
    count = 0
    with transaction.atomic():
        SearchEntry.objects.exclude(
            micro_credential__published_version__status=VersionStatus.PUBLISHED
        ).delete()
        for micro_credential in MicroCredential.objects.filter(
            published_version__status=VersionStatus.PUBLISHED
        ).iterator(chunk_size=500):
            if refresh_entry(micro_credential) is not None:
                count += 1
        record_event(
            actor=actor,
            action="catalogue.rebuilt",
            object_type="catalogue.searchentry",
            object_id="*",
            object_label="Catalogue search index",
            changes={"entries": [None, count]},
        )
    return count


# --- ratings -------------------------------------------------------------------------------------------


def holds_credential(user: User, micro_credential: MicroCredential) -> bool:
    """The signed-in person holds a valid credential for it (matched by the learner's e-mail address)."""
    from credence.issuance.models import CredentialState, IssuedCredential

    if not user.is_authenticated or not user.email:
        return False
    return IssuedCredential.objects.filter(
        version__micro_credential=micro_credential,
        learner__email__iexact=user.email,
        state=CredentialState.ACTIVE,
    ).exists()


def _abuse_problem(text: str) -> str | None:
    lowered = text.lower()
    if re.search(r"https?://|www\.", lowered):
        return "Leave out web addresses: reviews are about the learning, not links."
    if set(re.findall(r"[a-z]+", lowered)) & BLOCKED_WORDS:
        return "Keep it civil: the text uses words our moderation policy does not publish."
    if re.search(r"(.)\1{9,}", text):
        return "The text repeats one character many times."
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 20 and sum(ch.isupper() for ch in letters) / len(letters) > 0.7:
        return "Please do not write in capitals."
    return None


@transaction.atomic
def submit_rating(
    *,
    actor: User,
    micro_credential: MicroCredential,
    stars: int | str,
    text: str = "",
    token: str = "",
) -> Rating:
    """A learner's rating: holders of a valid credential, or an enrolled learner with a provider's token.
    It waits for the provider's moderation before it is shown."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Sign in to rate a micro-credential.")
    errors: dict[str, str] = {}
    try:
        star_count = int(stars)
    except (TypeError, ValueError):
        star_count = 0
    if not 1 <= star_count <= 5:
        errors["stars"] = "Give from 1 to 5 stars."
    text = (text or "").strip()
    if len(text) > RATING_TEXT_LIMIT:
        errors["text"] = f"At most {RATING_TEXT_LIMIT} characters (this has {len(text)})."
    elif text and (problem := _abuse_problem(text)):
        errors["text"] = problem
    token_row: RatingToken | None = None
    basis = ""
    if holds_credential(actor, micro_credential):
        basis = "credential"
    elif token:
        token_row = (
            RatingToken.objects.select_for_update()
            .filter(token=token.strip()[:64], micro_credential=micro_credential, used_at__isnull=True)
            .first()
        )
        if token_row is None:
            errors["token"] = "This token is not valid for this micro-credential, or it has been used."
        else:
            basis = "token"
    else:
        raise PermissionDenied(
            "Only people who hold this credential, or learners with a rating token from the provider, may rate it."
        )
    if Rating.objects.filter(micro_credential=micro_credential, author=actor).exists():
        errors["__all__"] = "You have already rated this micro-credential."
    since = timezone.now() - dt.timedelta(days=1)
    if Rating.objects.filter(author=actor, created_at__gte=since).count() >= RATINGS_PER_DAY:
        errors["__all__"] = f"At most {RATINGS_PER_DAY} ratings a day; please come back tomorrow."
    if errors:
        raise ValidationError(errors)
    rating = Rating.objects.create(
        micro_credential=micro_credential, author=actor, stars=star_count, text=text, basis=basis
    )
    if token_row is not None:
        token_row.used_by = actor
        token_row.used_at = timezone.now()
        token_row.save(update_fields=["used_by", "used_at"])
    record_event(
        actor=actor,
        action="rating.submitted",
        obj=rating,
        organisation=micro_credential.organisation,
        changes=field_changes({}, {"stars": star_count, "text": text, "basis": basis}),
    )
    return rating


@transaction.atomic
def moderate_rating(*, actor: User, rating: Rating, publish: bool, note: str = "") -> Rating:
    require(actor, "catalogue.moderate_ratings", rating)
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"moderation_note": "At most 500 characters."})
    if not publish and not note:
        raise ValidationError({"moderation_note": "Say which rule of the moderation policy it breaks."})
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    old = rating.status
    rating.status = RatingStatus.PUBLISHED if publish else RatingStatus.REJECTED
    rating.moderated_by = actor
    rating.moderated_at = timezone.now()
    rating.moderation_note = note
    rating.save(update_fields=["status", "moderated_by", "moderated_at", "moderation_note"])
    record_event(
        actor=actor,
        action="rating.published" if publish else "rating.rejected",
        obj=rating,
        organisation=rating.micro_credential.organisation,
        changes={"status": [old, rating.status], **({"moderation_note": [None, note]} if note else {})},
    )
    catalogue_cache.bump()
    return rating


@transaction.atomic
def reply_to_rating(*, actor: User, rating: Rating, reply: str) -> Rating:
    require(actor, "catalogue.moderate_ratings", rating)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": "Write the reply."})
    if len(reply) > REPLY_LIMIT:
        raise ValidationError({"reply": f"At most {REPLY_LIMIT} characters (this has {len(reply)})."})
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    old = rating.reply
    rating.reply = reply
    rating.replied_at = timezone.now()
    rating.save(update_fields=["reply", "replied_at"])
    record_event(
        actor=actor,
        action="rating.replied",
        obj=rating,
        organisation=rating.micro_credential.organisation,
        changes={"reply": [old or None, reply]},
    )
    return rating


@transaction.atomic
def create_rating_tokens(*, actor: User, micro_credential: MicroCredential, count: int) -> list[RatingToken]:
    """One-use tokens for enrolled learners (to be handed out by the provider, e.g. in a course e-mail)."""
    require(actor, "catalogue.moderate_ratings", micro_credential)
    if not isinstance(count, int) or not 1 <= count <= 500:
        raise ValidationError({"count": "Create from 1 to 500 tokens at a time."})
    if micro_credential.published_version_id is None:
        raise ValidationError({"micro_credential": "Only a published micro-credential can be rated."})
    tokens = RatingToken.objects.bulk_create(
        [
            RatingToken(micro_credential=micro_credential, token=secrets.token_urlsafe(18), created_by=actor)
            for _ in range(count)
        ]
    )
    record_event(
        actor=actor,
        action="rating_tokens.created",
        obj=micro_credential,
        organisation=micro_credential.organisation,
        changes={"rating_tokens": [None, count]},
    )
    return tokens
