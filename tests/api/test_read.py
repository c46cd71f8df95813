"""Anonymous reads of /api/v1/: statuses, proposals (filters, as-of, CSV), history and the rest."""

from __future__ import annotations

import csv
import datetime
import io
import re
import time
from contextlib import nullcontext

import pgtrigger
import pytest
from django.db import connection
from django.utils import timezone

from proposals import services, workflow
from proposals.models import Proposal
from proposals.workflow import Status
from tests.api.conftest import EVIDENCE_QUOTE, move
from tests.factories import ActorFactory, ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db

API = "/api/v1"


def slugs(response) -> list[str]:
    return [row["slug"] for row in response.json()["results"]]


# --- Statuses -------------------------------------------------------------------------------


def test_statuses_come_from_the_workflow(anon):
    response = anon.get(f"{API}/statuses/")
    assert response.status_code == 200
    data = response.json()
    assert [item["code"] for item in data] == Status.values
    by_code = {item["code"]: item for item in data}
    assert by_code["proposed"] == {
        "code": "proposed",
        "label": "Proposed",
        "description": workflow.DESCRIPTIONS[Status.PROPOSED],
        "next": ["under_discussion", "agreed", "rejected", "withdrawn"],
        "requires_evidence": False,
    }
    assert by_code["agreed"]["requires_evidence"] is True
    assert by_code["implemented"]["next"] == []


# --- Proposal list --------------------------------------------------------------------------


def test_list_is_paginated_with_lean_rows(anon, world):
    response = anon.get(f"{API}/proposals/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    row = body["results"][0]
    assert row == {
        "slug": "academy-exchanges",
        "title": "Exchanges between military academies",
        "category": "security_dialogue",
        "group": "",
        "ordinal": None,
        "proposed_on": "2005-03-02",
        "proposed_precision": "day",
        "proposed_qualifier": "exact",
        "status": "proposed",
        "status_since": "2005-03-02",
        "status_since_precision": "day",
        "version": world.proposal.version,
        "proposers": [
            {
                "slug": "taiwan",
                "name": "Taiwan",
                "name_i18n": {"en": "Taiwan", "ja": None, "zh-hant": None},
            }
        ],
        "addressees": [
            {
                "slug": "japan",
                "name": "Japan",
                "name_i18n": {"en": "Japan", "ja": None, "zh-hant": None},
            }
        ],
        "url": "http://testserver/api/v1/proposals/academy-exchanges/",
        "title_i18n": {"en": "Exchanges between military academies", "ja": None, "zh-hant": None},
        "group_name": "",
        "group_name_i18n": None,
        "proposed_on_display": "2 March 2005",
        "status_since_display": "2 March 2005",
    }


def test_page_size_is_capped_at_500_not_refused(anon, world):
    response = anon.get(f"{API}/proposals/", {"page_size": 100000})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_page_size_and_pages_walk_the_list(anon, db):
    for n in range(5):
        ProposalFactory(slug=f"p-{n}")
    first = anon.get(f"{API}/proposals/", {"page_size": 2, "ordering": "slug"}).json()
    assert [row["slug"] for row in first["results"]] == ["p-0", "p-1"]
    assert first["previous"] is None
    second = anon.get(first["next"]).json()
    assert [row["slug"] for row in second["results"]] == ["p-2", "p-3"]


def test_filters_status_category_group(anon, world):
    other = ProposalFactory(slug="coast-guards", category="maritime_security")
    ProposalFactory(slug="grouped", group="statement-2019", ordinal=1)
    move(other, "under_discussion", datetime.date(2006, 1, 1))
    assert slugs(anon.get(f"{API}/proposals/", {"status": "under_discussion"})) == ["coast-guards"]
    both = anon.get(f"{API}/proposals/?status=under_discussion&status=proposed&ordering=slug")
    assert slugs(both) == ["academy-exchanges", "coast-guards", "grouped"]
    assert slugs(anon.get(f"{API}/proposals/", {"category": "maritime_security"})) == [
        "coast-guards"
    ]
    assert slugs(anon.get(f"{API}/proposals/", {"group": "statement-2019"})) == ["grouped"]


def test_filters_source_and_actor_by_slug(anon, world):
    other_source = SourceFactory(slug="other-cable")
    other = ProposalFactory(slug="other", addressees=[world.proposer])
    cite(other, other_source)
    cite(other, other_source, quote="declined to discuss a free trade agreement")
    assert slugs(anon.get(f"{API}/proposals/", {"source": "cable-one"})) == ["academy-exchanges"]
    # Two citations of the same source: the proposal is listed once.
    assert slugs(anon.get(f"{API}/proposals/", {"source": "other-cable"})) == ["other"]
    proposer_or_addressee = anon.get(f"{API}/proposals/", {"actor": "taiwan", "ordering": "slug"})
    assert slugs(proposer_or_addressee) == ["academy-exchanges", "other"]
    assert slugs(anon.get(f"{API}/proposals/", {"actor": "japan"})) == ["academy-exchanges"]
    assert slugs(anon.get(f"{API}/proposals/", {"actor": "nobody"})) == []


def test_text_search(anon, world):
    ProposalFactory(slug="trade", title="A free trade agreement", summary="Tariffs.")
    assert slugs(anon.get(f"{API}/proposals/", {"q": "ACADEMIES"})) == ["academy-exchanges"]
    assert slugs(anon.get(f"{API}/proposals/", {"q": "tariffs"})) == ["trade"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("title", ["b", "c", "a"]),
        ("-title", ["a", "c", "b"]),
        ("proposed_on", ["c", "a", "b"]),
        ("-proposed_on", ["b", "a", "c"]),
        ("status,title", ["b", "c", "a"]),
        ("-status", ["a", "b", "c"]),
    ],
)
def test_ordering(anon, db, ordering, expected):
    ProposalFactory(slug="a", title="Zebra", proposed_on=datetime.date(2005, 5, 1))
    ProposalFactory(slug="b", title="Apple", proposed_on=datetime.date(2005, 6, 1))
    ProposalFactory(slug="c", title="Mango", proposed_on=datetime.date(2005, 4, 1))
    move(Proposal.objects.get(slug="a"), "under_discussion", datetime.date(2006, 1, 1))
    assert slugs(anon.get(f"{API}/proposals/", {"ordering": ordering})) == expected


