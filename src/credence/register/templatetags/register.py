"""`{% external_qa_for micro_credential as rows %}`: the micro-credential page's external QA panel reads the
register through this tag, so the micro-credentials app needs no knowledge of the register."""

from __future__ import annotations

from typing import Any

from django import template

from credence.register.selectors import MicroCredentialQA, external_qa_of

register = template.Library()


@register.simple_tag
def external_qa_for(micro_credential: Any) -> list[MicroCredentialQA]:
    if micro_credential is None or getattr(micro_credential, "pk", None) is None:
        return []
    return external_qa_of(micro_credential)
