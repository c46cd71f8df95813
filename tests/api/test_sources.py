"""POST/PATCH /api/v1/sources/, its revisions and original files: the contract, field by field."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from proposals.models import Citation, Source, SourceEdit, SourceRevision
from tests.factories import ProposalFactory, cite

FILES = Path(__file__).resolve().parent.parent / "files"
SOURCES = "/api/v1/sources/"

REPORT = (
    "Coast guards of Taiwan and Japan hold a joint exercise.\n"
    "The coast guards of Taiwan and Japan held their first joint exercise off Keelung.\n"
    "Both sides agreed to hold the exercise every year.\n"
)


def body(**fields):
    data = {
        "title": "Coast guards hold a joint exercise",
        "kind": "news_report",
        "publisher": "Harbour News",
        "published_on": "2023-07-18",
        "language": "en",
        "document_url": "https://news.example/2023/07/coast-guards",
        "retrieved_on": "2023-07-19",
        "text": REPORT,
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def upload(client, name: str, content: bytes | None = None, **fields):
    content = (FILES / name).read_bytes() if content is None else content
    data = {**body(text=None, **fields), "file": SimpleUploadedFile(name, content)}
    return client.post(SOURCES, data, format="multipart")


@pytest.mark.django_db
def test_json_creates_a_source_with_slug_sha256_length_revision(editor_api, anon):
    response = editor_api.post(SOURCES, body(), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["slug"] == "coast-guards-hold-a-joint-exercise"
    assert data["length"] == len(REPORT)
    assert data["revision"] == 1
    assert len(data["sha256"]) == 64
    assert data["document_url"] == "https://news.example/2023/07/coast-guards"
    assert response["ETag"] == '"1"'
    assert response["Location"].endswith(f"{SOURCES}{data['slug']}/")
    detail = anon.get(f"{SOURCES}{data['slug']}/")
    assert detail.json()["text"] == REPORT
    assert [item["number"] for item in detail.json()["revisions"]] == [1]
    listed = anon.get(SOURCES).json()["results"]
    assert data["slug"] in [item["slug"] for item in listed]


@pytest.mark.django_db
def test_anonymous_and_non_editors_cannot_create(anon, non_editor_api):
    assert anon.post(SOURCES, body(), format="json").status_code == 401
    assert non_editor_api.post(SOURCES, body(), format="json").status_code == 403
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_the_same_text_twice_is_409_naming_the_source(editor_api):
    first = editor_api.post(SOURCES, body(), format="json").json()
    again = editor_api.post(SOURCES, body(title="Same words, other title"), format="json")
    assert again.status_code == 409
    assert again.json()["slug"] == first["slug"]
    assert again.json()["code"] == "duplicate_source"
    assert Source.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"text": "   "}, "text"),
        ({"published_on": "2023-02-30"}, "published_on"),
        ({"published_on": "2999-01-01"}, "published_on"),
        ({"retrieved_on": "yesterday"}, "retrieved_on"),
        ({"document_url": "javascript:alert(1)"}, "document_url"),
        ({"archived_url": "ftp://archive.example/x"}, "archived_url"),
        ({"language": "english language"}, "language"),
        ({"kind": "tweet"}, "kind"),
        ({"text": None}, "text"),
        ({"sha256": "0" * 64}, "sha256"),
        ({"url": "https://x.example/"}, "url"),
    ],
)
def test_bad_input_is_400_saying_what_to_fix(editor_api, fields, field):
    response = editor_api.post(SOURCES, body(**fields), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_bcp47_tags_such_as_zh_hant_are_accepted(editor_api):
    response = editor_api.post(SOURCES, body(language="zh-Hant"), format="json")
    assert response.status_code == 201
    assert response.json()["language"] == "zh-Hant"


@pytest.mark.django_db
def test_a_pdf_upload_is_read_and_its_original_downloadable_by_editors_only(editor_api, anon):
    response = upload(editor_api, "report-with-text.pdf")
    assert response.status_code == 201, response.content
    slug = response.json()["slug"]
    text = Source.objects.get(slug=slug).text
    assert "off Keelung today." in text
    original = editor_api.get(f"{SOURCES}{slug}/original/")
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == (FILES / "report-with-text.pdf").read_bytes()
    assert "report-with-text.pdf" in original["Content-Disposition"]
    assert anon.get(f"{SOURCES}{slug}/original/").status_code == 401
    # The public page and the API show the extracted text only, never a link to the file.
    assert "/original/" not in str(anon.get(f"{SOURCES}{slug}/").json())


@pytest.mark.django_db
def test_html_and_latin1_uploads_give_clean_text(editor_api):
    html = upload(editor_api, "article-with-navigation.html", title="Article")
    assert html.status_code == 201, html.content
    text = Source.objects.get(slug=html.json()["slug"]).text
    assert "Politics menu item" not in text and "SCRIPT" not in text
    latin1 = upload(editor_api, "communique-latin1.txt", title="Communiqué")
    assert latin1.status_code == 201, latin1.content
    assert "côtière" in Source.objects.get(slug=latin1.json()["slug"]).text


@pytest.mark.django_db
def test_an_image_only_pdf_is_400_saying_it_needs_ocr(editor_api):
    response = upload(editor_api, "scanned-image-only.pdf")
    assert response.status_code == 400
    assert response.json()["code"] == "needs_ocr"
    assert "OCR" in response.json()["detail"]
    assert not Source.objects.exists()
    assert not SourceRevision.objects.exists()


@pytest.mark.django_db
def test_a_wrong_file_type_is_400(editor_api):
    response = upload(editor_api, "photo.png", content=b"\x89PNG\r\n\x1a\n")
    assert response.status_code == 400
    assert response.json()["code"] == "unsupported_file_type"


@pytest.mark.django_db
def test_bodies_over_25_mb_are_413_as_json_and_other_endpoints_keep_2_5_mb(editor_api, settings):
    settings.SOURCE_BODY_MAX_BYTES = 3 * 1024 * 1024
    settings.SOURCE_TEXT_MAX_LENGTH = 5_000_000
    # 2.9 MB of JSON passes on the source endpoint, where the rest of the API stops at 2.5 MB.
    big_text = ("A sentence of a long report. " * 100_000)[:2_900_000]
    accepted = editor_api.post(SOURCES, body(text=big_text), format="json")
    assert accepted.status_code == 201, accepted.content[:300]
    refused = editor_api.post(SOURCES, body(text=big_text + "x" * 400_000), format="json")
    assert refused.status_code == 413
    assert refused.json()["code"] == "too_large"
    elsewhere = editor_api.post("/api/v1/citations/", {"quote": big_text}, format="json")
    assert elsewhere.status_code == 413
    too_big_file = upload(editor_api, "big.txt", content=b"x" * (3 * 1024 * 1024 + 1))
    assert too_big_file.status_code == 413
    assert too_big_file["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_a_file_or_text_over_its_own_limit_is_413(editor_api, settings):
    settings.SOURCE_UPLOAD_MAX_BYTES = 1000
    settings.SOURCE_TEXT_MAX_LENGTH = 500
    assert upload(editor_api, "big.txt", content=b"y" * 1001).status_code == 413
    assert editor_api.post(SOURCES, body(text="z" * 501), format="json").status_code == 413


@pytest.mark.django_db
def test_descriptive_fields_are_editable_with_if_match_and_each_edit_recorded(editor_api):
    slug = editor_api.post(SOURCES, body(), format="json").json()["slug"]
    url = f"{SOURCES}{slug}/"
    assert editor_api.patch(url, {"title": "New"}, format="json").status_code == 428
    assert (
        editor_api.patch(url, {"title": "New"}, format="json", HTTP_IF_MATCH='"7"').status_code
        == 412
    )
    changed = editor_api.patch(
        url, {"title": "Joint exercise", "author": "Mei Lin"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert changed.status_code == 200, changed.content
    assert changed["ETag"] == '"2"'
    assert changed.json()["title"] == "Joint exercise"
    edit = SourceEdit.objects.get()
    assert edit.changes["author"] == ["", "Mei Lin"]
    text_change = editor_api.patch(url, {"text": "new"}, format="json", HTTP_IF_MATCH='"2"')
    assert text_change.status_code == 400
    assert "revisions" in text_change.json()["text"][0]


@pytest.fixture
def cited_source(editor_api):
    slug = editor_api.post(SOURCES, body(), format="json").json()["slug"]
    source = Source.objects.get(slug=slug)
    proposal = ProposalFactory()
    keeps = cite(proposal, source, quote="Both sides agreed to hold the exercise every year.")
    return source, keeps


REVISED = REPORT.replace("Coast guards of", "Update: coast guards of")


def test_a_revision_needs_if_match_and_refuses_a_stale_one(editor_api, cited_source):
    source, _ = cited_source
    url = f"{SOURCES}{source.slug}/revisions/"
    data = {"text": REVISED, "note": "Fix the headline."}
    assert editor_api.post(url, data, format="json").status_code == 428
    assert editor_api.post(url, data, format="json", HTTP_IF_MATCH='"5"').status_code == 412
    assert SourceRevision.objects.filter(source=source).count() == 1


def test_a_dry_run_answers_200_and_the_real_run_201(editor_api, cited_source, anon):
    source, keeps = cited_source
    url = f"{SOURCES}{source.slug}/revisions/"
    data = {"text": REVISED, "note": "Fix the headline.", "dry_run": True}
    dry = editor_api.post(url, data, format="json", HTTP_IF_MATCH='"1"')
    assert dry.status_code == 200, dry.content
    assert dry.json()["revision"] == 2
    assert dry.json()["citations"] == [{"id": keeps.pk, "outcome": "relocated"}]
    assert Source.objects.get(pk=source.pk).revision == 1
    applied = editor_api.post(url, {**data, "dry_run": False}, format="json", HTTP_IF_MATCH='"1"')
    assert applied.status_code == 201, applied.content
    assert applied.json()["citations"] == [{"id": keeps.pk, "outcome": "relocated"}]
    assert applied["ETag"] == '"2"'
    detail = anon.get(f"{SOURCES}{source.slug}/").json()
    assert detail["text"] == REVISED
    assert [(item["number"], item["citations_relocated"]) for item in detail["revisions"]] == [
        (1, 0),
        (2, 1),
    ]
    citation = anon.get(f"/api/v1/citations/{keeps.pk}/").json()
    assert (citation["revision"], citation["anchor_status"], citation["verified"]) == (
        2,
        "relocated",
        True,
    )


def test_a_revision_may_come_as_a_file(editor_api, cited_source):
    source, _ = cited_source
    response = editor_api.post(
        f"{SOURCES}{source.slug}/revisions/",
        {
            "note": "From the PDF.",
            "file": SimpleUploadedFile("report.pdf", (FILES / "report-with-text.pdf").read_bytes()),
        },
        format="multipart",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 201, response.content
    # The PDF holds the cited sentence once, elsewhere.
    assert response.json()["citations"][0]["outcome"] == "relocated"
    original = editor_api.get(f"{SOURCES}{source.slug}/original/?revision=2")
    assert original.status_code == 200
    assert editor_api.get(f"{SOURCES}{source.slug}/original/?revision=1").status_code == 404
    assert editor_api.get(f"{SOURCES}{source.slug}/original/?revision=x").status_code == 400


def test_orphaned_citations_stay_verified_on_their_revision(editor_api, cited_source, anon):
    source, keeps = cited_source
    editor_api.post(
        f"{SOURCES}{source.slug}/revisions/",
        {"text": "An entirely different text.", "note": "Wrong document."},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    citation = anon.get(f"/api/v1/citations/{keeps.pk}/").json()
    assert (citation["revision"], citation["anchor_status"], citation["verified"]) == (
        1,
        "orphaned",
        True,
    )
    assert Citation.objects.filter(anchor_status="orphaned").count() == 1


@pytest.mark.django_db
def test_the_source_etag_answers_304(anon, editor_api):
    slug = editor_api.post(SOURCES, body(), format="json").json()["slug"]
    response = anon.get(f"{SOURCES}{slug}/", HTTP_IF_NONE_MATCH='"1"')
    assert response.status_code == 304


def test_dates_of_sources_can_be_known_to_the_month(editor_api, db):
    response = editor_api.post(
        SOURCES, body(published_on="2023-07-01", published_precision="month"), format="json"
    )
    assert response.status_code == 201
    assert Source.objects.get().published_on == datetime.date(2023, 7, 1)
