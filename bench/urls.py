"""The benchmark's urlconf: the production URLs plus the floor views under /__floor__/."""

from django.urls import include, path

from bench import floor
from tracker import urls as tracker_urls

floor_patterns = [
    path("proposals/", floor.proposal_list, name="proposal-list"),
    path("proposals/<slug:slug>/", floor.proposal_detail, name="proposal-detail"),
    path("proposals/<slug:slug>/history/", floor.proposal_history, name="proposal-history"),
    path("site/", floor.site_home, name="site-home"),
    path("site/proposals/", floor.site_proposal_list, name="site-proposal-list"),
    path("site/proposals/<slug:slug>/", floor.site_proposal, name="site-proposal"),
    path("site/sources/<slug:slug>/", floor.site_source, name="site-source"),
    path("site/board/", floor.site_board, name="site-board"),
    path("admin/", floor.admin_changelist, name="admin-changelist"),
]

urlpatterns = [
    path("__floor__/", include((floor_patterns, "floor"))),
    # The project's own patterns, not included: i18n_patterns refuses to sit in an include.
    *tracker_urls.urlpatterns,
]
