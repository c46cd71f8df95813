"""A <script> in any title, note, quote or locator shows as text on every admin page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals.models import Citation, Proposal, StatusChange
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile(editor_client):
    """Payloads everywhere; the status change made through the admin's change-status page."""
    source = SourceFactory(
        slug="hostile-source",
        title=f"Source {PAYLOAD}",
        text=f"Before the quote. They said {PAYLOAD} and left.\nAfter it.\n",
    )
    actor = ActorFactory(slug="hostile-actor", name=f"Actor {PAYLOAD}")
    proposal = ProposalFactory(
        slug="hostile-proposal",
        title=f"Proposal {PAYLOAD}",
        summary=f"Summary {PAYLOAD}",
        proposers=[actor],
        note=f"First note {PAYLOAD}",
    )
    citation = cite(
        proposal, source, f"They said {PAYLOAD}", locator=f"¶ {PAYLOAD}", role="evidence"
    )
    proposal.refresh_from_db()
    response = editor_client.post(
        reverse("admin:proposals_proposal_change_status", args=[proposal.pk]),
        {
            "to_status": "agreed",
            "effective_date": proposal.proposed_on.isoformat(),
            "effective_precision": "day",
            "note": f"Note {PAYLOAD}",
            "evidence": [citation.pk],
            "version": proposal.version,
        },
        follow=True,
    )
    assert response.status_code == 200
    # The success message names the proposal: escaped too.
    assert ESCAPED in response.content.decode()
    assert PAYLOAD not in response.content.decode()
    return proposal


def pages(proposal: Proposal) -> dict[str, str]:
    citation = Citation.objects.get(proposal=proposal)
    change = StatusChange.objects.filter(proposal=proposal).latest("id")

    def url(name: str, *args) -> str:
        return reverse(f"admin:{name}", args=args)

    return {
        "index (recent actions)": url("index"),
        "proposal changelist": url("proposals_proposal_changelist"),
        "proposal search": url("proposals_proposal_changelist") + "?q=%3Cscript%3Ealert(1)",
        "proposal change form with inlines": url("proposals_proposal_change", proposal.pk),
        "change status page": url("proposals_proposal_change_status", proposal.pk),
        "proposal admin history": url("proposals_proposal_history", proposal.pk),
        "citation changelist": url("proposals_citation_changelist"),
        "citation page": url("proposals_citation_change", citation.pk),
        "statuschange changelist": url("proposals_statuschange_changelist"),
        "statuschange page": url("proposals_statuschange_change", change.pk),
        "source changelist": url("proposals_source_changelist"),
        "source page": url("proposals_source_change", citation.source_id),
        "actor changelist": url("proposals_actor_changelist"),
    }


@pytest.mark.parametrize(
    "page",
    [
        "index (recent actions)",
        "proposal changelist",
        "proposal search",
        "proposal change form with inlines",
        "change status page",
        "proposal admin history",
        "citation changelist",
        "citation page",
        "statuschange changelist",
        "statuschange page",
        "source changelist",
        "source page",
        "actor changelist",
    ],
)
def test_admin_pages_show_payloads_as_text(editor_client, hostile, page):
    response = editor_client.get(pages(hostile)[page])
    assert response.status_code == 200
    html = response.content.decode()
    assert PAYLOAD not in html
    assert ESCAPED in html


def test_every_hostile_field_is_on_the_pages_that_show_it(editor_client, hostile):
    change_form = editor_client.get(pages(hostile)["proposal change form with inlines"])
    html = change_form.content.decode()
    for text in (
        f"Proposal {ESCAPED}",  # the title field
        f"Summary {ESCAPED}",
        f"They said {ESCAPED}",  # the inline quote
        f"¶ {ESCAPED}",  # the inline locator and the history's evidence column
        f"Note {ESCAPED}",  # the history inline
        f"First note {ESCAPED}",
    ):
        assert text in html, text
    status_page = editor_client.get(pages(hostile)["change status page"]).content.decode()
    # Evidence labels: source title, locator and quote.
    for text in (f"Source {ESCAPED}", f"¶ {ESCAPED}", f"They said {ESCAPED}"):
        assert text in status_page, text
    assert PAYLOAD not in html + status_page
