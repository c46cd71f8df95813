"""The admin's source pages: adding a source, correcting its text, the anchor status filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import sources
from proposals.models import Citation, Source, SourceEdit, SourceRevision
from tests.factories import ProposalFactory, SourceFactory, cite, source_form_data

FILES = Path(__file__).resolve().parent.parent / "files"
ADD = reverse("admin:proposals_source_add")


def details(**fields):
    data = {
        "slug": "",
        "title": "Coast guards hold joint HADR exercise",
        "kind": "news_report",
        "publisher": "Harbour News",
        "author": "",
        "reference": "",
        "published_on": "2023-07-18",
        "published_precision": "day",
        "classification": "",
        "language": "en",
        "document_url": "",
        "archived_url": "",
        "retrieved_on": "",
        "text": "",
    }
    data.update(fields)
    return data


@pytest.mark.django_db
def test_an_editor_adds_a_source_by_pasting_its_text(editor_client, editor):
    response = editor_client.post(ADD, details(text="Line one.\r\nLine two.\r\n"))
    assert response.status_code == 302, response.content.decode()[:2000]
    source = Source.objects.get()
    assert source.slug == "coast-guards-hold-joint-hadr-exercise"
    assert source.text == "Line one.\nLine two.\n"
    assert source.created_by == editor
    assert source.revisions.get().number == 1


@pytest.mark.django_db
def test_an_editor_adds_a_source_from_a_pdf_and_downloads_it(editor_client, client, staff_user):
    pdf = (FILES / "report-with-text.pdf").read_bytes()
    response = editor_client.post(
        ADD, details(file=SimpleUploadedFile("report-with-text.pdf", pdf))
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert "off Keelung today." in source.text
    page = editor_client.get(reverse("admin:proposals_source_change", args=[source.pk]))
    url = reverse("admin:proposals_source_original", args=[source.pk, 1])
    assert url in page.content.decode()
    download = editor_client.get(url)
    assert b"".join(download.streaming_content) == pdf
    client.force_login(staff_user)
    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"file": "scanned-image-only.pdf"}, "OCR"),
        ({"text": "   "}, "empty"),
        ({"text": "Some text", "document_url": "javascript:alert(1)"}, "valid URL"),
        ({"text": "Some text", "published_on": "2023-02-30"}, "valid date"),
        ({"text": "Some text", "language": "not a tag"}, "BCP 47 language tag"),
        ({"text": "Some text", "author": "A\u0085B"}, "control character U+0085"),
        ({"text": "Bell\x07 text"}, "control character U+0007"),
    ],
)
def test_refusals_show_on_the_form_and_nothing_is_saved(editor_client, fields, message):
    if "file" in fields:
        name = fields["file"]
        fields = {"file": SimpleUploadedFile(name, (FILES / name).read_bytes())}
    response = editor_client.post(ADD, details(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_text_names_the_source_holding_it(editor_client):
    SourceFactory(slug="already-here", text="The same words.")
    response = editor_client.post(ADD, details(text="The same words."))
    assert response.status_code == 200
    assert "already-here" in response.content.decode()
    assert Source.objects.count() == 1


@pytest.mark.django_db
def test_details_edits_are_recorded(editor_client, editor):
    source = SourceFactory()
    url = reverse("admin:proposals_source_change", args=[source.pk])
    data = source_form_data(source, title="A better title", published_on="2005-11-10")
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    edit = SourceEdit.objects.get()
    assert edit.changes["title"] == [source.title, "A better title"]
    assert edit.edited_by == editor
    assert Source.objects.get(pk=source.pk).text == source.text
    assert Source.objects.get(pk=source.pk).version == source.version + 1


@pytest.mark.django_db
def test_a_stale_details_edit_is_refused_and_keeps_what_was_typed(editor_client):
    source = SourceFactory(title="Cable one", publisher="Embassy")
    url = reverse("admin:proposals_source_change", args=[source.pk])
    # The page carries the version it was read at, hidden, with no label pointing at it.
    page = editor_client.get(url).content.decode()
    assert f'name="expected_version" value="{source.version}"' in page
    assert 'for="id_expected_version"' not in page
    typed = source_form_data(source, title="Cable one, as I read it")
    # Another editor saves the details meanwhile.
    sources.update_source(
        source=source, expected_version=source.version, publisher="Embassy Taipei"
    )
    response = editor_client.post(url, typed)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "changed meanwhile" in " ".join(form.non_field_errors())
    assert form["title"].value() == "Cable one, as I read it"
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.publisher) == ("Cable one", "Embassy Taipei")
    assert SourceEdit.objects.count() == 1
    # Sent again as it is, it would still undo the other's change: still refused.
    assert editor_client.post(url, typed).status_code == 200
    assert Source.objects.get(pk=source.pk).title == "Cable one"
    # Reloaded, the title typed again saves beside the other's publisher.
    again = editor_client.post(url, source_form_data(stored, title="Cable one, as I read it"))
    assert again.status_code == 302
    stored = Source.objects.get(pk=source.pk)
    assert (stored.title, stored.publisher) == ("Cable one, as I read it", "Embassy Taipei")


@pytest.mark.django_db
def test_a_details_edit_read_before_a_revision_is_stale(editor_client):
    source = SourceFactory(text="Alpha said yes.", title="Cable one")
    url = reverse("admin:proposals_source_change", args=[source.pk])
    typed = source_form_data(source, title="Renamed")
    sources.revise_source(
        source=source,
        text="Alpha said yes. Beta agreed.",
        note="Fuller text.",
        expected_version=source.version,
    )
    response = editor_client.post(url, typed)
    assert response.status_code == 200
    assert "changed meanwhile" in response.content.decode()
    assert Source.objects.get(pk=source.pk).title == "Cable one"


@pytest.mark.django_db
def test_a_future_date_in_the_details_is_refused_beside_its_field(editor_client):
    source = SourceFactory(title="Cable one")
    url = reverse("admin:proposals_source_change", args=[source.pk])
    response = editor_client.post(url, source_form_data(source, published_on="2999-01-01"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "future" in " ".join(errors["published_on"])
    assert Source.objects.get(pk=source.pk).published_on == source.published_on


@pytest.mark.django_db
def test_a_correction_is_previewed_then_applied(editor_client):
    source = SourceFactory(text="Alpha said yes. Beta said no.")
    proposal = ProposalFactory()
    moved = cite(proposal, source, quote="Beta said no.")
    url = reverse("admin:proposals_source_revise", args=[source.pk])
    form = {"text": "Intro. Alpha said yes. Beta said no.", "note": "Add the intro.", "version": 1}
    preview = editor_client.post(url, {**form, "preview": "1"})
    assert preview.status_code == 200
    assert "relocated" in preview.content.decode()
    assert SourceRevision.objects.filter(source=source).count() == 1
    applied = editor_client.post(url, {**form, "apply": "1"})
    assert applied.status_code == 302
    assert Source.objects.get(pk=source.pk).revision == 2
    assert Citation.objects.get(pk=moved.pk).anchor_status == "relocated"
    stale = editor_client.post(url, {**form, "text": "Other.", "apply": "1"})
    assert "changed meanwhile" in stale.content.decode()


@pytest.mark.django_db
def test_the_citation_list_filters_by_anchor_status(editor_client):
    source = SourceFactory(text="Alpha said yes. Beta said no.")
    proposal = ProposalFactory()
    kept = cite(proposal, source, quote="Alpha said yes.")
    lost = cite(proposal, source, quote="Beta said no.")
    sources.revise_source(
        source=source, text="Alpha said yes.", note="Cut.", expected_version=source.version
    )
    changelist = reverse("admin:proposals_citation_changelist")
    page = editor_client.get(changelist, {"anchor_status__exact": "orphaned"})
    rows = page.context["cl"].result_list
    assert [citation.pk for citation in rows] == [lost.pk]
    assert kept.pk not in [citation.pk for citation in rows]
    assert "Orphaned" in page.content.decode()


@pytest.mark.django_db
def test_a_repeated_quote_in_the_inline_needs_its_start(editor_client):
    SourceFactory(text="Taiwan and Japan met. Then Taiwan and Japan agreed.")
    proposal = ProposalFactory()
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "occurrence_start" in page.content.decode()
