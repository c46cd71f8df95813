"""
What each event type sends as `data` (the API's own representation) and what it is about.

A payload builder takes the subject of the event (the model instance the service just wrote) and
returns a `Payload`: the `data` dict, rendered by the API's serializers so that a webhook shows
exactly what GET would, and the proposal it concerns (for the subscriptions' filters), if any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from proposals.models import Citation, Proposal, Source, StatusChange
from webhooks import conf
from webhooks.models import EventType


@dataclass(frozen=True)
class Payload:
    data: dict[str, Any]
    proposal: Proposal | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class _PublicAddress:
    """Stands in for a request: absolute links from TRACKER_PUBLIC_URL, an anonymous reader.

    A subscriber sees what an anonymous API client sees (editors' display names, never their
    login names).
    """

    def __init__(self, base: str) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.base = base
        self.user = AnonymousUser()

    def build_absolute_uri(self, path: str) -> str:
        return f"{self.base}{path}" if self.base else path


def _context() -> dict[str, Any]:
    return {"request": _PublicAddress(conf.public_url())}


def _status_change(change: StatusChange, extra: dict[str, Any]) -> Payload:
    from proposals import selectors
    from proposals.api.serializers import ChangeSerializer

    fresh = selectors.changes().get(pk=change.pk)
    return Payload(ChangeSerializer(fresh, context=_context()).data, fresh.proposal)


def _citation(citation: Citation, extra: dict[str, Any]) -> Payload:
    from proposals import selectors
    from proposals.api.serializers import CitationSerializer

    fresh = selectors.citation_rows().get(pk=citation.pk)
    return Payload(CitationSerializer(fresh, context=_context()).data, citation.proposal)


def _proposal(proposal: Proposal, extra: dict[str, Any]) -> Payload:
    from proposals import selectors
    from proposals.api.serializers import ProposalDetailSerializer

    fresh = selectors.proposal_detail().get(pk=proposal.pk)
    context = {**_context(), "actor_refs": selectors.actor_refs([fresh.pk])}
    return Payload(ProposalDetailSerializer(fresh, context=context).data, fresh)


def _source(source: Source, extra: dict[str, Any]) -> Payload:
    from proposals import selectors
    from proposals.api.serializers import SourceSerializer

    fresh = selectors.sources_without_text().get(pk=source.pk)
    data = dict(SourceSerializer(fresh, context=_context()).data)
    # source.revised: the revision number and each citation's outcome, as the caller gives them.
    data.update(extra)
    return Payload(data)


BUILDERS: dict[str, Callable[[Any, dict[str, Any]], Payload]] = {
    EventType.STATUS_CHANGE_CREATED: _status_change,
    EventType.CITATION_CREATED: _citation,
    EventType.PROPOSAL_CREATED: _proposal,
    EventType.SOURCE_CREATED: _source,
    EventType.SOURCE_REVISED: _source,
}


def build(event_type: str, subject: Any, extra: dict[str, Any]) -> Payload:
    """Return the payload of `event_type` about `subject`, in the default language.

    The event is built in the request that made the change, whatever language its editor reads
    (a Japanese admin, say); every subscriber gets the same body, which carries the translations
    in its `_i18n` objects.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return BUILDERS[event_type](subject, extra)
