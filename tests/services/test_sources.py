"""Bringing sources in and correcting their texts, through the services."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from proposals import errors, services, sources
from proposals.anchoring import Outcome, text_hash
from proposals.models import Citation, Proposal, Source, SourceEdit
from tests.factories import ProposalFactory, cite, database_state

FILES = Path(__file__).resolve().parent.parent / "files"

REPORT = (
    "Coast guards of Taiwan and Japan hold a joint exercise.\n"
    "The coast guards of Taiwan and Japan held their first joint exercise off Keelung.\n"
    "Both sides agreed to hold the exercise every year.\n"
)


def new_source(text: str = REPORT, **fields) -> Source:
    fields.setdefault("title", "Coast guards hold a joint exercise")
    fields.setdefault("kind", Source.Kind.NEWS_REPORT)
    return sources.create_source(text=text, **fields)


@pytest.mark.django_db
def test_a_new_source_is_normalised_hashed_and_its_first_revision(editor):
    source = new_source(
        text="Cafe\u0301 report\r\nsecond line\r\n", user=editor, language="zh-Hant"
    )
    assert source.text == "Caf\u00e9 report\nsecond line\n"
    assert source.sha256 == text_hash(source.text)
    assert source.slug == "coast-guards-hold-a-joint-exercise"
    assert source.revision == 1
    revision = source.revisions.get()
    assert (revision.number, revision.text, revision.sha256) == (1, source.text, source.sha256)
    assert revision.created_by == editor


@pytest.mark.django_db
def test_the_same_text_twice_names_the_source_that_holds_it():
    first = new_source()
    before = database_state()
    with pytest.raises(errors.DuplicateSource) as duplicate:
        new_source(text=REPORT.replace("\n", "\r\n"), title="Another title")
    assert duplicate.value.extra["slug"] == first.slug
    assert database_state() == before


@pytest.mark.django_db
def test_a_slug_is_made_unique_from_the_title():
    new_source(text="one text")
    second = new_source(text="another text")
    assert second.slug == "coast-guards-hold-a-joint-exercise-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"text": "   \n"}, errors.EmptyText),
        ({"text": "bell \x07 inside"}, errors.ControlCharacter),
        ({"published_on": datetime.date(2999, 1, 1)}, errors.InvalidDate),
        (
            {"published_on": datetime.date(2023, 7, 18), "published_precision": "month"},
            errors.InvalidDate,
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(fields, error):
    with pytest.raises(error):
        new_source(**fields)
    assert not Source.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/doc", "file:///etc/passwd"]
)
def test_only_http_addresses_are_kept(url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        new_source(document_url=url)
    assert "document_url" in refused.value.message_dict
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_a_text_over_the_limit_is_too_large(settings):
    settings.SOURCE_TEXT_MAX_LENGTH = 100
    with pytest.raises(errors.TooLarge):
        new_source(text="x" * 101)


@pytest.mark.django_db
def test_an_upload_is_extracted_and_kept(settings):
    upload = sources.Upload(
        name="report-with-text.pdf", content=(FILES / "report-with-text.pdf").read_bytes()
    )
    source = new_source(text=None, upload=upload)
    revision = source.revisions.get()
    assert "off Keelung today." in source.text
    assert revision.original_name == "report-with-text.pdf"
    with revision.original_file.open("rb") as stored:
        assert stored.read() == upload.content


@pytest.mark.django_db
def test_details_edits_are_recorded_and_never_touch_the_text(editor):
    source = new_source()
    proposal = ProposalFactory()
    cite(proposal, source, quote="Both sides agreed to hold the exercise every year.")
    version_before = Proposal.objects.get(pk=proposal.pk).version
    edited = sources.update_source(
        source=source,
        title="Joint exercise",
        publisher="Harbour News",
        expected_version=source.version,
        user=editor,
    )
    assert edited.version == 2
    edit = SourceEdit.objects.get(source=source)
    assert edit.changes == {
        "title": ["Coast guards hold a joint exercise", "Joint exercise"],
        "publisher": ["", "Harbour News"],
    }
    assert edit.edited_by == editor
    assert Proposal.objects.get(pk=proposal.pk).version == version_before + 1
    with pytest.raises(errors.StaleSource):
        sources.update_source(source=edited, title="x", expected_version=1)
    with pytest.raises(errors.DomainError):
        sources.update_source(source=edited, text="new", expected_version=2)


@pytest.mark.django_db
def test_checking_a_details_edit_refuses_what_the_edit_would_and_writes_nothing():
    source = new_source()
    sources.check_source_update(source=source, expected_version=source.version, title="Fine")
    before = database_state()
    with pytest.raises(errors.StaleSource):
        sources.check_source_update(source=source, expected_version=source.version - 1)
    with pytest.raises(errors.InvalidDate) as refused:
        sources.check_source_update(
            source=source,
            expected_version=source.version,
            published_on=datetime.date(2999, 1, 1),
        )
    assert refused.value.field == "published_on"
    with pytest.raises(errors.DomainError) as refused:
        sources.check_source_update(source=source, expected_version=source.version, text="x")
    assert refused.value.field == "text"
    with pytest.raises(errors.DomainError, match="U\\+0007"):
        sources.check_source_update(
            source=source, expected_version=source.version, author="Bell\x07"
        )
    assert database_state() == before
    assert Source.objects.get(pk=source.pk).title == source.title


@pytest.fixture
def cited(db):
    """A source cited four ways: one stays, one moves, one becomes ambiguous, one vanishes."""
    source = new_source(
        text="Alpha said the drill went well. Beta agreed. Gamma left early. Delta stayed."
    )
    proposal = ProposalFactory()
    stay = cite(proposal, source, quote="Alpha said the drill went well.")
    move = cite(proposal, source, quote="Gamma left early.", role="evidence")
    repeat = cite(proposal, source, quote="Beta agreed.", role="context")
    gone = cite(proposal, source, quote="Delta stayed.", role="context")
    proposal.refresh_from_db()
    services.record_transition(
        proposal=proposal,
        to_status="agreed",
        note="The drill went well.",
        effective_date=datetime.date(2006, 1, 1),
        evidence=[move],
        expected_version=proposal.version,
    )
    source.refresh_from_db()
    return source, {"stay": stay, "move": move, "repeat": repeat, "gone": gone}


CORRECTED = (
    "Alpha said the drill went well. Now: Beta agreed. Beta agreed. Then: Gamma left early. "
    "Epsilon."
)


def test_a_dry_run_gives_each_outcome_and_changes_nothing(cited):
    source, citations = cited
    before = database_state()
    result = sources.revise_source(
        source=source,
        text=CORRECTED,
        note="Fix the transcript.",
        dry_run=True,
        expected_version=source.version,
    )
    outcomes = {item.id: item.outcome for item in result.citations}
    assert outcomes == {
        citations["stay"].pk: Outcome.EXACT,
        citations["move"].pk: Outcome.RELOCATED,
        citations["repeat"].pk: Outcome.AMBIGUOUS,
        citations["gone"].pk: Outcome.ORPHANED,
    }
    assert (result.revision, result.applied) == (2, False)
    assert database_state() == before


def test_a_revision_reanchors_every_citation_and_keeps_the_old_text(cited, editor):
    source, citations = cited
    old_text = source.text
    result = sources.revise_source(
        source=source,
        text=CORRECTED,
        note="Fix the transcript.",
        expected_version=source.version,
        user=editor,
    )
    assert (result.revision, result.applied) == (2, True)
    source.refresh_from_db()
    assert (source.text, source.revision, source.version) == (CORRECTED, 2, 2)
    first, second = source.revisions.order_by("number")
    assert (first.text, second.text) == (old_text, CORRECTED)
    assert (second.citations_relocated, second.citations_unresolved) == (1, 2)
    assert second.note == "Fix the transcript." and second.created_by == editor

    stay, move, repeat, gone = (
        Citation.objects.get(pk=citations[name].pk) for name in ("stay", "move", "repeat", "gone")
    )
    assert (stay.revision, stay.anchor_status) == (second, "exact")
    # The evidence citation moved with its words: same quote, new offsets and revision.
    assert (move.revision, move.anchor_status, move.quote) == (
        second,
        "relocated",
        "Gamma left early.",
    )
    assert CORRECTED[move.start : move.end] == "Gamma left early."
    assert move.prefix == CORRECTED[max(0, move.start - 32) : move.start]
    # Ambiguous and orphaned citations stay on their revision, still verifiable there.
    for citation in (repeat, gone):
        assert citation.revision == first
        assert old_text[citation.start : citation.end] == citation.quote
    assert (repeat.anchor_status, gone.anchor_status) == ("ambiguous", "orphaned")


def test_a_stale_or_identical_revision_is_refused(cited):
    source, _ = cited
    before = database_state()
    with pytest.raises(errors.StaleSource):
        sources.revise_source(source=source, text=CORRECTED, note="x", expected_version=99)
    with pytest.raises(errors.SameText):
        sources.revise_source(
            source=source, text=source.text, note="x", expected_version=source.version
        )
    assert database_state() == before


def test_a_revision_may_not_take_another_sources_text(cited):
    source, _ = cited
    other = new_source(text="Another document entirely.")
    with pytest.raises(errors.DuplicateSource) as duplicate:
        sources.revise_source(
            source=source, text=other.text, note="x", expected_version=source.version
        )
    assert duplicate.value.extra["slug"] == other.slug


@pytest.mark.postgres
def test_the_database_lets_evidence_offsets_move_but_never_its_words(cited):
    from django.db import IntegrityError, transaction

    source, citations = cited
    sources.revise_source(
        source=source, text=CORRECTED, note="Fix.", expected_version=source.version
    )
    move = Citation.objects.get(pk=citations["move"].pk)
    assert move.anchor_status == "relocated"
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.filter(pk=move.pk).update(quote="Gamma stayed.")
    with transaction.atomic():
        Citation.objects.filter(pk=move.pk).update(start=move.start, end=move.end)
