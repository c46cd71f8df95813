"""API permissions: anyone reads, editors write."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, IsAuthenticatedOrReadOnly
from rest_framework.request import Request

from proposals.roles import is_editor


class IsEditorOrReadOnly(IsAuthenticatedOrReadOnly):
    """Allow reads to anyone and writes to members of the Editors group.

    A refinement of IsAuthenticatedOrReadOnly (an editor is authenticated), which also tells
    the schema generator that reads need no credentials.
    """

    message = "Only editors may change the tracker."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or is_editor(request.user)
