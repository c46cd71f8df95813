"""API permissions: anyone reads, editors write."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from proposals.roles import is_editor


class IsEditorOrReadOnly(BasePermission):
    """Allow reads to anyone and writes to members of the Editors group."""

    message = "Only editors may change the tracker."

    def has_permission(self, request: Request, view: Any) -> bool:
        return request.method in SAFE_METHODS or is_editor(request.user)
