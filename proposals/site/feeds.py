"""The Atom feed of status changes."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join

from proposals import selectors, workflow
from proposals.models import StatusChange

FEED_SIZE = 50


def _label(code: str) -> str:
    return workflow.Status(code).label if code else "new"


class ChangesFeed(Feed):
    """The latest status changes, newest first, each linking to its proposal's timeline."""

    feed_type = Atom1Feed
    title = "Proposal tracker: status changes"
    subtitle = "The latest changes in the status of the policy proposals we track."

    def link(self) -> str:
        return reverse("site:home")

    def items(self) -> list[StatusChange]:
        return list(selectors.recent_changes()[:FEED_SIZE])

    def item_title(self, item: StatusChange) -> str:
        return f"{item.proposal.title}: {_label(item.from_status)} → {_label(item.to_status)}"

    def item_description(self, item: StatusChange) -> str:
        # Atom's summary is HTML: escape the note and the quotes so they read as text.
        quotes = format_html_join(
            "", "<blockquote>{}</blockquote>", ((c.quote,) for c in item.evidence.all())
        )
        return format_html("<p>{}</p>{}", item.note, quotes)

    def item_link(self, item: StatusChange) -> str:
        return f"{item.proposal.get_absolute_url()}#change-{item.pk}"

    def item_pubdate(self, item: StatusChange) -> datetime.datetime:
        return datetime.datetime.combine(
            item.effective_date, datetime.time.min, tzinfo=datetime.UTC
        )

    def item_updateddate(self, item: StatusChange) -> datetime.datetime:
        return item.recorded_at or timezone.now()
