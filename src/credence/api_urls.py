"""The REST API under /api/: resources, token sign-in, the OpenAPI schema and its documentation.

The documentation page (Swagger UI) is served from this site's own static files (drf-spectacular-sidecar),
with its script loaded from a separate URL, so it needs no CDN and no inline script.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from credence.audit.api import AuditEventViewSet
from credence.catalogue import api as catalogue_api
from credence.comments import api as comments_api
from credence.committees import api as committees_api
from credence.frameworks import api as frameworks_api
from credence.integrations import api as integrations_api
from credence.interop import api as interop_api
from credence.issuance import api as issuance_api
from credence.microcredentials.api import MicroCredentialViewSet, VersionViewSet
from credence.monitoring import api as monitoring_api
from credence.notifications import api as notifications_api
from credence.organisations.api import MembershipViewSet, ObtainTokenView, OrganisationViewSet
from credence.register import api as register_api
from credence.reviews import api as reviews_api
from credence.workflows import api as workflows_api

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # no `.json` URLs; `?format=json` still works


router = Router()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("micro-credentials", MicroCredentialViewSet, basename="micro-credential")
router.register("versions", VersionViewSet, basename="version")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
APP_APIS = (
    frameworks_api,
    reviews_api,
    register_api,
    issuance_api,
    monitoring_api,
    interop_api,
    notifications_api,
    comments_api,
    workflows_api,
    committees_api,
    catalogue_api,
    integrations_api,
)
for app_api in APP_APIS:
    for prefix, viewset, basename in app_api.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
