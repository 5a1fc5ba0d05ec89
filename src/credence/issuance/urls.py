from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "issuance"

urlpatterns: list[URLPattern | URLResolver] = [
    # public: issuer identities, status lists, verification, the learner's claim page
    path("issuers/<slug:slug>/did.json", views.did_document, name="did_document"),
    path("issuers/<slug:slug>/status/<slug:purpose>", views.status_list, name="status_list"),
    path("verify/", views.verify, name="verify"),
    path("credentials/claim/<str:token>/", views.claim, name="claim"),
    path("credentials/claim/<str:token>/credential.json", views.claim_download, name="claim_download"),
    path("credentials/claim/<str:token>/credential.jwt", views.claim_jwt, name="claim_jwt"),
    path("credentials/claim/<str:token>/certificate.pdf", views.claim_certificate, name="claim_certificate"),
    # staff
    path("credentials/", views.credential_index, name="index"),
    path("credentials/offerings/<int:pk>/", views.offering_detail, name="offering"),
    path("credentials/offerings/<int:pk>/issue/", views.offering_issue, name="offering_issue"),
    path("credentials/runs/<int:pk>/", views.issue_run, name="run"),
    path("credentials/keys/<slug:slug>/rotate/", views.rotate_key, name="rotate_key"),
    path("credentials/<int:pk>/", views.credential_detail, name="detail"),
    path("credentials/<int:pk>/status/", views.credential_status, name="status"),
]
