"""
Views of /api/v1/sources/: reading sources, bringing new ones in, correcting their texts.

Thin, as the other views: the body is parsed (JSON or multipart, up to 25 MB here), one service
of proposals.sources is called, its domain errors become HTTP in proposals.api.exceptions.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from proposals import selectors, sources
from proposals.api import conditional
from proposals.api import serializers as api_serializers
from proposals.api.csv import CSVListMixin
from proposals.api.parsers import SourceJSONParser, SourceMultiPartParser
from proposals.api.permissions import IsEditorOrReadOnly
from proposals.api.schema import (
    CSV_LIST,
    DETAIL,
    IF_NONE_MATCH,
    LIST_HEADERS,
    WRITE,
    csv_list_responses,
    error_responses,
)
from proposals.api.views import APIViewSetMixin
from proposals.models import Source
from proposals.roles import is_editor

SOURCE_ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 304],
    description="The source's version, quoted, with the language of the body unless it is "
    'English: `"3"`, `"3-ja"`. Every edit of its details and every revision of its text moves '
    "it on.",
)
SOURCE_IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The source\'s ETag you read (GET the source), such as `"3"`: without it 428, '
    "stale 412, not an ETag of this API 400.",
)
SOURCE_WRITE = (*WRITE, 409)
MULTIPART = "multipart/form-data"


def upload_of(validated: dict[str, Any]) -> sources.Upload | None:
    """Take the uploaded file out of a validated body, read whole (the services cap its size)."""
    uploaded = validated.pop("file", None)
    if uploaded is None:
        return None
    content = uploaded.read(sources.UPLOAD_MAX_BYTES + 1)
    return sources.Upload(
        name=uploaded.name or "upload",
        content=content,
        content_type=getattr(uploaded, "content_type", None),
    )


class IsEditor(IsEditorOrReadOnly):
    """Editors only, reads included: a source's original file is for editors."""

    message = "Only editors may download the original files of sources."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_editor(request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List sources (without their text)",
        parameters=[*CSV_LIST, *LIST_HEADERS],
        responses=csv_list_responses(api_serializers.SourceSerializer),
    ),
    retrieve=extend_schema(
        summary="A source with its full text and its revisions",
        parameters=[IF_NONE_MATCH, SOURCE_ETAG_HEADER],
        responses={200: api_serializers.SourceDetailSerializer, **error_responses(304, *DETAIL)},
    ),
    create=extend_schema(
        summary="Bring in a new source (editors)",
        description="JSON with the document's `text`, or multipart/form-data with the document "
        "as `file` (.txt, .html or .pdf, at most 20 MB) and the other fields as form fields. "
        "The text (pasted or extracted) is normalised (Unicode NFC, `\\n` line ends) and hashed "
        "(sha256); at most 2,000,000 characters. Bodies up to 25 MB here (the rest of the API: "
        "2.5 MB); over the limits 413. The same text twice is 409, naming the source that "
        "holds it in `slug`. An empty or unreadable text, a PDF without a text layer (it needs "
        "OCR first), a wrong file type or a bad date is 400.",
        request={
            "application/json": api_serializers.SourceCreateSerializer,
            MULTIPART: api_serializers.SourceCreateSerializer,
        },
        parameters=[SOURCE_ETAG_HEADER],
        responses={201: api_serializers.SourceCreatedSerializer, **error_responses(*SOURCE_WRITE)},
    ),
    partial_update=extend_schema(
        summary="Change a source's descriptive fields (editors)",
        description="Not its text: that changes through a revision. Each edit is recorded.",
        request=api_serializers.SourceUpdateSerializer,
        parameters=[SOURCE_IF_MATCH, SOURCE_ETAG_HEADER],
        responses={
            200: api_serializers.SourceCreatedSerializer,
            **error_responses(*WRITE, 404, 412, 428),
        },
    ),
    revisions=extend_schema(
        summary="Correct a source's text: a new revision (editors)",
        description="The corrected text as `text` (JSON) or `file` (multipart), with a `note`. "
        "Every citation of the source is anchored again, with one outcome each: `exact` (same "
        "place), `relocated` (found once elsewhere, or picked by its prefix and suffix: its "
        "offsets move, its words never), `ambiguous` (found more than once and its context "
        "cannot pick) or `orphaned` (its words are gone). Ambiguous and orphaned citations stay "
        "on their revision, marked by `anchor_status`. `dry_run: true` answers 200 and changes "
        "nothing; otherwise 201.",
        request={
            "application/json": api_serializers.RevisionCreateSerializer,
            MULTIPART: api_serializers.RevisionCreateSerializer,
        },
        parameters=[SOURCE_IF_MATCH, SOURCE_ETAG_HEADER],
        responses={
            200: api_serializers.RevisionResultSerializer,
            201: api_serializers.RevisionResultSerializer,
            **error_responses(*SOURCE_WRITE, 404, 412, 428),
        },
    ),
    original=extend_schema(
        summary="The file a revision's text was read from (editors)",
        description="As uploaded; `revision` (by default the current one) says which.",
        parameters=[OpenApiParameter("revision", OpenApiTypes.INT, OpenApiParameter.QUERY)],
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            **error_responses(400, 401, 403, 404, 429),
        },
    ),
)
class SourceViewSet(
    CSVListMixin,
    APIViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The source documents (only the detail carries the full text); editors bring new ones
    in and correct their texts through revisions."""

    parser_classes = [SourceJSONParser, SourceMultiPartParser]
    csv_actions = {"list": "sources"}
    serializer_classes = {
        "list": api_serializers.SourceSerializer,
        "retrieve": api_serializers.SourceDetailSerializer,
        "create": api_serializers.SourceCreateSerializer,
        "partial_update": api_serializers.SourceUpdateSerializer,
        "revisions": api_serializers.RevisionCreateSerializer,
    }

    def get_queryset(self) -> QuerySet[Source]:
        if self.action == "retrieve":
            return selectors.source_detail()
        return selectors.sources_without_text()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return self.serializer_classes.get(self.action, api_serializers.SourceSerializer)

    def get_parsers(self) -> list[Any]:
        if getattr(self, "action", None) == "partial_update":
            return [SourceJSONParser()]
        return super().get_parsers()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        etag = conditional.etag(source.version)
        if conditional.not_modified(request, source.version):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(self.get_serializer(source).data, headers={"ETag": etag})

    def source_response(self, source: Source, *, status_code: int) -> Response:
        data = api_serializers.SourceCreatedSerializer(
            source, context=self.get_serializer_context()
        ).data
        headers = {"ETag": conditional.etag(source.version)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = data["url"]
        return Response(data, status=status_code, headers=headers)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        validated = dict(serializer.validated_data)
        upload = upload_of(validated)
        source = sources.create_source(upload=upload, user=request.user, **validated)
        return self.source_response(source, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        # The body first: a request that is malformed is a 400 whatever its If-Match says.
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        expected = conditional.expected_version(request, source.version)
        updated = sources.update_source(
            source=source,
            expected_version=expected,
            user=request.user,
            **serializer.validated_data,
        )
        return self.source_response(updated, status_code=status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def revisions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        source = self.get_object()
        # The body first: a request that is malformed is a 400 whatever its If-Match says.
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        expected = conditional.expected_version(request, source.version)
        validated = dict(serializer.validated_data)
        result = sources.revise_source(
            source=source,
            note=validated["note"],
            text=validated.get("text"),
            upload=upload_of(validated),
            dry_run=validated["dry_run"],
            expected_version=expected,
            user=request.user,
        )
        data = api_serializers.RevisionResultSerializer(result).data
        code = status.HTTP_201_CREATED if result.applied else status.HTTP_200_OK
        return Response(
            data, status=code, headers={"ETag": conditional.etag(result.source.version)}
        )

    @action(detail=True, methods=["get"], permission_classes=[IsEditor])
    def original(self, request: Request, *args: Any, **kwargs: Any) -> FileResponse:
        source = self.get_object()
        raw = request.query_params.get("revision", "")
        if raw and not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            raise ValidationError({"revision": ["Expected a revision number (1, 2, …)."]})
        number = int(raw) if raw else source.revision
        revision = selectors.revision_of(source, number)
        if revision is None or not revision.original_file:
            raise NotFound(f"Revision {number} of this source has no uploaded file.")
        return FileResponse(
            revision.original_file.open("rb"),
            as_attachment=True,
            filename=revision.original_name or None,
        )
