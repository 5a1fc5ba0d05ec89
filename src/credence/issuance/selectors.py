"""Reads of issued credentials and issuer identities.

Staff with `issuance.view_credentials` in an organisation see its credentials; a learner sees their
own through the secret claim token; the public sees only DID documents and status lists, which hold
no personal data.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from credence.errors import NotVisible
from credence.organisations.authorization import can, organisation_ids_of
from credence.organisations.models import Organisation

from .models import CredentialState, IssuedCredential, IssuerKey, IssueRun, StatusList, StatusPurpose


class _Owned:
    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id


def organisations_issuing_for(user: Any) -> list[int] | None:
    """Ids of the organisations whose credentials `user` may see; None means all (platform admin)."""
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    return [pk for pk in organisation_ids_of(user) if can(user, "issuance.view_credentials", _Owned(pk))]


def credentials_visible_to(user: Any) -> QuerySet[IssuedCredential]:
    queryset = IssuedCredential.objects.select_related(
        "organisation", "learner", "offering", "version__micro_credential", "key"
    ).defer("signed_json")
    allowed = organisations_issuing_for(user)
    return queryset if allowed is None else queryset.filter(organisation_id__in=allowed)


def get_credential(user: Any, pk: int) -> IssuedCredential:
    found = credentials_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such credential.")
    return found


def credential_by_uuid(user: Any, value: str) -> IssuedCredential:
    found = credentials_visible_to(user).filter(uuid=value).first()
    if found is None:
        raise NotVisible("No such credential.")
    return found


def get_issue_run(user: Any, pk: int) -> IssueRun:
    allowed = organisations_issuing_for(user)
    queryset = IssueRun.objects.select_related("offering", "organisation").defer("rows")
    if allowed is not None:
        queryset = queryset.filter(organisation_id__in=allowed)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotVisible("No such issue run.")
    return found


def credential_for_claim(token: str) -> IssuedCredential:
    """The learner's own credential, found by the secret token in their claim link."""
    found = (
        IssuedCredential.objects.select_related("organisation", "learner", "version__micro_credential")
        .filter(claim_token=token)
        .first()
        if token
        else None
    )
    if found is None:
        raise NotVisible("No such credential.")
    return found


def credentials_of_offering(user: Any, offering_id: int) -> QuerySet[IssuedCredential]:
    return (
        credentials_visible_to(user)
        .filter(offering_id=offering_id)
        .order_by("learner__name", "learner__email")
    )


def issuer_keys_of(organisation: Organisation) -> QuerySet[IssuerKey]:
    return (
        IssuerKey.objects.filter(organisation=organisation)
        .order_by("created_at")
        .defer("encrypted_private_key")
    )


def did_document(organisation: Organisation) -> dict[str, Any] | None:
    """The organisation's did:web document: every key it ever signed with, so retired keys still verify."""
    keys = list(issuer_keys_of(organisation))
    if not keys:
        return None
    did = keys[-1].did
    methods = [
        {
            "id": f"{did}#{key.public_key_multibase}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "alsoKnownAs": [key.did_key for key in keys],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def organisation_by_slug(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise NotVisible("No such organisation.")
    return found


def status_list(organisation: Organisation, purpose: str) -> StatusList:
    if purpose not in StatusPurpose.values:
        raise NotVisible("No such status list.")
    found = (
        StatusList.objects.filter(organisation=organisation, purpose=purpose).exclude(signed_json="").first()
    )
    if found is None:
        raise NotVisible("No such status list.")
    return found


def issuing_summary(user: Any) -> QuerySet[Any]:
    """Per micro-credential: credentials issued, claimed, revoked and verified (the analytics table)."""
    return (
        credentials_visible_to(user)
        .values("organisation__name", "version__micro_credential__code", "version__title")
        .annotate(
            # distinct: the join to verifications repeats each credential once per verification
            issued=Count("pk", distinct=True),
            claimed=Count("pk", filter=Q(claimed_at__isnull=False), distinct=True),
            revoked=Count("pk", filter=Q(state=CredentialState.REVOKED), distinct=True),
            suspended=Count("pk", filter=Q(state=CredentialState.SUSPENDED), distinct=True),
            verified=Count("verifications", distinct=True),
        )
        .order_by("organisation__name", "version__micro_credential__code", "version__title")
    )


def verification_referrers(user: Any) -> QuerySet[Any]:
    """Where verifications of the user's organisations' credentials came from (the sites people shared
    them on), most first."""
    from .models import VerificationEvent

    allowed = organisations_issuing_for(user)
    queryset = VerificationEvent.objects.filter(credential__isnull=False)
    if allowed is not None:
        queryset = queryset.filter(credential__organisation_id__in=allowed)
    return (
        queryset.values("credential__version__micro_credential__code", "referrer")
        .annotate(count=Count("pk"))
        .order_by("-count", "referrer")[:20]
    )


def key_holdings(user: Any) -> list[tuple[Organisation, list[IssuerKey], bool]]:
    """For the Credentials page: each organisation whose credentials the user sees, its keys (public
    halves), and whether the user may rotate them."""
    allowed = organisations_issuing_for(user)
    organisations = (
        Organisation.objects.all() if allowed is None else Organisation.objects.filter(pk__in=allowed)
    )
    found = []
    for organisation in organisations.order_by("name"):
        keys = list(issuer_keys_of(organisation))
        if keys or allowed is not None:
            found.append((organisation, keys, can(user, "issuance.manage_keys", organisation)))
    return found
