"""URLs of the public site."""

from django.urls import path

from proposals.site import opendata, views
from proposals.site.feeds import ActorFeed, ChangesFeed, ProposalFeed, SourceFeed

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("proposals/", views.proposal_list, name="proposal-list"),
    path("proposals/<slug:slug>/", views.proposal_detail, name="proposal-detail"),
    path("proposals/<slug:slug>/feed.atom", ProposalFeed(), name="proposal-feed"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("sources/<slug:slug>/feed.atom", SourceFeed(), name="source-feed"),
    path("actors/", views.actor_list, name="actor-list"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor-detail"),
    path("actors/<slug:slug>/feed.atom", ActorFeed(), name="actor-feed"),
    path("board/", views.board, name="board"),
    path("feed/changes.atom", ChangesFeed(), name="changes-feed"),
    path("data/", opendata.data_page, name="data"),
    path("data/tracker-dataset.zip", opendata.data_zip, name="data-zip"),
]
