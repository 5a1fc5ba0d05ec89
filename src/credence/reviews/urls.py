from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reviews"

urlpatterns: list[URLPattern | URLResolver] = [
    path("reviews/", views.review_list, name="list"),
    path("reviews/open/", views.review_open, name="open"),
    path("reviews/export.csv", views.review_export, name="export"),
    path("reviews/<int:pk>/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/judge/", views.review_judge, name="judge"),
    path("reviews/<int:pk>/submit/", views.review_submit, name="submit"),
    path("reviews/<int:pk>/checks/", views.review_run_checks, name="run_checks"),
    path("reviews/<int:pk>/report/", views.report, name="report"),
    path("reviews/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("reviews/versions/<int:version_pk>/combined/", views.combined, name="combined"),
]
