"""Writes through /api/v1/: who may write, ETags and If-Match, and the workflow's refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from proposals.models import Citation, Proposal, StatusChange
from proposals.workflow import Status
from tests.api.conftest import EVIDENCE_QUOTE, move
from tests.factories import ActorFactory, ProposalFactory, cite

pytestmark = pytest.mark.django_db

API = "/api/v1"
DETAIL = f"{API}/proposals/academy-exchanges/"
TRANSITIONS = f"{DETAIL}transitions/"

NEW_PROPOSAL = {
    "slug": "joint-drills",
    "title": "Joint disaster relief drills",
    "summary": "Hold joint drills for disaster relief.",
    "category": "disaster_relief",
    "group": "statement-2019",
    "ordinal": 2,
    "proposed_on": "2019-04-01",
    "proposed_precision": "month",
    "proposers": ["taiwan"],
    "addressees": ["japan"],
}


def etag_of(client: APIClient, url: str = DETAIL) -> str:
    return client.get(url)["ETag"]


def agree(world, **overrides) -> dict:
    body = {
        "to_status": "agreed",
        "note": "Both sides welcomed the point.",
        "effective_date": "2006-02-01",
        "evidence": [world.evidence.pk],
    }
    body.update(overrides)
    return body


# --- Who may write --------------------------------------------------------------------------


WRITES = [
    ("post", f"{API}/proposals/", NEW_PROPOSAL),
    ("patch", DETAIL, {"title": "New"}),
    ("post", TRANSITIONS, {"to_status": "under_discussion", "note": "x"}),
    ("post", f"{API}/citations/", {"proposal": "academy-exchanges"}),
]


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_anonymous_writes_get_401_with_www_authenticate(anon, world, method, url, body):
    response = getattr(anon, method)(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_non_editor_writes_get_403(non_editor_api, world, method, url, body):
    response = getattr(non_editor_api, method)(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 403
    assert response.json()["detail"] == "Only editors may change the tracker."


def test_a_bad_token_is_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.post(f"{API}/proposals/", NEW_PROPOSAL, format="json")
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(world, editor):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    etag = etag_of(client)
    body = {"title": "Renamed by session"}
    refused = client.patch(DETAIL, body, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get(DETAIL, HTTP_ACCEPT="text/html")  # the browsable API's forms set the cookie
    token = client.cookies["csrftoken"].value
    accepted = client.patch(DETAIL, body, format="json", HTTP_IF_MATCH=etag, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200
    assert accepted.json()["title"] == "Renamed by session"


# --- Create ---------------------------------------------------------------------------------


def test_editor_creates_a_proposal(editor_api, world, editor):
    response = editor_api.post(f"{API}/proposals/", NEW_PROPOSAL, format="json")
    assert response.status_code == 201, response.json()
    assert response["ETag"] == '"1"'
    assert response["Location"] == "http://testserver/api/v1/proposals/joint-drills/"
    data = response.json()
    assert data["status"] == "proposed"
    assert data["status_since"] == "2019-04-01"
    assert data["proposed_precision"] == "month"
    assert [(item["slug"], item["name"]) for item in data["proposers"]] == [("taiwan", "Taiwan")]
    assert data["citations"] == []
    first = StatusChange.objects.get(proposal__slug="joint-drills")
    assert (first.to_status, first.recorded_by) == ("proposed", editor)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "academy-exchanges"}, "slug"),
        ({"title": "Exchanges between military academies"}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"category": "weather"}, "category"),
        ({"proposed_on": "2019-02-30"}, "proposed_on"),
        ({"proposed_on": "2019-04-02"}, "proposed_on"),  # month precision needs the 1st
        ({"proposed_on": "2999-01-01", "proposed_precision": "day"}, "proposed_on"),
        ({"proposers": ["nobody"]}, "proposers"),
        ({"proposers": "taiwan"}, "proposers"),
        ({"ordinal": "first"}, "ordinal"),
        ({"ordinal": 0}, "ordinal"),
        ({"summary": "x" * 10_001}, "summary"),
        ({"slug": "not a slug"}, "slug"),
    ],
)
def test_create_refuses_bad_fields_naming_them(editor_api, world, change, field):
    response = editor_api.post(f"{API}/proposals/", {**NEW_PROPOSAL, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Proposal.objects.filter(slug="joint-drills").exists()


def test_create_refuses_a_taken_place_in_a_group(editor_api, world):
    editor_api.post(f"{API}/proposals/", NEW_PROPOSAL, format="json")
    second = {**NEW_PROPOSAL, "slug": "other", "title": "Other title"}
    response = editor_api.post(f"{API}/proposals/", second, format="json")
    assert response.status_code == 400
    assert "detail" in response.json()


GROUP_AND_ORDINAL = (
    "A proposal in a group needs an ordinal of 1 or more, and one without a group has none."
)
ORDINAL_TAKEN = "Another proposal of this group already has this ordinal."


@pytest.mark.parametrize(
    "change",
    [{"ordinal": None}, {"ordinal": 3, "group": ""}, {"group": ""}],
    ids=["group-without-ordinal", "ordinal-without-group", "blank-group-with-ordinal"],
)
def test_create_names_the_ordinal_when_it_does_not_fit_the_group(editor_api, world, change):
    response = editor_api.post(f"{API}/proposals/", {**NEW_PROPOSAL, **change}, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["ordinal"] == [GROUP_AND_ORDINAL]
    assert "Constraint" not in str(data)
    assert not Proposal.objects.filter(slug="joint-drills").exists()


def test_create_and_patch_name_the_ordinal_taken_in_the_group(editor_api, world):
    assert editor_api.post(f"{API}/proposals/", NEW_PROPOSAL, format="json").status_code == 201
    second = {**NEW_PROPOSAL, "slug": "other", "title": "Other title"}
    response = editor_api.post(f"{API}/proposals/", second, format="json")
    assert response.status_code == 400
    assert response.json()["ordinal"] == [ORDINAL_TAKEN]
    move_in = {"group": NEW_PROPOSAL["group"], "ordinal": NEW_PROPOSAL["ordinal"]}
    response = editor_api.patch(DETAIL, move_in, format="json", HTTP_IF_MATCH=etag_of(editor_api))
    assert response.status_code == 400
    assert response.json()["ordinal"] == [ORDINAL_TAKEN]
    response = editor_api.patch(
        DETAIL, {"group": "g"}, format="json", HTTP_IF_MATCH=etag_of(editor_api)
    )
    assert response.status_code == 400
    assert response.json()["ordinal"] == [GROUP_AND_ORDINAL]


def test_create_refuses_unknown_fields_and_status(editor_api, world):
    body = {**NEW_PROPOSAL, "colour": "blue", "status": "agreed"}
    response = editor_api.post(f"{API}/proposals/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert "Unknown field" in data["colour"][0]
    assert "transitions" in data["status"][0]


# --- Patch ----------------------------------------------------------------------------------


def test_patch_with_if_match_changes_fields_and_etag(editor_api, world):
    etag = etag_of(editor_api)
    body = {"title": "Academy exchanges", "addressees": ["japan", "taiwan"]}
    response = editor_api.patch(DETAIL, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    assert response["ETag"] == f'"{world.proposal.version + 1}"'
    assert response.json()["title"] == "Academy exchanges"
    assert {a["slug"] for a in response.json()["addressees"]} == {"japan", "taiwan"}
    world.proposal.refresh_from_db()
    assert world.proposal.title == "Academy exchanges"


def test_patch_without_if_match_is_428(editor_api, world):
    response = editor_api.patch(DETAIL, {"title": "New"}, format="json")
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    assert (
        editor_api.patch(DETAIL, {"title": "New"}, format="json", HTTP_IF_MATCH="*").status_code
        == 428
    )


# A value that is no ETag at all ("garbage") is a 400: tests/http/test_if_match.py.
@pytest.mark.parametrize("if_match", ['"1"', 'W/"1"', '"1", "2"'])
def test_patch_with_a_stale_etag_is_412(editor_api, world, if_match):
    assert world.proposal.version > 2  # two citations were added
    response = editor_api.patch(DETAIL, {"title": "New"}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 412
    assert "detail" in response.json()
    world.proposal.refresh_from_db()
    assert world.proposal.title == "Exchanges between military academies"


@pytest.mark.parametrize(
    "field", ["status", "version", "status_since", "proposed_on", "slug", "proposed_precision"]
)
def test_patch_refuses_fields_owned_by_the_workflow(editor_api, world, field):
    etag = etag_of(editor_api)
    response = editor_api.patch(DETAIL, {field: "agreed"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    message = response.json()[field][0]
    assert "/api/v1/proposals/academy-exchanges/transitions/" in message
    world.proposal.refresh_from_db()
    assert world.proposal.status == "proposed"


def test_patch_with_nothing_to_change_is_400(editor_api, world):
    etag = etag_of(editor_api)
    response = editor_api.patch(DETAIL, {}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert etag_of(editor_api) == etag


def test_put_and_delete_are_not_allowed(editor_api, world):
    assert editor_api.put(DETAIL, {}, format="json").status_code == 405
    assert editor_api.delete(DETAIL).status_code == 405


# --- Transitions ----------------------------------------------------------------------------


def test_transition_records_the_change_and_moves_the_etag(editor_api, world, editor):
    etag = etag_of(editor_api)
    response = editor_api.post(TRANSITIONS, agree(world), format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 201, response.json()
    new_etag = response["ETag"]
    assert new_etag == f'"{world.proposal.version + 1}"'
    data = response.json()
    assert (data["from_status"], data["to_status"]) == ("proposed", "agreed")
    assert data["recorded_by"] == "editor"
    assert data["proposal"] == "academy-exchanges"
    assert data["effective_precision"] == "day"
    assert [item["quote"] for item in data["evidence"]] == [EVIDENCE_QUOTE]
    detail = editor_api.get(DETAIL)
    assert detail["ETag"] == new_etag
    assert (detail.json()["status"], detail.json()["status_since"]) == ("agreed", "2006-02-01")
    history = editor_api.get(f"{DETAIL}history/").json()
    assert history[-1]["id"] == data["id"]
    # The old ETag is now stale.
    again = editor_api.post(
        TRANSITIONS, agree(world, to_status="in_progress"), format="json", HTTP_IF_MATCH=etag
    )
    assert again.status_code == 412


def test_transition_without_if_match_is_428(editor_api, world):
    response = editor_api.post(TRANSITIONS, agree(world), format="json")
    assert response.status_code == 428
    world.proposal.refresh_from_db()
    assert world.proposal.status == "proposed"


def test_transition_precision_month(editor_api, world):
    body = agree(world, effective_date="2006-02-01", effective_precision="month")
    response = editor_api.post(TRANSITIONS, body, format="json", HTTP_IF_MATCH=etag_of(editor_api))
    assert response.status_code == 201
    assert response.json()["effective_precision"] == "month"


def post_transition(client, world, **overrides):
    return client.post(
        TRANSITIONS, agree(world, **overrides), format="json", HTTP_IF_MATCH=etag_of(client)
    )


def test_an_illegal_transition_lists_the_allowed_ones(editor_api, world):
    response = post_transition(editor_api, world, to_status="implemented")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "transition_not_allowed"
    assert data["allowed"] == ["under_discussion", "agreed", "rejected", "withdrawn"]
    assert "to_status" in data


def test_an_unknown_status_is_400(editor_api, world):
    response = post_transition(editor_api, world, to_status="finished")
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_status"
    assert "under_discussion" in response.json()["detail"]


def test_an_unknown_status_names_only_the_ones_allowed_next(editor_api, world):
    move(world.proposal, "under_discussion", datetime.date(2005, 6, 1))
    response = post_transition(editor_api, world, to_status="finished")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "unknown_status"
    assert data["allowed"] == ["agreed", "stalled", "rejected", "withdrawn"]
    assert data["known"] == [status.value for status in Status]
    assert "allowed next statuses from 'under_discussion': agreed, stalled" in data["detail"]
    assert "to_status" in data


def test_an_unknown_status_from_a_final_one_allows_none(editor_api, world):
    move(world.proposal, "withdrawn", datetime.date(2005, 6, 1))
    response = post_transition(editor_api, world, to_status="finished")
    assert response.status_code == 400
    assert response.json()["allowed"] == []
    assert "none (it is final)" in response.json()["detail"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"note": ""}, "note", "note_required"),
        ({"note": "   "}, "note", "note_required"),
        ({"note": "x" * 10_001}, "note", "note_too_long"),
        ({"evidence": []}, "evidence", "evidence_required"),
        ({"evidence": [999999]}, "evidence", None),
        ({"evidence": ["one"]}, "evidence", None),
        ({"evidence": [2**64]}, "evidence", None),
        ({"evidence": 5}, "evidence", None),
        ({"effective_date": "2006-02-30"}, "effective_date", None),
        ({"effective_date": "2005-03-01"}, "effective_date", "invalid_date"),  # before proposal
        ({"effective_date": "2006-02-02", "effective_precision": "month"}, "effective_date", None),
        ({"effective_precision": "week"}, "effective_precision", None),
        ({"to_status": None}, "to_status", None),
        ({"to_status": 7}, "to_status", None),
    ],
)
def test_transition_refusals_are_400_naming_the_field(editor_api, world, overrides, field, code):
    response = post_transition(editor_api, world, **overrides)
    assert response.status_code == 400, response.json()
    data = response.json()
    assert field in data
    if code:
        assert data["code"] == code
    world.proposal.refresh_from_db()
    assert world.proposal.status == "proposed"
    assert world.proposal.history.count() == 1


def test_missing_note_is_400(editor_api, world):
    body = agree(world)
    del body["note"]
    response = editor_api.post(TRANSITIONS, body, format="json", HTTP_IF_MATCH=etag_of(editor_api))
    assert response.status_code == 400
    assert "note" in response.json()


def test_a_future_date_is_400(editor_api, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = post_transition(editor_api, world, effective_date=tomorrow.isoformat())
    assert response.status_code == 400
    assert "future" in response.json()["detail"]


def test_evidence_of_another_proposal_is_400(editor_api, world):
    foreign = cite(ProposalFactory(slug="other"), world.source)
    response = post_transition(editor_api, world, evidence=[foreign.pk])
    assert response.status_code == 400
    assert response.json()["code"] == "evidence_of_another_proposal"


def test_transition_of_unknown_proposal_is_404(editor_api, db):
    url = f"{API}/proposals/nope/transitions/"
    response = editor_api.post(url, {"to_status": "agreed"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 404


def test_a_transition_without_evidence_to_discussion_is_fine(editor_api, world):
    body = {"to_status": "under_discussion", "note": "Talks.", "effective_date": "2005-04-01"}
    response = editor_api.post(TRANSITIONS, body, format="json", HTTP_IF_MATCH=etag_of(editor_api))
    assert response.status_code == 201
    assert response.json()["evidence"] == []


def test_a_date_before_the_current_status_is_400(editor_api, world):
    move(world.proposal, "under_discussion", datetime.date(2005, 6, 1))
    response = post_transition(editor_api, world, effective_date="2005-05-01")
    assert response.status_code == 400
    assert "history reads in order" in response.json()["detail"]


@pytest.mark.parametrize("method", ["patch", "transitions"])
def test_a_weak_etag_in_if_match_never_matches(editor_api, world, method):
    """If-Match compares strongly (RFC 9110): W/"<current version>" is a 412, not a match."""
    current = etag_of(editor_api)
    if method == "patch":
        response = editor_api.patch(
            DETAIL, {"title": "New"}, format="json", HTTP_IF_MATCH=f"W/{current}"
        )
    else:
        response = editor_api.post(
            TRANSITIONS, agree(world), format="json", HTTP_IF_MATCH=f"W/{current}"
        )
    assert response.status_code == 412
    assert "weak" in response.json()["detail"]
    world.proposal.refresh_from_db()
    assert (world.proposal.title, world.proposal.status) == (
        "Exchanges between military academies",
        "proposed",
    )
    # A list with the strong tag among weak ones still matches.
    response = editor_api.patch(
        DETAIL, {"title": "New"}, format="json", HTTP_IF_MATCH=f"W/{current}, {current}"
    )
    assert response.status_code == 200


def test_if_none_match_compares_weakly(anon, world):
    current = etag_of(anon)
    assert anon.get(DETAIL, HTTP_IF_NONE_MATCH=f"W/{current}").status_code == 304


# --- Citations ------------------------------------------------------------------------------


def test_editor_adds_a_citation_anchored_by_the_server(editor_api, world):
    before = etag_of(editor_api)
    body = {
        "proposal": "academy-exchanges",
        "source": "cable-one",
        # Plain quotes and dashes, folded whitespace: stored as the source prints them.
        "quote": 'The "coast guard" of each side should cooperate in disaster relief -',
        "locator": "¶2",
        "role": "context",
    }
    response = editor_api.post(f"{API}/citations/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["verified"] is True
    assert data["quote"] == world.source.text[data["start"] : data["end"]]
    assert "\u201ccoast guard\u201d" in data["quote"]
    assert data["role"] == "context"
    assert data["proposal"] == "academy-exchanges"
    assert Citation.objects.filter(pk=data["id"]).exists()
    assert etag_of(editor_api) != before


def test_a_quote_not_in_the_source_is_400(editor_api, world):
    body = {
        "proposal": "academy-exchanges",
        "source": "cable-one",
        "quote": "The two governments signed a treaty.",
        "locator": "¶1",
    }
    response = editor_api.post(f"{API}/citations/", body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "quote_not_in_source"
    assert "verbatim" in data["quote"][0]
    assert Citation.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"proposal": "nope"}, "proposal"),
        ({"source": "nope"}, "source"),
        ({"quote": "x" * 2001}, "quote"),
        ({"locator": "x" * 201}, "locator"),
        ({"role": "hearsay"}, "role"),
        ({"quote": ""}, "quote"),
        ({"start": 3}, "quote"),  # a start where the quote does not begin selects nothing
        ({"start": -1}, "start"),
        ({"prefix": "x" * 201}, "prefix"),
    ],
)
def test_citation_input_errors(editor_api, world, change, field):
    body = {
        "proposal": "academy-exchanges",
        "source": "cable-one",
        "quote": "urged closer",
        "locator": "¶2",
        **change,
    }
    response = editor_api.post(f"{API}/citations/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_new_actor_appears_in_proposals_after_patch(editor_api, world):
    ActorFactory(slug="usa", name="United States")
    etag = etag_of(editor_api)
    response = editor_api.patch(
        DETAIL, {"proposers": ["taiwan", "usa"]}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    listed = editor_api.get(f"{API}/proposals/", {"actor": "usa"}).json()["results"]
    assert [row["slug"] for row in listed] == ["academy-exchanges"]


NEW_CITATION = {
    "proposal": "academy-exchanges",
    "source": "cable-one",
    "quote": "urged closer",
    "locator": "¶2",
}


def test_a_citation_with_a_stale_if_match_is_412(editor_api, world):
    stale = etag_of(editor_api)
    cite(world.proposal, world.source, quote="urged closer", role="context")  # another editor
    response = editor_api.post(
        f"{API}/citations/", NEW_CITATION, format="json", HTTP_IF_MATCH=stale
    )
    assert response.status_code == 412
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == Proposal.objects.get(pk=world.proposal.pk).version
    assert Citation.objects.filter(role="origin", quote="urged closer").count() == 0
    weak = f"W/{etag_of(editor_api)}"
    response = editor_api.post(f"{API}/citations/", NEW_CITATION, format="json", HTTP_IF_MATCH=weak)
    assert response.status_code == 412


def test_a_citation_with_the_current_if_match_returns_the_proposals_new_etag(editor_api, world):
    before = etag_of(editor_api)
    response = editor_api.post(
        f"{API}/citations/", NEW_CITATION, format="json", HTTP_IF_MATCH=before
    )
    assert response.status_code == 201, response.json()
    assert response["ETag"] != before
    assert response["ETag"] == etag_of(editor_api)
    # The new ETag is good for the next write.
    response = editor_api.patch(
        DETAIL, {"title": "New"}, format="json", HTTP_IF_MATCH=response["ETag"]
    )
    assert response.status_code == 200


def test_a_citation_without_if_match_is_still_added_with_the_new_etag(editor_api, world):
    response = editor_api.post(f"{API}/citations/", NEW_CITATION, format="json")
    assert response.status_code == 201
    assert response["ETag"] == etag_of(editor_api)
