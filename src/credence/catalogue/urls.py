from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "catalogue"

urlpatterns: list[URLPattern | URLResolver] = [
    path("catalogue/", views.search, name="search"),
    path("catalogue/compare/", views.compare, name="compare"),
    path("catalogue/export.csv", views.export_csv, name="export"),
    path("catalogue/moderation-policy/", views.moderation_policy, name="moderation_policy"),
    path("catalogue/moderation/", views.moderation, name="moderation"),
    path("catalogue/moderation/<int:pk>/", views.moderate, name="moderate"),
    path("catalogue/rate/<int:pk>/", views.rate, name="rate"),
    path("catalogue/<slug:provider_slug>/<path:code>/", views.detail, name="detail"),
    path("providers/<slug:slug>/", views.provider, name="provider"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", views.sitemap_pages, name="sitemap_pages"),
    path("sitemap-catalogue-<int:number>.xml", views.sitemap_chunk, name="sitemap_chunk"),
]
