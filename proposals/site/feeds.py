"""
Atom feeds of status changes: of every proposal (with the proposal list's filters), of one
proposal, of one actor's proposals and of the proposals citing one source.

Entries come newest recorded first, so a change recorded today with an old effective date is
news today; each shows its effective date. The feeds are valid Atom (RFC 4287) whatever the data
holds: a feed author, `tag:` ids that do not depend on the request's host, an `updated` that
moves when an entry is added, and text stripped of characters XML cannot carry. Conditional GET
is answered with ETag and Last-Modified (304).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext

from proposals import selectors, workflow
from proposals.models import Category, Proposal, StatusChange
from proposals.site.date_display import precise_date

FEED_SIZE = 50
# When a feed has no entry yet: a fixed `updated`, so that the feed and its ETag stay stable.
NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# The filters of the proposal list that the changes feed takes, by their query names.
FILTERS = ("status", "category", "group", "source", "actor", "q")


def _xml_unsafe() -> re.Pattern[str]:
    """Characters outside XML 1.0's Char production, and the Unicode non-characters."""
    plane_ends = "".join(
        f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
    )
    return re.compile(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + plane_ends + "]"
    )


XML_UNSAFE = _xml_unsafe()


def xml_text(value: Any) -> Any:
    """Replace each character XML cannot carry (or should not) by U+FFFD; non-strings pass."""
    if isinstance(value, str):
        return XML_UNSAFE.sub("\ufffd", value)
    if isinstance(value, list | tuple):
        return type(value)(xml_text(item) for item in value)
    return value


