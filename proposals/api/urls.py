"""URLs of /api/v1/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from proposals.api import bulk, source_views, views
from proposals.api.docs import docs_view
from webhooks.api.views import WebhookViewSet

app_name = "api"


class APIRootView(routers.APIRootView):
    """The list of the API's endpoints."""

    def get_view_name(self) -> str:
        return "API root"


router = DefaultRouter(use_regex_path=True)
router.APIRootView = APIRootView
router.include_format_suffixes = False
router.register("statuses", views.StatusViewSet, basename="status")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("changes", views.ChangeViewSet, basename="change")
router.register("citations", views.CitationViewSet, basename="citation")
router.register("sources", source_views.SourceViewSet, basename="source")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    path("transitions/bulk/", bulk.BulkTransitionsView.as_view(), name="transitions-bulk"),
    path("", include(router.urls)),
    # Any other path ending in a slash: a JSON 404.
    re_path(r"^[\s\S]*/\Z", views.NotFoundView.as_view(), name="not-found"),
    # Any path without its trailing slash: JSON (a 308 to the slashed address, or a 404) rather
    # than CommonMiddleware's APPEND_SLASH, which only steps in for paths that resolve to nothing.
    re_path(r"^[\s\S]*[^/]\Z", views.MissingSlashView.as_view(), name="missing-slash"),
]
