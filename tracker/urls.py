"""Top-level URLs: the public site in each language, the admin and the API."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from proposals.api.views import MissingSlashView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("proposals.api.urls")),
    # The API's root without its slash answers JSON too, like every other API path.
    re_path(r"^api/v1\Z", MissingSlashView.as_view()),
    # The language switcher posts here (Django's set_language); it remembers the choice.
    path("i18n/", include("django.conf.urls.i18n")),
]
# The site in English at /..., in Japanese at /ja/... and in Traditional Chinese at /zh-hant/...
urlpatterns += i18n_patterns(
    path("", include("proposals.site.urls")), prefix_default_language=False
)

# A database outage answers 503 with Retry-After; the API answers JSON (proposals.handlers).
handler500 = "proposals.handlers.server_error"
