from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "register"

urlpatterns: list[URLPattern | URLResolver] = [
    path("register/", views.report_search, name="reports"),
    path("register/reports/new/", views.report_record, name="record"),
    path("register/reports/<int:pk>/", views.report_detail, name="report"),
    path("register/reports/<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("register/reports/<int:pk>/files/", views.report_add_file, name="add_file"),
    path("register/providers/", views.provider_search, name="providers"),
    path("register/providers/<slug:slug>/", views.provider_detail, name="provider"),
    path("register/agencies/", views.agency_list, name="agencies"),
    path("register/agencies/<slug:slug>/", views.agency_detail, name="agency"),
    path("register/agencies/<slug:slug>/manage/", views.agency_manage, name="agency_manage"),
    path("register/jurisdictions/", views.jurisdictions, name="jurisdictions"),
]
