"""URLs of the public site."""

from django.urls import path

from proposals.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal-detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor-detail"),
]
