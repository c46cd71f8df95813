"""The Atom feeds: newest recorded first, valid whatever the data, per page, conditional GET."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils.http import http_date

from proposals import services
from proposals.models import Proposal
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def move(proposal: Proposal, to_status: str, day: datetime.date) -> None:
    proposal.refresh_from_db()
    services.record_transition(
        proposal=proposal,
        to_status=to_status,
        note=f"Moved to {to_status}.",
        effective_date=day,
        evidence=list(proposal.citations.all()),
        expected_version=proposal.version,
    )


@pytest.fixture
def world():
    """Two proposals of different actors, categories and sources, each moved once."""
    taiwan, japan = ActorFactory(slug="taiwan", name="Taiwan"), ActorFactory(slug="japan")
    cable, article = SourceFactory(slug="cable"), SourceFactory(slug="article")
    academies = ProposalFactory(
        slug="academies",
        title="Academy exchanges",
        category="military_exchange",
        proposers=[taiwan],
    )
    dialogue = ProposalFactory(
        slug="dialogue",
        title="Security dialogue",
        category="security_dialogue",
        proposers=[japan],
    )
    cite(academies, cable, role="evidence")
    cite(dialogue, article, role="evidence")
    move(academies, "agreed", datetime.date(2006, 1, 1))
    move(dialogue, "under_discussion", datetime.date(2010, 1, 1))
    return academies, dialogue


def parse(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # well-formed XML, or this raises
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return root, parsed


def titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


def test_entries_come_newest_recorded_first_with_their_effective_date(client, world):
    academies, _ = world
    # Recorded last, but effective long before every other change: still the newest entry.
    move(academies, "in_progress", datetime.date(2006, 2, 1))

    _, parsed = parse(client.get("/feed/changes.atom"))

    assert titles(parsed)[:3] == [
        "Academy exchanges: Agreed → In progress",
        "Security dialogue: Proposed → Under discussion",
        "Academy exchanges: Proposed → Agreed",
    ]
    assert "Effective 1 February 2006." in parsed.entries[0].summary


def test_the_feed_is_valid_atom_with_author_and_host_independent_tag_ids(client, world):
    root, parsed = parse(client.get("/feed/changes.atom"))
    _, elsewhere = parse(client.get("/feed/changes.atom", HTTP_HOST="localhost"))

    assert root.find(f"{ATOM}author/{ATOM}name").text == "Proposal tracker"
    assert parsed.feed.id.startswith("tag:")
    ids = [entry.id for entry in parsed.entries]
    assert all(entry_id.startswith("tag:") for entry_id in ids)
    assert len(set(ids)) == len(ids)
    assert ids == [entry.id for entry in elsewhere.entries]
    assert parsed.feed.id == elsewhere.feed.id


def test_updated_moves_when_an_entry_is_added_even_with_an_old_effective_date(client, world):
    academies, _ = world
    _, before = parse(client.get("/feed/changes.atom"))
    move(academies, "in_progress", datetime.date(2006, 1, 2))
    _, after = parse(client.get("/feed/changes.atom"))

    moment = datetime.datetime.fromisoformat
    assert moment(after.feed.updated) > moment(before.feed.updated)
    assert after.feed.updated == after.entries[0].updated


def test_characters_xml_cannot_carry_never_break_the_feed(client, world):
    academies, _ = world
    # Rows written before input refused such characters (or by a bulk load that skipped it).
    Proposal.objects.filter(pk=academies.pk).update(title="Academy \uffff exchanges \x0b\ufdd0")

    root, _ = parse(client.get("/feed/changes.atom"))

    entry_titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert "Academy \ufffd exchanges \ufffd\ufffd: Proposed → Agreed" in entry_titles


def test_the_proposal_feed_shows_that_proposal_only(client, world):
    _, parsed = parse(client.get("/proposals/academies/feed.atom"))
    assert titles(parsed) == [
        "Academy exchanges: Proposed → Agreed",
        "Academy exchanges: new → Proposed",
    ]
    assert parsed.feed.link.endswith("/proposals/academies/")
    assert client.get("/proposals/no-such-proposal/feed.atom").status_code == 404


def test_actor_and_source_feeds(client, world):
    _, by_actor = parse(client.get("/actors/taiwan/feed.atom"))
    _, by_source = parse(client.get("/sources/article/feed.atom"))

    assert {entry.title.split(":")[0] for entry in by_actor.entries} == {"Academy exchanges"}
    assert {entry.title.split(":")[0] for entry in by_source.entries} == {"Security dialogue"}
    assert client.get("/actors/nobody/feed.atom").status_code == 404
    assert client.get("/sources/nothing/feed.atom").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=agreed", {"Academy exchanges"}),
        ("category=security_dialogue", {"Security dialogue"}),
        ("actor=japan", {"Security dialogue"}),
        ("source=cable", {"Academy exchanges"}),
        ("q=dialogue", {"Security dialogue"}),
        ("status=agreed&actor=japan", set()),
        ("status=no-such-status", {"Academy exchanges", "Security dialogue"}),
    ],
)
def test_the_changes_feed_takes_the_proposal_list_filters(client, world, query, expected):
    _, parsed = parse(client.get(f"/feed/changes.atom?{query}"))
    assert {entry.title.split(":")[0] for entry in parsed.entries} == expected


def test_conditional_get_answers_304_until_something_changes(client, world):
    academies, _ = world
    first = client.get("/feed/changes.atom")
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get("/feed/changes.atom", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feed/changes.atom", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    old = http_date(datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC).timestamp())
    assert client.get("/feed/changes.atom", HTTP_IF_MODIFIED_SINCE=old).status_code == 200

    move(academies, "in_progress", datetime.date(2006, 2, 1))
    again = client.get("/feed/changes.atom", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag


def test_a_title_edit_changes_the_etag(client, world):
    academies, _ = world
    etag = client.get("/proposals/academies/feed.atom")["ETag"]
    services.update_proposal(
        proposal=academies,
        expected_version=Proposal.objects.get(pk=academies.pk).version,
        title="Exchanges of academies",
    )
    response = client.get("/proposals/academies/feed.atom", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Exchanges of academies" in response.content.decode()


def test_an_empty_feed_is_valid_and_stable(client, db):
    first = client.get("/feed/changes.atom")
    parse(first)
    assert client.get("/feed/changes.atom")["ETag"] == first["ETag"]
    assert client.get("/feed/changes.atom").content == first.content


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/proposals/academies/", "/proposals/academies/feed.atom"),
        ("/actors/taiwan/", "/actors/taiwan/feed.atom"),
        ("/sources/cable/", "/sources/cable/feed.atom"),
        (
            "/proposals/?status=agreed&category=military_exchange",
            "/feed/changes.atom?category=military_exchange&amp;status=agreed",
        ),
        ("/", "/feed/changes.atom"),
    ],
)
def test_each_page_links_its_feed_as_alternate(client, world, page, feed):
    html = client.get(page).content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{feed}"' in html
