"""Top-level URLs: the public site, the admin and the API."""

from django.contrib import admin
from django.urls import include, path, re_path

from proposals.api.views import MissingSlashView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("proposals.api.urls")),
    # The API's root without its slash answers JSON too, like every other API path.
    re_path(r"^api/v1\Z", MissingSlashView.as_view()),
    path("", include("proposals.site.urls")),
]

# A database outage answers 503 with Retry-After; the API answers JSON (proposals.handlers).
handler500 = "proposals.handlers.server_error"
