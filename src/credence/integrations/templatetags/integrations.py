from __future__ import annotations

from django import template

from credence.organisations.models import Organisation

from ..sso import organisations_with_sso

register = template.Library()


@register.simple_tag
def sso_organisations() -> list[Organisation]:
    """The organisations whose people can sign in through their institution's identity provider."""
    return organisations_with_sso()
