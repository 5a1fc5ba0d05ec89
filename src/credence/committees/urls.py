from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "committees"

urlpatterns: list[URLPattern | URLResolver] = [
    path("committees/", views.committee_list, name="list"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee"),
    path("committees/<slug:slug>/members/", views.seat_add, name="seat_add"),
    path("committees/<slug:slug>/members/<int:pk>/remove/", views.seat_remove, name="seat_remove"),
    path("committees/<slug:slug>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("committees/<slug:slug>/meetings.ics", views.committee_ics, name="committee_ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/allocate/", views.meeting_allocate, name="allocate"),
    path("meetings/<int:pk>/outcome/", views.meeting_outcome, name="outcome"),
    path("meetings/<int:pk>/items/<int:item_pk>/withdraw/", views.meeting_withdraw_item, name="withdraw_item"),
    path("meetings/<int:pk>/papers/", views.meeting_paper, name="paper"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="minutes"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
]
