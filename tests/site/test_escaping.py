"""A <script> in any field that a page or the feed shows is shown as text, never run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Citation
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def hostile():
    source = SourceFactory(
        slug="hostile-source",
        title=f"Source {PAYLOAD}",
        publisher=PAYLOAD,
        author=PAYLOAD,
        classification=PAYLOAD,
        text=f"Before the quote. They said {PAYLOAD} and left.\nAfter it.\n",
    )
    actor = ActorFactory(slug="hostile-actor", name=f"Actor {PAYLOAD}", country=PAYLOAD)
    proposal = ProposalFactory(
        slug="hostile-proposal",
        title=f"Proposal {PAYLOAD}",
        summary=f"Summary {PAYLOAD}",
        proposers=[actor],
        addressees=[actor],
        note=f"First note {PAYLOAD}",
    )
    citation = cite(
        proposal,
        source,
        f"They said {PAYLOAD}",
        locator=f"¶ {PAYLOAD}",
        role=Citation.Role.EVIDENCE,
    )
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note=f"Note {PAYLOAD}",
        effective_date=proposal.proposed_on,
        evidence=[citation],
        expected_version=proposal.version,
    )
    return proposal


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/proposals/",
        "/proposals/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/proposals/hostile-proposal/",
        "/sources/",
        "/sources/hostile-source/",
        "/actors/",
        "/actors/hostile-actor/",
        "/board/",
    ],
)
def test_pages_escape_everything(client, hostile, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script" not in page
    assert ESCAPED in page


def test_the_search_box_echoes_the_query_escaped(client, hostile):
    page = client.get("/proposals/?q=%22%3E%3Cscript%3E").content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;"' in page
    assert "<script" not in page


def test_source_page_marks_the_escaped_payload(client, hostile):
    page = client.get("/sources/hostile-source/").content.decode()
    assert f">They said {ESCAPED}</a></mark>" in page


def test_feed_escapes_everything(client, hostile):
    response = client.get(reverse("site:changes-feed"))
    assert response.status_code == 200
    feed = response.content.decode()
    assert "<script" not in feed
    # Titles are plain text: escaped once for XML.
    assert f"<title>Proposal {ESCAPED}: Proposed → Agreed</title>" in feed
    # Summaries are HTML: the note is escaped as HTML, then as XML, so a reader shows it as text.
    assert "Note &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;" in feed
