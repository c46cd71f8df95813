"""The interactive API docs: Swagger UI with its start-up script served apart (no inline script)."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import HttpResponse
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.request import Request


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI; its script comes from `?script`, so the page needs no inline script."""

    def options(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        """Say which methods the page answers: DRF's metadata has no HTML template to render."""
        return HttpResponse(status=200, headers={"Allow": "GET, HEAD, OPTIONS"})


# Swagger UI's page carries a small <style> element and the library styles elements as it
# renders: the one page whose policy allows inline styles. Scripts stay 'self' only.
docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(DocsView.as_view(url_name="api:schema"))
