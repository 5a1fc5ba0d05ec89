from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "monitoring"

urlpatterns: list[URLPattern | URLResolver] = [
    path("monitoring/", views.dashboard, name="dashboard"),
    path("monitoring/micro-credentials/<int:pk>/", views.micro_credential, name="micro_credential"),
    path("monitoring/micro-credentials/<int:pk>/review/", views.start_review, name="start_review"),
    path("monitoring/micro-credentials/<int:pk>/schedule/", views.review_cadence, name="review_cadence"),
    path("monitoring/charts/<slug:key>/export.<str:fmt>", views.chart_export, name="chart"),
    path("monitoring/offerings/", views.offerings, name="offerings"),
    path("monitoring/offerings/<int:pk>/", views.offering, name="offering"),
    path("monitoring/learners/<int:pk>/erase/", views.erase_learner, name="erase_learner"),
    path("monitoring/import/", views.import_results, name="import"),
    path("monitoring/surveys/", views.surveys, name="surveys"),
    path("monitoring/surveys/<int:pk>/", views.survey, name="survey"),
    path("monitoring/comments/", views.comments, name="comments"),
    path("monitoring/flags/", views.flags, name="flags"),
    path("monitoring/thresholds/", views.thresholds, name="thresholds"),
    path("monitoring/reviews/", views.reviews, name="reviews"),
    path("monitoring/reviews/<int:pk>/", views.review, name="review"),
    path("monitoring/report/<int:year>/", views.annual_report, name="annual_report"),
    path("monitoring/report/<int:year>.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path("s/<str:token>/", views.answer, name="answer"),
]
