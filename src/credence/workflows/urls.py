from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "workflows"

urlpatterns: list[URLPattern | URLResolver] = [
    path("inbox/", views.inbox, name="inbox"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/pipeline/", views.pipeline, name="pipeline"),
    path("proposals/analytics/", views.analytics, name="analytics"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/files/", views.proposal_attach, name="proposal_attach"),
    path("proposals/<int:pk>/submit/", views.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/revise/", views.proposal_revise, name="proposal_revise"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("proposals/<int:pk>/publish/", views.proposal_publish, name="proposal_publish"),
    path("stages/<int:pk>/decide/", views.stage_decide, name="stage_decide"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("workflows/templates/", views.template_list, name="templates"),
    path("workflows/templates/new/", views.template_edit, name="template_create"),
    path("workflows/templates/<int:pk>/", views.template_detail, name="template"),
    path("workflows/templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("workflows/templates/<int:pk>/activate/", views.template_activate, name="template_activate"),
]
