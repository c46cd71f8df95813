"""Citations with W3C selectors: repeated quotes, and citations as Web Annotations (JSON-LD)."""

from __future__ import annotations

import pytest

from proposals.models import Citation
from tests.factories import ProposalFactory, SourceFactory

CITATIONS = "/api/v1/citations/"
TEXT = (
    "Taiwan and Japan met in May. Officials of Taiwan and Japan agreed on drills. "
    "Later, Taiwan and Japan signed a memorandum."
)


@pytest.fixture
def repeated(db):
    return SourceFactory(slug="repeats", text=TEXT), ProposalFactory(slug="drills")


def cite(client, **fields):
    body = {"proposal": "drills", "source": "repeats", "locator": "¶1", **fields}
    return client.post(CITATIONS, body, format="json")


def test_a_repeated_quote_is_400_with_occurrences_and_positions(editor_api, repeated):
    response = cite(editor_api, quote="Taiwan and Japan")
    assert response.status_code == 400
    data = response.json()
    assert data["occurrences"] == 3
    assert data["positions"] == [[0, 16], [42, 58], [84, 100]]
    assert "quote" in data and "prefix" in data["quote"][0]
    assert not Citation.objects.exists()


@pytest.mark.parametrize(
    ("given", "start"),
    [({"prefix": "Officials of "}, 42), ({"suffix": " signed"}, 84), ({"start": 0}, 0)],
)
def test_prefix_suffix_or_start_pick_one_occurrence(editor_api, repeated, given, start):
    response = cite(editor_api, quote="Taiwan and Japan", **given)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["start"], data["end"]) == (start, start + 16)
    assert data["selectors"] == {
        "quote": {
            "exact": "Taiwan and Japan",
            "prefix": TEXT[max(0, start - 32) : start],
            "suffix": TEXT[start + 16 : start + 48],
        },
        "position": {"start": start, "end": start + 16},
    }
    assert (data["revision"], data["anchor_status"], data["verified"]) == (1, "exact", True)


def test_a_selector_that_picks_none_is_400_too(editor_api, repeated):
    response = cite(editor_api, quote="Taiwan and Japan", prefix="Nobody said ")
    assert response.status_code == 400
    assert response.json()["occurrences"] == 3


def test_a_citation_as_a_web_annotation(anon, editor_api, repeated):
    made = cite(editor_api, quote="signed a memorandum", role="evidence").json()
    for response in (
        anon.get(f"{CITATIONS}{made['id']}/?format=jsonld"),
        anon.get(f"{CITATIONS}{made['id']}/", HTTP_ACCEPT="application/ld+json"),
    ):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/ld+json")
        data = response.json()
        assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert data["type"] == "Annotation"
        assert data["id"].endswith(f"{CITATIONS}{made['id']}/")
        assert data["motivation"] == "linking"
        assert data["body"][0]["id"].endswith("/api/v1/proposals/drills/")
        target = data["target"]
        assert target["source"].endswith("/api/v1/sources/repeats/")
        quote, position = target["selector"]
        assert quote == {
            "type": "TextQuoteSelector",
            "exact": "signed a memorandum",
            "prefix": TEXT[101 - 32 : 101],
            "suffix": ".",
        }
        assert position == {"type": "TextPositionSelector", "start": 101, "end": 120}


def test_the_list_as_an_annotation_collection(anon, editor_api, repeated):
    for start in (0, 42, 84):
        cite(editor_api, quote="Taiwan and Japan", start=start)
    first = anon.get(f"{CITATIONS}?format=jsonld&page_size=2").json()
    assert first["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert first["type"] == "AnnotationCollection"
    assert first["total"] == 3
    page = first["first"]
    assert page["type"] == "AnnotationPage"
    assert [item["type"] for item in page["items"]] == ["Annotation", "Annotation"]
    assert "page=2" in page["next"]
    second = anon.get(page["next"]).json()
    assert second["type"] == "AnnotationPage"
    assert second["partOf"]["type"] == "AnnotationCollection"
    assert second["startIndex"] == 2
    assert [item["target"]["selector"][1]["start"] for item in second["items"]] == [84]


def test_errors_stay_plain_json_under_jsonld(anon, db):
    response = anon.get(f"{CITATIONS}999999/?format=jsonld")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
