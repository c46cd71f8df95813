"""
One exception handler for the API: domain errors and Django's own become JSON.

Unexpected exceptions are not caught here: they are bugs and must surface as such.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from proposals import errors

DOMAIN_STATUS_CODES: dict[type[errors.DomainError], int] = {
    errors.StaleVersion: status.HTTP_412_PRECONDITION_FAILED,
    errors.CitationInUse: status.HTTP_409_CONFLICT,
}


def domain_error_response(exc: errors.DomainError) -> Response:
    """Render a domain error as `{detail, code, field?, ...extra}` with its HTTP status."""
    body: dict[str, Any] = {"detail": exc.message, "code": exc.code}
    if exc.field:
        body["field"] = exc.field
        body[exc.field] = [exc.message]
    body.update(exc.extra)
    code = DOMAIN_STATUS_CODES.get(type(exc), status.HTTP_400_BAD_REQUEST)
    return Response(body, status=code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, errors.DomainError):
        return domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": "The request body is too large (at most 2.5 MB).", "code": "too_large"},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
