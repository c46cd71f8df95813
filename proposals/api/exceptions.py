"""
One exception handler for the API: domain errors and Django's own become JSON.

Unexpected exceptions are not caught here: they are bugs and must surface as such.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from proposals import bulk, errors
from webhooks.errors import DeliveryInProgress

DOMAIN_STATUS_CODES: dict[type[errors.DomainError], int] = {
    bulk.BulkTooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    errors.StaleVersion: status.HTTP_412_PRECONDITION_FAILED,
    errors.StaleSource: status.HTTP_412_PRECONDITION_FAILED,
    errors.CitationInUse: status.HTTP_409_CONFLICT,
    errors.EvidenceIsFixed: status.HTTP_409_CONFLICT,
    DeliveryInProgress: status.HTTP_409_CONFLICT,
    errors.DuplicateSource: status.HTTP_409_CONFLICT,
    errors.TooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}


class PreconditionRequired(APIException):
    """A write that needs the ETag the client saw, sent without one."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        "Send the ETag you read (GET the proposal) in an If-Match header."
    )
    default_code = "precondition_required"


class MalformedPrecondition(APIException):
    """An If-Match header that is not a list of the API's ETags: a client's mistake (400).

    A stale or weak ETag is a 412 (reload and retry); a value that is no ETag at all would stay
    wrong however often the client reloads.
    """

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy(
        'If-Match must list ETags as this API sends them, such as "7" or "7-ja" (the ETag '
        "header of the GET you read)."
    )
    default_code = "malformed_if_match"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail)
        self.detail = {"detail": self.detail, "code": self.default_code}


class PreconditionFailed(APIException):
    """An If-Match header that names no current version: `{detail, code, current_version}`."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy("If-Match does not match the current ETag; reload and try again.")
    default_code = "stale_version"

    def __init__(self, detail: str | None = None, *, current_version: int) -> None:
        super().__init__(detail)
        self.detail = {
            "detail": self.detail,
            "code": self.default_code,
            "current_version": current_version,
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


# Model constraints span several fields, so Django reports them apart from any field; these
# (by their `violation_error_code`) are about the one field a client should change.
CONSTRAINT_FIELDS: dict[str, str] = {
    "ordinal_with_group": "ordinal",
    "ordinal_taken": "ordinal",
}


def _constraint_errors_to_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    """Return the messages of `exc` per field, those of known constraints under their field."""
    messages: dict[str, list[str]] = {}
    for field, errors_of_field in exc.error_dict.items():
        for error in errors_of_field:
            target = field
            if field == NON_FIELD_ERRORS:
                target = CONSTRAINT_FIELDS.get(error.code or "", NON_FIELD_ERRORS)
            messages.setdefault(target, []).extend(error.messages)
    return messages


def django_validation_error_response(exc: DjangoValidationError) -> Response:
    """Render a model's `full_clean()` error: per-field messages, the rest under `detail`."""
    if hasattr(exc, "error_dict"):
        body: dict[str, Any] = dict(_constraint_errors_to_fields(exc))
        if NON_FIELD_ERRORS in body:
            body["detail"] = " ".join(body.pop(NON_FIELD_ERRORS))
        body.setdefault("detail", _("Invalid data: see the messages of each field."))
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)


# An error body names at most this many fields (or list items) at each level: a body of 140,000
# unknown keys gets a short answer, not megabytes of messages.
MAX_ERRORS = 20


def cap_errors(detail: Any, limit: int = MAX_ERRORS) -> Any:
    """Return `detail` with at most `limit` entries per mapping or list, noting what is left out."""
    if isinstance(detail, dict):
        keys = list(detail)
        capped = {key: cap_errors(detail[key], limit) for key in keys[:limit]}
        if len(keys) > limit:
            left_off = len(keys) - limit
            note = ngettext(
                "%(count)d more error left out: fix these and send again.",
                "%(count)d more errors left out: fix these and send again.",
                left_off,
            ) % {"count": left_off}
            capped["errors_left_off"] = left_off
            capped["detail"] = f"{capped['detail']} ({note})" if "detail" in capped else note
        return capped
    if isinstance(detail, list):
        capped_list = [cap_errors(item, limit) for item in detail[:limit]]
        if len(detail) > limit:
            left_off = len(detail) - limit
            capped_list.append(
                ngettext(
                    "%(count)d more error left out.", "%(count)d more errors left out.", left_off
                )
                % {"count": left_off}
            )
        return capped_list
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors, oversized bodies and model validation errors; defer the rest to DRF."""
    if isinstance(exc, errors.DomainError):
        return domain_error_response(exc)
    if isinstance(exc, RequestDataTooBig):
        # The parsers raise it with their limit in bytes; Django's form parsing (the fields of
        # a multipart body, files aside) with a message instead.
        limit = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
        if limit is None:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            detail = _("The form fields are too large (at most %(megabytes)s MB, files aside).") % {
                "megabytes": f"{limit / 1_048_576:g}"
            }
        else:
            detail = _("The request body is too large (at most %(megabytes)s MB).") % {
                "megabytes": f"{limit / 1_048_576:g}"
            }
        return Response(
            {"detail": detail, "code": "too_large", "limit": limit},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, DjangoValidationError):
        return django_validation_error_response(exc)
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = cap_errors(response.data)
    return response