def test_unknown_ordering_is_a_400_naming_it(anon, world):
    response = anon.get(f"{API}/proposals/", {"ordering": "summary"})
    assert response.status_code == 400
    assert "ordering" in response.json()


def test_as_of_shows_each_status_as_it_stood(anon, world):
    proposal = world.proposal
    move(proposal, "under_discussion", datetime.date(2005, 6, 1))
    move(proposal, "agreed", datetime.date(2006, 2, 1), [world.evidence])
    ProposalFactory(slug="later", proposed_on=datetime.date(2007, 1, 1))

    def as_of(day: str, **params) -> list[tuple[str, str, str]]:
        response = anon.get(f"{API}/proposals/", {"as_of": day, "ordering": "slug", **params})
        assert response.status_code == 200
        rows = response.json()["results"]
        return [(row["slug"], row["status"], row["status_since"]) for row in rows]

    assert as_of("2005-03-01") == []
    assert as_of("2005-03-02") == [("academy-exchanges", "proposed", "2005-03-02")]
    assert as_of("2005-12-31") == [("academy-exchanges", "under_discussion", "2005-06-01")]
    assert as_of("2007-01-01") == [
        ("academy-exchanges", "agreed", "2006-02-01"),
        ("later", "proposed", "2007-01-01"),
    ]
    # The status filter applies to the as-of status, not the current one.
    assert as_of("2005-12-31", status="under_discussion") == [
        ("academy-exchanges", "under_discussion", "2005-06-01")
    ]
    assert as_of("2005-12-31", status="agreed") == []


def test_as_of_keeps_the_precision_of_that_day(anon, db):
    proposal = ProposalFactory(proposed_on=datetime.date(2005, 1, 1), proposed_precision="year")
    services.record_transition(
        proposal=proposal,
        to_status="under_discussion",
        note="Talks began that month.",
        effective_date=datetime.date(2005, 6, 1),
        effective_precision="month",
        expected_version=proposal.version,
    )
    rows = anon.get(f"{API}/proposals/", {"as_of": "2005-03-01"}).json()["results"]
    assert rows[0]["status_since_precision"] == "year"
    rows = anon.get(f"{API}/proposals/", {"as_of": "2005-07-01"}).json()["results"]
    assert (rows[0]["status"], rows[0]["status_since_precision"]) == ("under_discussion", "month")


@pytest.mark.parametrize("day", ["2005-02-30", "yesterday", "2005/03/02", "99999-01-01"])
def test_as_of_with_a_bad_date_is_a_400(anon, world, day):
    response = anon.get(f"{API}/proposals/", {"as_of": day})
    assert response.status_code == 400
    assert "as_of" in response.json()


