from __future__ import annotations

from typing import Any

from django import template

from credence.issuance.selectors import organisations_issuing_for

register = template.Library()


@register.filter
def issues_credentials(user: Any) -> bool:
    """Whether the top bar shows 'Credentials': the user sees some organisation's credentials."""
    return organisations_issuing_for(user) != []


@register.inclusion_tag("issuance/includes/offerings_panel.html", takes_context=True)
def credentials_panel(context: Any, micro_credential: Any) -> dict[str, Any]:
    """On a micro-credential's page, for those who issue: its offerings and how many credentials each has."""
    from django.db.models import Count

    from credence.monitoring.selectors import offerings_visible_to

    user = context.get("user")
    if user is None or not issues_credentials(user):
        return {"show": False}
    offerings = (
        offerings_visible_to(user)
        .filter(version__micro_credential=micro_credential)
        .annotate(credential_count=Count("issued_credentials", distinct=True))
    )
    return {"show": True, "offerings": list(offerings[:20]), "micro_credential": micro_credential}
