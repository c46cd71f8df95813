"""
Views of /api/v1/: thin viewsets over the selectors (reads) and the services (writes).

Business rules live in proposals.workflow and proposals.services; errors they raise become HTTP
responses in proposals.api.exceptions. Views only parse input, call one selector or service and
render the result, with an ETag wherever a proposal is shown or written.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import (
    AuthenticationFailed,
    MethodNotAllowed,
    NotFound,
    Throttled,
    ValidationError,
)
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from proposals import selectors, services, workflow
from proposals.api import annotations, conditional
from proposals.api import serializers as api_serializers
from proposals.api.csv import CSVListMixin, wants_download
from proposals.api.filters import CitationFilter, FilterBackend, ProposalFilter
from proposals.api.parsers import JSONParser
from proposals.api.schema import (
    CSV_LIST,
    DETAIL,
    DOWNLOAD,
    ETAG_HEADER,
    IF_MATCH,
    IF_MATCH_OPTIONAL,
    IF_NONE_MATCH,
    LIST,
    LIST_HEADERS,
    PROPOSAL_ETAG_HEADER,
    READ,
    WRITE,
    csv_list_responses,
    error_responses,
)
from proposals.api.throttling import FailedAuthenticationThrottle
from proposals.models import Citation, Proposal
from proposals.routing import slug_url
from proposals.workflow import Status

SLUG_PATTERN = r"[-a-zA-Z0-9_]+"


def _loaded(model: type[Model], objects: list[Any]) -> QuerySet:
    """A queryset already holding `objects`, as a prefetch leaves one: reading it runs no query."""
    queryset = model._default_manager.none()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    return queryset


# --- Base -----------------------------------------------------------------------------------


class DeclaredMethodsMixin:
    """Answer a method the view does not declare with 405, before anything else is weighed.

    DRF negotiates the format, authenticates and checks permissions first: `TRACE ?format=csv`
    was a 404 (no CSV for an action that does not exist) and an anonymous TRACE a 401.
    """

    http_method_names: list[str]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        method = request.method.lower() if request.method else ""
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method or "")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]


class ThrottleRefusalsMixin(DeclaredMethodsMixin):
    """Count refused requests against the client's throttle budget too.

    DRF checks throttles after authentication and permissions, so anonymous writes (refused
    with 401) and guessed tokens would never be throttled.
    """

    def perform_authentication(self, request: Request) -> None:
        try:
            super().perform_authentication(request)  # type: ignore[misc]
        except AuthenticationFailed:
            # A guessed token counts against a tight budget of its own, by address.
            failures = FailedAuthenticationThrottle()
            if not failures.allow_request(request, self):
                raise Throttled(failures.wait()) from None
            self.check_throttles(request)  # by address: the request is now anonymous
            raise

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> None:
        self.check_throttles(request)
        super().permission_denied(request, message, code)  # type: ignore[misc]


class SingleValuedQueryMixin:
    """Refuse a query parameter given twice, unless the view takes it repeated (400).

    `?ordering=-title&ordering=slug` would otherwise silently use the last value only.
    """

    repeatable_parameters: frozenset[str] = frozenset()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        repeated = sorted(
            name
            for name, values in request.query_params.lists()
            if len(values) > 1 and name not in self.repeatable_parameters
        )
        if repeated:
            raise ValidationError(
                {
                    name: [
                        _(
                            "Given more than once: send one value (several fields go in one "
                            "comma-separated value where the parameter takes a list)."
                        )
                    ]
                    for name in repeated
                }
            )


class APIViewSetMixin(SingleValuedQueryMixin, ThrottleRefusalsMixin):
    """JSON bodies only; lookups by slug; query filters on lists only."""

    parser_classes = [JSONParser]
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN
    action: str | None

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)  # type: ignore[misc]


# --- Statuses -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="The statuses of the workflow",
        description="Each status with the statuses that may follow it.",
        responses={200: api_serializers.StatusSerializer(many=True), **error_responses(*READ)},
    )
)
class StatusViewSet(SingleValuedQueryMixin, ThrottleRefusalsMixin, viewsets.ViewSet):
    """The statuses of proposals, read from proposals.workflow."""

    def list(self, request: Request) -> Response:
        return Response(api_serializers.StatusSerializer(list(Status), many=True).data)


# --- Proposals ------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List proposals",
        description="Paginated like every list: the JSON body has `count`, `next` and "
        "`previous`; the `Link` and `X-Total-Count` headers carry the same for a CSV page. "
        "`format=csv&download=1` gives every row at once, streamed, with the bulk columns "
        "(`to_status`, `effective_date`, `effective_precision`, `note`, `evidence`) empty: fill "
        "them in and POST the file to /api/v1/transitions/bulk/.",
        parameters=[*CSV_LIST, *LIST_HEADERS],
        responses={
            (200, "application/json"): api_serializers.ProposalRowSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            **error_responses(*LIST),
        },
    ),
    retrieve=extend_schema(
        summary="A proposal with its citations",
        parameters=[IF_NONE_MATCH, ETAG_HEADER],
        responses={200: api_serializers.ProposalDetailSerializer, **error_responses(304, *DETAIL)},
    ),
    create=extend_schema(
        summary="Create a proposal (editors)",
        request=api_serializers.ProposalCreateSerializer,
        parameters=[ETAG_HEADER],
        responses={201: api_serializers.ProposalDetailSerializer, **error_responses(*WRITE)},
    ),
    partial_update=extend_schema(
        summary="Change a proposal's descriptive fields (editors)",
        description="Not its status: that goes through the transitions endpoint.",
        request=api_serializers.ProposalUpdateSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={
            200: api_serializers.ProposalDetailSerializer,
            **error_responses(*WRITE, 404, 412, 428),
        },
    ),
    transitions=extend_schema(
        summary="Record a status change (editors)",
        request=api_serializers.TransitionSerializer,
        parameters=[IF_MATCH, ETAG_HEADER],
        responses={201: api_serializers.ChangeSerializer, **error_responses(*WRITE, 404, 412, 428)},
    ),
    history=extend_schema(
        summary="A proposal's status changes, oldest first",
        parameters=CSV_LIST[:1],
        responses={
            (200, "application/json"): api_serializers.HistoryEntrySerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
            **error_responses(*DETAIL),
        },
    ),
)
@extend_schema_view(
    related=[
        extend_schema(
            methods=["GET"],
            summary="Proposals related to this one",
            description='Each relation seen from this proposal: `outgoing` reads "this '
            'proposal <type> `proposal`" (such as continues an earlier one), `incoming` the '
            "other way round.",
            responses={
                200: api_serializers.RelationSerializer(many=True),
                **error_responses(*DETAIL),
            },
        ),
        extend_schema(
            methods=["POST"],
            summary="Relate this proposal to another (editors)",
            request=api_serializers.RelationCreateSerializer,
            responses={201: api_serializers.RelationSerializer, **error_responses(*WRITE, 404)},
        ),
    ],
    positions=[
        extend_schema(
            methods=["GET"],
            summary="Actors' positions on this proposal, oldest first",
            description="Append-only: a later position of an actor supersedes the earlier; "
            "`current` marks each actor's latest.",
            responses={
                200: api_serializers.PositionSerializer(many=True),
                **error_responses(*DETAIL),
            },
        ),
        extend_schema(
            methods=["POST"],
            summary="Record an actor's position (editors)",
            request=api_serializers.PositionCreateSerializer,
            responses={201: api_serializers.PositionSerializer, **error_responses(*WRITE, 404)},
        ),
    ],
)
class ProposalViewSet(
    CSVListMixin,
    APIViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Proposals: read by anyone, created and edited by editors, moved by transitions only."""

    filter_backends = [FilterBackend]
    filterset_class = ProposalFilter
    csv_actions = {"list": "proposals", "history": "history"}
    repeatable_parameters = frozenset({"status", "category"})
    serializer_classes = {
        "list": api_serializers.ProposalRowSerializer,
        "retrieve": api_serializers.ProposalDetailSerializer,
        "create": api_serializers.ProposalCreateSerializer,
        "partial_update": api_serializers.ProposalUpdateSerializer,
        "transitions": api_serializers.TransitionSerializer,
        "history": api_serializers.HistoryEntrySerializer,
        "related": api_serializers.RelationSerializer,
        "positions": api_serializers.PositionSerializer,
    }

    def get_queryset(self) -> QuerySet[Proposal]:
        if self.action == "list":
            return selectors.proposal_rows()
        if self.action == "retrieve":
            return selectors.proposal_detail()
        return selectors.bare_proposals()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return self.serializer_classes.get(self.action, api_serializers.ProposalRowSerializer)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        slug = self.kwargs.get(self.lookup_field)
        if slug:
            path = reverse("api:proposal-transitions", kwargs={"slug": slug})
            context["transitions_url"] = path
        return context

    def detail_context(self, proposal: Proposal) -> dict[str, Any]:
        """The serializer context of a proposal's detail: with its actors."""
        return {**self.get_serializer_context(), "actor_refs": selectors.actor_refs([proposal.pk])}

    def detail_response(self, slug: str, *, status_code: int = status.HTTP_200_OK) -> Response:
        """Render the proposal `slug` as its detail, with its ETag."""
        proposal = selectors.proposal_detail().get(slug=slug)
        data = api_serializers.ProposalDetailSerializer(
            proposal, context=self.detail_context(proposal)
        ).data
        headers = {"ETag": conditional.etag(proposal.version)}
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = data["url"]
        return Response(data, status=status_code, headers=headers)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if wants_download(request) and self.wants_csv():
            return self.csv_download(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = self.get_serializer_context()
        context["actor_refs"] = selectors.actor_refs([proposal.pk for proposal in page])
        serializer = self.get_serializer(page, many=True, context=context)
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        etag = conditional.etag(proposal.version)
        if conditional.not_modified(request, proposal.version):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        data = self.get_serializer(proposal, context=self.detail_context(proposal)).data
        return Response(data, headers={"ETag": etag})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = self.perform_create(serializer)
        return self.detail_response(proposal.slug, status_code=status.HTTP_201_CREATED)

    def perform_create(self, serializer: serializers.BaseSerializer) -> Proposal:
        return services.create_proposal(**serializer.validated_data, user=self.request.user)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        # The body first: a request that is malformed is a 400 whatever its If-Match says.
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        expected = conditional.expected_version(request, proposal.version)
        updated = services.update_proposal(
            proposal=proposal,
            expected_version=expected,
            user=request.user,
            **serializer.validated_data,
        )
        return self.detail_response(updated.slug)

    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        # The body first: a request that is malformed is a 400 whatever its If-Match says.
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # An unknown status is malformed too (400 naming the allowed ones), not a stale read.
        workflow.check_status_code(
            serializer.validated_data["to_status"], from_status=proposal.status
        )
        expected = conditional.expected_version(request, proposal.version)
        # Read the evidence before the write: once the change is committed, the answer is built
        # from what was written, so no failed read can turn a recorded change into an error.
        ids = serializer.validated_data["evidence"]
        evidence = list(selectors.citations_of(proposal).filter(pk__in=ids))
        change = services.record_transition(
            proposal=proposal,
            user=request.user,
            expected_version=expected,
            **serializer.validated_data,
        )
        change._prefetched_objects_cache = {"evidence": _loaded(Citation, evidence)}
        data = api_serializers.ChangeSerializer(change, context=self.get_serializer_context()).data
        headers = {
            "ETag": conditional.etag(change.proposal.version),
            "Location": request.build_absolute_uri(
                reverse("api:proposal-history", kwargs={"slug": proposal.slug})
            ),
        }
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        changes = selectors.history_of(proposal)
        return Response(self.get_serializer(changes, many=True).data)

    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def related(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        context = {**self.get_serializer_context(), "proposal_id": proposal.pk}
        if request.method == "GET":
            relations = selectors.relations_of(proposal)
            return Response(
                api_serializers.RelationSerializer(relations, many=True, context=context).data
            )
        body = api_serializers.RelationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        relation = services.add_relation(
            from_proposal=proposal,
            to_proposal=body.validated_data["proposal"],
            type=body.validated_data["type"],
            note=body.validated_data["note"],
            citation=body.validated_data.get("citation"),
            user=request.user,
        )
        data = api_serializers.RelationSerializer(relation, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def positions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        proposal = self.get_object()
        if request.method == "POST":
            body = api_serializers.PositionCreateSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            recorded = services.record_position(
                proposal=proposal, user=request.user, **body.validated_data
            )
        positions = list(selectors.positions_of(proposal))
        current_ids = {item.pk for item in selectors.current_positions(positions)}
        context = {**self.get_serializer_context(), "current_ids": current_ids}
        if request.method == "GET":
            return Response(
                api_serializers.PositionSerializer(positions, many=True, context=context).data
            )
        written = next(item for item in positions if item.pk == recorded.pk)
        data = api_serializers.PositionSerializer(written, context=context).data
        return Response(data, status=status.HTTP_201_CREATED)


# --- Changes --------------------------------------------------------------------------------


class ChangesQuerySerializer(serializers.Serializer):
    """The query of GET /changes/."""

    since = serializers.DateField(
        required=False,
        help_text="YYYY-MM-DD: changes effective on or after this day. A change is often "
        "recorded after its effective date: to poll for new changes, use `recorded_since`.",
    )
    recorded_since = api_serializers.MomentField(
        required=False,
        help_text="ISO 8601 date-time (such as 2024-05-01T12:00:00Z) or date (midnight UTC of "
        "that day): changes recorded at or after that moment, whatever their effective date. "
        "A date-time without an offset is read as UTC.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Status changes of every proposal, newest first",
        parameters=[ChangesQuerySerializer, *CSV_LIST, *LIST_HEADERS],
        responses=csv_list_responses(api_serializers.ChangeSerializer),
    )
)
class ChangeViewSet(
    SingleValuedQueryMixin,
    CSVListMixin,
    ThrottleRefusalsMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Status changes across all proposals."""

    serializer_class = api_serializers.ChangeSerializer
    csv_actions = {"list": "changes"}

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return selectors.changes()
        query = ChangesQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.changes(
            since=query.validated_data.get("since"),
            recorded_since=query.validated_data.get("recorded_since"),
        )


# --- Citations ------------------------------------------------------------------------------

JSONLD_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "jsonld"],
    description="`jsonld` (or `Accept: application/ld+json`) gives W3C Web Annotations: "
    "`@context` http://www.w3.org/ns/anno.jsonld, `target.selector` a TextQuoteSelector and a "
    "TextPositionSelector.",
)
CITATION_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv", "jsonld"],
    description="`csv` gives the same rows as CSV; `jsonld` (or `Accept: application/ld+json`) "
    "W3C Web Annotations in an AnnotationCollection.",
)
# A basic type, so that the list's JSON-LD is not described as a paginated array.
ANNOTATION_SCHEMA = OpenApiTypes.OBJECT


@extend_schema_view(
    list=extend_schema(
        summary="List citations",
        description="With `?format=jsonld` (or `Accept: application/ld+json`), a W3C "
        "AnnotationCollection embedding its first page (an AnnotationPage of Annotations); a "
        "later page is an AnnotationPage `partOf` the collection.",
        parameters=[CITATION_FORMAT, DOWNLOAD, *LIST_HEADERS],
        responses={
            **csv_list_responses(api_serializers.CitationSerializer),
            (200, annotations.MEDIA_TYPE): OpenApiResponse(
                ANNOTATION_SCHEMA, "An AnnotationCollection (or a later AnnotationPage)."
            ),
        },
    ),
    retrieve=extend_schema(
        summary="A citation",
        description="With `?format=jsonld` (or `Accept: application/ld+json`), a W3C Web "
        "Annotation: its body names the proposal, its target the source with a "
        "TextQuoteSelector and a TextPositionSelector (code points of the citation's revision).",
        parameters=[JSONLD_FORMAT],
        responses={
            (200, "application/json"): api_serializers.CitationSerializer,
            (200, annotations.MEDIA_TYPE): OpenApiResponse(ANNOTATION_SCHEMA, "A Web Annotation."),
            **error_responses(*DETAIL),
        },
    ),
    create=extend_schema(
        summary="Cite a passage of a source for a proposal (editors)",
        description="The quote must be verbatim (only whitespace and typographic quotes or "
        "dashes may differ); the server computes its offsets and selectors on the source's "
        "current revision. A quote found more than once is refused (400 with `occurrences` and "
        "`positions` [[start, end], ...]) unless `prefix`, `suffix` or `start` pick one.",
        request=api_serializers.CitationCreateSerializer,
        parameters=[IF_MATCH_OPTIONAL, PROPOSAL_ETAG_HEADER],
        responses={201: api_serializers.CitationSerializer, **error_responses(*WRITE, 412, 428)},
    ),
)
class CitationViewSet(
    CSVListMixin,
    APIViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Citations: passages of sources, anchored by the server; also as W3C Web Annotations."""

    lookup_field = "pk"
    lookup_value_regex = r"[0-9]{1,18}"
    filter_backends = [FilterBackend]
    filterset_class = CitationFilter
    csv_actions = {"list": "citations"}

    def get_queryset(self) -> QuerySet:
        return selectors.citation_rows()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "create":
            return api_serializers.CitationCreateSerializer
        return api_serializers.CitationSerializer

    def get_renderers(self) -> list[BaseRenderer]:
        found = super().get_renderers()
        if self.action in ("list", "retrieve"):
            found.append(annotations.JSONLDRenderer())
        return found

    def wants_annotations(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return isinstance(renderer, annotations.JSONLDRenderer)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """Render errors as plain JSON even when JSON-LD was asked for."""
        if response.status_code >= 400 and self.wants_annotations():
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def annotation_of(self, data: dict[str, Any], *, context: bool = True) -> dict[str, Any]:
        """One citation's representation as a Web Annotation."""
        absolute = self.request.build_absolute_uri
        if not hasattr(self, "_links"):
            self._links = (
                slug_url("api:proposal-detail", absolute),
                slug_url("api:source-detail", absolute),
            )
        return annotations.annotation(
            data,
            url=absolute(reverse("api:citation-detail", kwargs={"pk": data["id"]})),
            proposal_url=self._links[0],
            source_url=self._links[1],
            context=context,
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = self.get_serializer(self.get_object()).data
        if self.wants_annotations():
            return Response(self.annotation_of(data))
        return Response(data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not self.wants_annotations():
            return super().list(request, *args, **kwargs)
        paginator: Any = self.paginator
        page = paginator.paginate_queryset(self.filter_queryset(self.get_queryset()), request, self)
        items = [
            self.annotation_of(item, context=False)
            for item in self.get_serializer(page, many=True).data
        ]
        current = paginator.page
        total = current.paginator.count
        url = request.build_absolute_uri()
        body = annotations.collection(
            items,
            collection_url=remove_query_param(url, "page"),
            page_url=replace_query_param(url, "page", current.number),
            total=total,
            start_index=current.start_index() - 1 if total else 0,
            first_url=replace_query_param(url, "page", 1),
            last_url=replace_query_param(url, "page", current.paginator.num_pages),
            next_url=paginator.get_next_link(),
            prev_url=paginator.get_previous_link(),
        )
        return Response(body, headers={"X-Total-Count": str(total)})

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        written = self.perform_create(serializer)
        citation = selectors.citation_rows().get(pk=written.pk)
        data = api_serializers.CitationSerializer(
            citation, context=self.get_serializer_context()
        ).data
        # A citation bumps its proposal's version: give the client the proposal's new ETag.
        headers = {"ETag": conditional.etag(written.proposal.version)}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)

    def perform_create(self, serializer: serializers.BaseSerializer) -> Any:
        """Add the citation; an If-Match naming the proposal's version must still be current."""
        proposal: Proposal = serializer.validated_data["proposal"]
        expected = conditional.expected_version_if_sent(self.request, proposal.version)
        return services.add_citation(**serializer.validated_data, expected_version=expected)


# --- Actors ---------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List actors",
        parameters=[*CSV_LIST, *LIST_HEADERS],
        responses=csv_list_responses(api_serializers.ActorSerializer),
    ),
    retrieve=extend_schema(
        summary="An actor with its proposals",
        responses={200: api_serializers.ActorDetailSerializer, **error_responses(*DETAIL)},
    ),
)
class ActorViewSet(CSVListMixin, APIViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Governments, parties, agencies and people who propose or are addressed."""

    csv_actions = {"list": "actors"}

    def get_queryset(self) -> QuerySet:
        if self.action == "retrieve":
            return selectors.actor_with_proposals()
        return selectors.actor_list()

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.action == "retrieve":
            return api_serializers.ActorDetailSerializer
        return api_serializers.ActorSerializer


# --- Anything else under /api/v1/ -----------------------------------------------------------


class NotFoundView(APIView):
    """Answer any other path under /api/v1/ with a JSON 404, not Django's HTML page."""

    breadcrumb = False  # not a page a reader opens: left out of the browsable API's breadcrumbs

    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []
    schema = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        raise NotFound(_("There is no API endpoint at this address."))


class MissingSlashView(APIView):
    """Answer a path under /api/v1/ that lacks its trailing slash with JSON, whatever the method.

    Django's APPEND_SLASH would answer an HTML 301 (turning a POST into a GET) or, with DEBUG,
    raise for a POST. Here, if the path with a slash is an endpoint, a 308 Permanent Redirect
    (which keeps the method and body) names it in `Location` and in the body; otherwise a 404.
    """

    breadcrumb = False
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []
    throttle_classes: list[Any] = []
    renderer_classes = [JSONRenderer]
    schema = None

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        """Answer JSON whatever the query's `format` (`?format=csv` is for the slashed URL)."""
        return super().perform_content_negotiation(request, force=True)

    def handle(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            match = resolve(f"{request.path_info}/")
        except Resolver404:
            match = None
        if match is None or match.view_name == "api:not-found":
            raise NotFound(_("There is no API endpoint at this address."))
        url = request.build_absolute_uri(request.get_full_path(force_append_slash=True))
        body = {
            "detail": _("API addresses end with a slash: send this %(method)s to %(url)s.")
            % {"method": request.method, "url": url},
            "code": "trailing_slash",
            "url": url,
        }
        return Response(body, status=status.HTTP_308_PERMANENT_REDIRECT, headers={"Location": url})

    get = post = put = patch = delete = options = handle