def test_csv_has_the_same_rows_flat(anon, world):
    second = ActorFactory(slug="usa", name="United States")
    ProposalFactory(slug="zz-last", proposers=[world.proposer, second])
    response = anon.get(f"{API}/proposals/", {"format": "csv", "ordering": "slug"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["academy-exchanges", "zz-last"]
    assert rows[0]["proposers"] == "taiwan"
    assert rows[0]["addressees"] == "japan"
    assert rows[0]["ordinal"] == ""
    assert rows[0]["url"] == "http://testserver/api/v1/proposals/academy-exchanges/"
    assert rows[1]["proposers"] == "taiwan;usa"
    json_rows = anon.get(f"{API}/proposals/", {"ordering": "slug"}).json()["results"]
    assert [row["slug"] for row in json_rows] == [row["slug"] for row in rows]


def links(response) -> dict[str, str]:
    """Return the RFC 8288 Link header of `response` as {rel: url}."""
    return {
        rel: url for url, rel in re.findall(r'<([^>]*)>;\s*rel="([^"]+)"', response.get("Link", ""))
    }


def test_list_headers_link_the_neighbouring_pages_and_count_all(anon, db):
    for n in range(5):
        ProposalFactory(slug=f"p-{n}")
    params = {"page_size": 2, "ordering": "slug"}
    first = anon.get(f"{API}/proposals/", params)
    assert first["X-Total-Count"] == "5"
    assert links(first) == {"next": first.json()["next"]}
    second = anon.get(links(first)["next"])
    assert second["X-Total-Count"] == "5"
    assert links(second) == {"next": second.json()["next"], "prev": second.json()["previous"]}
    last = anon.get(links(second)["next"])
    assert links(last) == {"prev": last.json()["previous"]}
    assert slugs(last) == ["p-4"]
    single = anon.get(f"{API}/proposals/")
    assert "Link" not in single
    assert single["X-Total-Count"] == "5"
    # Every paginated list says the same.
    for url in ("changes", "citations", "sources", "actors"):
        response = anon.get(f"{API}/{url}/", {"page_size": 1})
        assert response["X-Total-Count"] == str(response.json()["count"]), url


def test_csv_is_one_page_whose_headers_lead_to_the_others(anon, db):
    for n in range(51):
        ProposalFactory(slug=f"p-{n:02d}")
    first = anon.get(f"{API}/proposals/", {"format": "csv", "ordering": "slug"})
    rows = list(csv.DictReader(io.StringIO(first.content.decode("utf-8-sig"))))
    assert len(rows) == 50  # the JSON page's rows, no more
    assert first["X-Total-Count"] == "51"
    assert set(links(first)) == {"next"}
    assert "format=csv" in links(first)["next"]
    second = anon.get(links(first)["next"])
    assert second["Content-Type"].startswith("text/csv")
    rest = list(csv.DictReader(io.StringIO(second.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows + rest] == [f"p-{n:02d}" for n in range(51)]
    assert set(links(second)) == {"prev"}
    assert "Link" not in anon.get(f"{API}/proposals/", {"format": "csv", "page_size": 500})


def test_csv_errors_are_still_json(anon, world):
    response = anon.get(f"{API}/proposals/", {"format": "csv", "as_of": "bad"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "as_of" in response.json()


# --- Proposal detail ------------------------------------------------------------------------


def test_detail_has_summary_actors_citations_and_etag(anon, world):
    response = anon.get(f"{API}/proposals/academy-exchanges/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{world.proposal.version}"'
    data = response.json()
    assert data["summary"] == "A proposal made for a test."
    assert data["status"] == "proposed"
    assert data["next_statuses"] == workflow.allowed_next("proposed")
    assert data["proposers"] == [
        {
            "slug": "taiwan",
            "name": "Taiwan",
            "name_i18n": {"en": "Taiwan", "ja": None, "zh-hant": None},
        }
    ]
    citation = next(item for item in data["citations"] if item["id"] == world.evidence.pk)
    assert citation == {
        "id": world.evidence.pk,
        "source": "cable-one",
        "source_title": "Cable one",
        "quote": EVIDENCE_QUOTE,
        "locator": "¶2 end",
        "role": "evidence",
        "start": world.evidence.start,
        "end": world.evidence.end,
        "selectors": {
            "quote": {
                "exact": EVIDENCE_QUOTE,
                "prefix": world.evidence.prefix,
                "suffix": world.evidence.suffix,
            },
            "position": {"start": world.evidence.start, "end": world.evidence.end},
        },
        "revision": 1,
        "anchor_status": "exact",
        "verified": True,
    }
    assert world.source.text[citation["start"] : citation["end"]] == EVIDENCE_QUOTE


def test_a_citation_whose_source_text_changed_is_not_verified(anon, world):
    # Someone edits the text of the revision the citations are anchored on behind the
    # services' back: the offsets no longer hold.
    # On PostgreSQL a trigger refuses that edit to anyone but a table owner stepping past it.
    guard = "proposals.SourceRevision:revision_text_fixed"
    with pgtrigger.ignore(guard) if connection.vendor == "postgresql" else nullcontext():
        world.source.revisions.update(text="Rewritten entirely.")
    data = anon.get(f"{API}/proposals/academy-exchanges/").json()
    assert {item["verified"] for item in data["citations"]} == {False}


def test_if_none_match_with_the_current_etag_gives_304(anon, world):
    etag = anon.get(f"{API}/proposals/academy-exchanges/")["ETag"]
    response = anon.get(f"{API}/proposals/academy-exchanges/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    stale = anon.get(f"{API}/proposals/academy-exchanges/", HTTP_IF_NONE_MATCH='"999"')
    assert stale.status_code == 200


def test_etag_changes_when_a_citation_is_added(anon, world):
    before = anon.get(f"{API}/proposals/academy-exchanges/")["ETag"]
    cite(world.proposal, world.source, quote="urged closer")
    after = anon.get(f"{API}/proposals/academy-exchanges/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_unknown_proposal_is_a_json_404(anon, db):
    response = anon.get(f"{API}/proposals/nothing-here/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_detail_ignores_list_filters(anon, world):
    response = anon.get(f"{API}/proposals/academy-exchanges/", {"status": "agreed"})
    assert response.status_code == 200


# --- History and changes --------------------------------------------------------------------


def test_history_oldest_first_with_evidence(anon, world, editor):
    move(world.proposal, "under_discussion", datetime.date(2005, 6, 1))
    services.record_transition(
        proposal=world.proposal,
        to_status="agreed",
        note="Both sides welcomed it.",
        effective_date=datetime.date(2006, 2, 1),
        evidence=[world.evidence],
        user=editor,
        expected_version=world.proposal.version,
    )
    response = anon.get(f"{API}/proposals/academy-exchanges/history/")
    assert response.status_code == 200
    history = response.json()
    assert [(item["from_status"], item["to_status"]) for item in history] == [
        (None, "proposed"),
        ("proposed", "under_discussion"),
        ("under_discussion", "agreed"),
    ]
    last = history[-1]
    assert last["effective_date"] == "2006-02-01"
    assert last["effective_precision"] == "day"
    assert last["note"] == "Both sides welcomed it."
    assert last["recorded_by"] == "Editor"  # anonymous readers see a display name
    assert last["recorded_at"]
    assert last["evidence"] == [
        {
            "id": world.evidence.pk,
            "quote": EVIDENCE_QUOTE,
            "locator": "¶2 end",
            "source": "cable-one",
        }
    ]
    assert history[0]["recorded_by"] is None
    assert history[0]["evidence"] == []


def test_history_of_unknown_proposal_is_404(anon, db):
    assert anon.get(f"{API}/proposals/nope/history/").status_code == 404


def test_changes_newest_first_since_a_day(anon, world):
    other = ProposalFactory(slug="other", title="Other proposal")
    move(world.proposal, "under_discussion", datetime.date(2005, 6, 1))
    move(other, "withdrawn", datetime.date(2006, 6, 1))
    response = anon.get(f"{API}/changes/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(row["proposal"], row["to_status"], row["effective_date"]) for row in rows] == [
        ("other", "withdrawn", "2006-06-01"),
        ("academy-exchanges", "under_discussion", "2005-06-01"),
        ("other", "proposed", "2005-03-02"),
        ("academy-exchanges", "proposed", "2005-03-02"),
    ]
    assert rows[0]["proposal_title"] == "Other proposal"
    since = anon.get(f"{API}/changes/", {"since": "2005-06-01"}).json()
    assert since["count"] == 2
    assert [row["to_status"] for row in since["results"]] == ["withdrawn", "under_discussion"]


def test_changes_recorded_since_finds_late_records_of_old_changes(anon, world):
    """A change recorded today with an effective date years ago is new to a polling client."""
    time.sleep(0.005)  # recorded_at keeps milliseconds: leave the world's records behind
    checked_at = timezone.now().replace(microsecond=timezone.now().microsecond // 1000 * 1000)
    move(world.proposal, "under_discussion", datetime.date(2005, 6, 1))
    today = timezone.now().date().isoformat()
    assert anon.get(f"{API}/changes/", {"since": today}).json()["count"] == 0
    recorded = anon.get(f"{API}/changes/", {"recorded_since": checked_at.isoformat()}).json()
    assert [(row["to_status"], row["effective_date"]) for row in recorded["results"]] == [
        ("under_discussion", "2005-06-01")
    ]
    # A date means its midnight (UTC); a date-time without an offset is UTC too.
    assert anon.get(f"{API}/changes/", {"recorded_since": today}).json()["count"] == 2
    naive = checked_at.replace(tzinfo=None).isoformat()
    assert anon.get(f"{API}/changes/", {"recorded_since": naive}).json()["count"] == 1
    later = (checked_at + datetime.timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    assert anon.get(f"{API}/changes/", {"recorded_since": later}).json()["count"] == 0
    # The same moment an hour ahead of UTC, and both filters together.
    ahead = checked_at.astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat()
    both = {"recorded_since": ahead, "since": "2005-06-01"}
    assert anon.get(f"{API}/changes/", both).json()["count"] == 1


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "2024-13-01",
        "2024-02-30T10:00:00Z",
        "2024-05-01T25:00:00",
        "01/05/2024",
        "9999-12-31T23:00:00-05:00",  # past the calendar's end in UTC
        "0001-01-01T00:00:00+01:00",  # before its start
        "2024-05-01" + "0" * 100,
    ],
)
def test_changes_with_a_bad_recorded_since_is_400(anon, db, value):
    response = anon.get(f"{API}/changes/", {"recorded_since": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "recorded_since" in response.json()


def test_changes_with_a_bad_since_is_400(anon, db):
    response = anon.get(f"{API}/changes/", {"since": "2005-13-01"})
    assert response.status_code == 400
    assert "since" in response.json()


# --- Citations, sources, actors -------------------------------------------------------------


def test_citations_filter_by_proposal_source_role(anon, world):
    other = ProposalFactory(slug="other")
    second_source = SourceFactory(slug="cable-two")
    foreign = cite(other, second_source)

    def ids(**params) -> set[int]:
        response = anon.get(f"{API}/citations/", params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {world.origin.pk, world.evidence.pk, foreign.pk}
    assert ids(proposal="academy-exchanges") == {world.origin.pk, world.evidence.pk}
    assert ids(source="cable-two") == {foreign.pk}
    assert ids(role="evidence") == {world.evidence.pk}
    assert ids(proposal="academy-exchanges", role="origin") == {world.origin.pk}
    assert anon.get(f"{API}/citations/", {"role": "hearsay"}).status_code == 400


def test_citation_detail(anon, world):
    response = anon.get(f"{API}/citations/{world.origin.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["proposal"] == "academy-exchanges"
    assert data["proposal_title"] == "Exchanges between military academies"
    assert data["source"] == "cable-one"
    assert data["verified"] is True
    assert anon.get(f"{API}/citations/999999/").status_code == 404
    assert anon.get(f"{API}/citations/abc/").status_code == 404
    assert anon.get(f"{API}/citations/99999999999999999999999/").status_code == 404


def test_sources_list_has_no_text_and_detail_has_it(anon, world):
    listed = anon.get(f"{API}/sources/").json()["results"]
    assert [item["slug"] for item in listed] == ["cable-one"]
    assert "text" not in listed[0]
    assert listed[0]["sha256"] == world.source.sha256
    assert listed[0]["url"] == "http://testserver/api/v1/sources/cable-one/"
    detail = anon.get(f"{API}/sources/cable-one/").json()
    assert detail["text"] == world.source.text
    assert anon.get(f"{API}/sources/missing/").status_code == 404


def test_actors_list_and_detail(anon, world):
    listed = anon.get(f"{API}/actors/").json()["results"]
    assert [item["slug"] for item in listed] == ["japan", "taiwan"]
    detail = anon.get(f"{API}/actors/taiwan/").json()
    assert detail["name"] == "Taiwan"
    assert [item["slug"] for item in detail["proposals_made"]] == ["academy-exchanges"]
    assert detail["proposals_addressed"] == []
    japan = anon.get(f"{API}/actors/japan/").json()
    assert [item["slug"] for item in japan["proposals_addressed"]] == ["academy-exchanges"]
    assert anon.get(f"{API}/actors/nobody/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/statuses/",
        "/proposals/",
        "/proposals/academy-exchanges/",
        "/proposals/academy-exchanges/history/",
        "/changes/",
        "/citations/",
        "/sources/cable-one/",
        "/actors/taiwan/",
    ],
)
def test_browsable_api_pages_render_for_editors(editor_api, world, path):
    response = editor_api.get(f"{API}{path}", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
