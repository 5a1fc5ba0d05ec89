"""The REST API under /api/: resources, token sign-in, the OpenAPI schema and its documentation.

The documentation page (Swagger UI) is served from this site's own static files (drf-spectacular-sidecar),
with its script loaded from a separate URL, so it needs no CDN and no inline script.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from credence.audit.api import AuditEventViewSet
from credence.microcredentials.api import MicroCredentialViewSet, VersionViewSet
from credence.organisations.api import MembershipViewSet, ObtainTokenView, OrganisationViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # no `.json` URLs; `?format=json` still works


router = Router()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("micro-credentials", MicroCredentialViewSet, basename="micro-credential")
router.register("versions", VersionViewSet, basename="version")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
