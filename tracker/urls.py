"""Top-level URLs: the public site, the admin and the API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("proposals.api.urls")),
    path("", include("proposals.site.urls")),
]