class SafeAtom1Feed(Atom1Feed):
    """An Atom feed whose text can never make the document invalid XML.

    Input refuses such characters already; this keeps one that slipped in (an old row, a bulk
    load) from breaking the whole feed for every reader.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*(xml_text(arg) for arg in args), **xml_text_dict(kwargs))

    def add_item(self, *args: Any, **kwargs: Any) -> None:
        super().add_item(*(xml_text(arg) for arg in args), **xml_text_dict(kwargs))

    def latest_post_date(self) -> datetime.datetime:
        return super().latest_post_date() if self.items else NEVER


def xml_text_dict(values: dict[str, Any]) -> dict[str, Any]:
    return {name: xml_text(value) for name, value in values.items()}


def tag_uri(specific: str) -> str:
    """A `tag:` URI (RFC 4151) for `specific`: stable whatever host serves the feed."""
    authority = getattr(settings, "FEED_TAG_AUTHORITY", "proposal-tracker.example,2025")
    return f"tag:{authority}:{specific}"


def _label(code: str) -> str:
    return str(workflow.Status(code).label) if code else gettext("new")


@dataclass
class Scope:
    """What one feed shows: its title, page, id and the proposals whose changes it lists."""

    key: str
    title: str
    link: str
    proposals: QuerySet[Proposal] | None = None
    entries: list[StatusChange] | None = None


class ChangesFeed(Feed):
    """Status changes of every proposal, newest recorded first; the list's filters apply."""

    feed_type = SafeAtom1Feed
    subtitle = "Changes in the status of the policy proposals we track, newest recorded first."
    author_name = "Proposal tracker"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        wanted = self.filters(request)
        proposals = None
        if wanted:
            proposals = selectors.filter_proposals(
                selectors.proposal_cards(),
                **{("text" if name == "q" else name): value for name, value in wanted.items()},
            )
        query = urlencode(sorted(wanted.items()))
        described = ", ".join(f"{name} {value}" for name, value in sorted(wanted.items()))
        return Scope(
            key=f"changes?{query}" if query else "changes",
            title=str(gettext("Proposal tracker: status changes"))
            + (f" ({described})" if described else ""),
            link=reverse("site:proposal-list") + (f"?{query}" if query else ""),
            proposals=proposals,
        )

    @staticmethod
    def filters(request: HttpRequest) -> dict[str, str]:
        """The query's valid, non-empty filters; an unknown status or category is ignored."""
        valid = {"status": set(workflow.Status.values), "category": set(Category.values)}
        wanted = {}
        for name in FILTERS:
            value = request.GET.get(name, "").strip()[:200]
            if value and (name not in valid or value in valid[name]):
                wanted[name] = xml_text(value)
        return wanted

    # Feed-level elements --------------------------------------------------------------------

    def title(self, scope: Scope) -> str:
        return scope.title

    def link(self, scope: Scope) -> str:
        return scope.link

    def feed_guid(self, scope: Scope) -> str:
        return tag_uri(f"feed/{scope.key}")

    def feed_url(self, scope: Scope) -> str | None:
        return None  # Django then links the feed's own address (rel="self")

    def items(self, scope: Scope) -> list[StatusChange]:
        if scope.entries is None:
            scope.entries = list(selectors.changes_recorded(scope.proposals)[:FEED_SIZE])
        return scope.entries

    # Entries --------------------------------------------------------------------------------

    def item_title(self, item: StatusChange) -> str:
        return f"{item.proposal.title}: {_label(item.from_status)} → {_label(item.to_status)}"

    def item_description(self, item: StatusChange) -> str:
        # Atom's summary is HTML: escape the note and the quotes so that they read as text.
        quotes = format_html_join(
            "", "<blockquote>{}</blockquote>", ((c.quote,) for c in item.evidence.all())
        )
        effective = precise_date(
            item.effective_date, item.effective_precision, item.effective_qualifier
        )
        return format_html("<p>Effective {}.</p><p>{}</p>{}", effective, item.note, quotes)

    def item_link(self, item: StatusChange) -> str:
        return f"{item.proposal.get_absolute_url()}#change-{item.pk}"

    def item_guid(self, item: StatusChange) -> str:
        return tag_uri(f"status-change/{item.pk}")

    item_guid_is_permalink = False

    def item_pubdate(self, item: StatusChange) -> datetime.datetime:
        return item.recorded_at

    def item_updateddate(self, item: StatusChange) -> datetime.datetime:
        return item.recorded_at

    # Conditional GET ------------------------------------------------------------------------

    def validators(self, request: HttpRequest, scope: Scope) -> tuple[str, datetime.datetime]:
        """The ETag and last modification of the feed as this request would get it.

        An entry shows its proposal's title, which any write to the proposal may change (and
        its version move on); change rows and their evidence never change.
        """
        entries = self.items(scope)
        state = ";".join(f"{e.pk}:{e.proposal.version}" for e in entries)
        digest = hashlib.sha256(f"{request.get_host()}|{scope.key}|{state}".encode()).hexdigest()
        moments = [e.recorded_at for e in entries] + [e.proposal.updated_at for e in entries]
        return f'"{digest[:32]}"', max(moments, default=NEVER)

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Each feed's get_object answers 404 itself (get_object_or_404) for an unknown slug.
        scope = self.get_object(request, *args, **kwargs)
        etag, modified = self.validators(request, scope)
        headers = {"ETag": etag, "Last-Modified": http_date(modified.timestamp())}
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(modified.timestamp())
        )
        if not_modified is not None:
            for name, value in headers.items():
                not_modified.headers[name] = value
            return not_modified
        generator = self.get_feed(scope, request)
        response = HttpResponse(content_type=generator.content_type)
        for name, value in headers.items():
            response.headers[name] = value
        generator.write(response, "utf-8")
        return response


class ProposalFeed(ChangesFeed):
    """The status changes of one proposal."""

    def get_object(self, request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> Scope:
        proposal = get_object_or_404(selectors.proposal_heading(), slug=slug)
        return Scope(
            key=f"proposal/{proposal.slug}",
            title=f"Proposal tracker: {proposal.title}",
            link=proposal.get_absolute_url(),
            proposals=selectors.proposal_heading().filter(pk=proposal.pk),
        )


class ActorFeed(ChangesFeed):
    """The status changes of the proposals an actor made or is addressed by."""

    def get_object(self, request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> Scope:
        actor = get_object_or_404(selectors.actor_heading(), slug=slug)
        return Scope(
            key=f"actor/{actor.slug}",
            title=f"Proposal tracker: proposals of {actor.name}",
            link=actor.get_absolute_url(),
            proposals=selectors.proposals_of_actor(actor),
        )


class SourceFeed(ChangesFeed):
    """The status changes of the proposals citing a source."""

    def get_object(self, request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> Scope:
        source = get_object_or_404(selectors.source_heading(), slug=slug)
        return Scope(
            key=f"source/{source.slug}",
            title=f"Proposal tracker: proposals cited from {source.title}",
            link=source.get_absolute_url(),
            proposals=selectors.proposals_citing(source),
        )
