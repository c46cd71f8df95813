"""The whole loop through the API: a new source, cited, used as evidence, then corrected."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import ProposalFactory

FILES = Path(__file__).resolve().parent.parent / "files"


@pytest.mark.django_db
def test_bring_in_cite_record_read_and_correct(editor_api, anon):
    proposal = ProposalFactory(slug="coast-guard-hadr", title="Coast guard HADR cooperation")

    # 1. An editor brings in a 2023 news report as it was published: an HTML page.
    page = SimpleUploadedFile(
        "article-with-navigation.html",
        (FILES / "article-with-navigation.html").read_bytes(),
        content_type="text/html",
    )
    created = editor_api.post(
        "/api/v1/sources/",
        {
            "title": "Coast guards hold joint HADR exercise",
            "kind": "news_report",
            "publisher": "Harbour News",
            "published_on": "2023-07-18",
            "document_url": "https://news.example/2023/07/coast-guards",
            "file": page,
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    source = created.json()
    assert source["revision"] == 1

    # 2. "Taiwan and Japan" occurs twice: refused with the positions, then picked by its prefix.
    citation = {
        "proposal": "coast-guard-hadr",
        "source": source["slug"],
        "quote": "Taiwan and Japan",
        "locator": "¶1",
        "role": "evidence",
    }
    ambiguous = editor_api.post("/api/v1/citations/", citation, format="json")
    assert ambiguous.status_code == 400
    assert ambiguous.json()["occurrences"] == 2
    assert len(ambiguous.json()["positions"]) == 2
    picked = editor_api.post(
        "/api/v1/citations/", {**citation, "prefix": "The coast guards of "}, format="json"
    )
    assert picked.status_code == 201, picked.content
    evidence = editor_api.post(
        "/api/v1/citations/",
        {
            **citation,
            "quote": "held their first joint humanitarian assistance and disaster relief exercise",
        },
        format="json",
    )
    assert evidence.status_code == 201, evidence.content
    evidence_id = evidence.json()["id"]

    # 3. The status moves on that evidence.
    etag = anon.get("/api/v1/proposals/coast-guard-hadr/")["ETag"]
    moved = editor_api.post(
        "/api/v1/proposals/coast-guard-hadr/transitions/",
        {
            "to_status": "agreed",
            "note": "The coast guards held the first joint exercise.",
            "effective_date": "2023-07-18",
            "evidence": [evidence_id],
        },
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert moved.status_code == 201, moved.content

    # 4. The history shows the evidence, and the public source page marks the passage.
    history = anon.get("/api/v1/proposals/coast-guard-hadr/history/").json()
    assert history[-1]["to_status"] == "agreed"
    assert history[-1]["evidence"][0]["source"] == source["slug"]
    html = Client().get(f"/sources/{source['slug']}/").content.decode()
    assert f'id="citation-{evidence_id}"' in html
    assert "Politics menu item" not in html
    assert "corrected" not in html

    # 5. A correction moves the evidence's offsets, never its words; the page says so.
    text = anon.get(f"/api/v1/sources/{source['slug']}/").json()["text"]
    revised = editor_api.post(
        f"/api/v1/sources/{source['slug']}/revisions/",
        {"text": "Keelung, 18 July 2023.\n" + text, "note": "Add the dateline."},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert revised.status_code == 201, revised.content
    assert {item["outcome"] for item in revised.json()["citations"]} == {"relocated"}
    after = anon.get(f"/api/v1/citations/{evidence_id}/").json()
    assert after["quote"] == evidence.json()["quote"]
    assert after["start"] == evidence.json()["start"] + len("Keelung, 18 July 2023.\n")
    assert (after["revision"], after["anchor_status"], after["verified"]) == (2, "relocated", True)
    html = Client().get(f"/sources/{source['slug']}/").content.decode()
    assert "The text was corrected on" in html
    assert "2 cited passages moved with the correction" in html
    assert f'id="citation-{evidence_id}"' in html
    assert proposal.slug in Client().get(f"/sources/{source['slug']}/").content.decode()
