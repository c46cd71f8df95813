"""
The writes of sources by editors: bringing a document in, and correcting its text.

A source's text is normalised once, when it comes in (anchoring.normalise_text), hashed, and
never changed in place: a correction is a new numbered revision, on which every citation of the
source is anchored again with one outcome each (anchoring.reanchor). These services are the
points to hook on for anything that follows a new or corrected source (notifications, feeds):
each returns what it wrote, inside its transaction, and publishes its webhook event there (an
outbox: a rolled-back write sends nothing, a committed one is never lost).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from proposals import anchoring, errors, extraction, services
from proposals.models import (
    Citation,
    Proposal,
    Source,
    SourceRevision,
    now_to_the_millisecond,
)
from webhooks.events import EventType, publish_event

TEXT_MAX_LENGTH = 2_000_000
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
SLUG_MAX_LENGTH = 100


@dataclass(frozen=True)
class Upload:
    """An uploaded file: its name as the client gave it, its bytes and declared type."""

    name: str
    content: bytes
    content_type: str | None = None


@dataclass(frozen=True)
class CitationOutcome:
    id: int
    outcome: anchoring.Outcome


@dataclass
class RevisionResult:
    """What a revision did (or, for a dry run, would do) to the citations of its source."""

    source: Source
    revision: int
    applied: bool
    citations: list[CitationOutcome] = field(default_factory=list)
    revision_row: SourceRevision | None = None

    def count(self, outcome: anchoring.Outcome) -> int:
        return sum(1 for item in self.citations if item.outcome == outcome)


def _upload_limit() -> int:
    return getattr(settings, "SOURCE_UPLOAD_MAX_BYTES", UPLOAD_MAX_BYTES)


def _text_limit() -> int:
    return getattr(settings, "SOURCE_TEXT_MAX_LENGTH", TEXT_MAX_LENGTH)


def text_of(*, text: str | None, upload: Upload | None) -> str:
    """The normalised text given as `text` or read from `upload` (exactly one of them)."""
    if (text is None) == (upload is None):
        raise errors.DomainError(
            "Give the document's text either as `text` or as an uploaded `file`, not both.",
            field="text" if text is not None else "file",
        )
    if upload is not None:
        if len(upload.content) > _upload_limit():
            raise errors.TooLarge(
                f"The file has {len(upload.content):,} bytes; at most {_upload_limit():,} are "
                "accepted.",
                field="file",
            )
        extracted = extraction.extract(
            name=upload.name, content=upload.content, content_type=upload.content_type
        )
        normalised = extracted.text
        field_name = "file"
    else:
        assert text is not None
        services.check_plain_text(text=text)
        normalised = anchoring.normalise_text(text)
        field_name = "text"
    if not normalised.strip():
        raise errors.EmptyText(field_name)
    if len(normalised) > _text_limit():
        raise errors.TooLarge(
            f"The text has {len(normalised):,} characters; at most {_text_limit():,} are accepted.",
            field=field_name,
        )
    return normalised


def holder_of(sha256: str, *, exclude: Source | None = None) -> str | None:
    """The slug of a source whose current or earlier text has this hash, if any."""
    sources = Source.objects.all() if exclude is None else Source.objects.exclude(pk=exclude.pk)
    slug = sources.filter(sha256=sha256).values_list("slug", flat=True).first()
    if slug is None:
        revisions = SourceRevision.objects.filter(sha256=sha256)
        if exclude is not None:
            revisions = revisions.exclude(source=exclude)
        slug = revisions.values_list("source__slug", flat=True).first()
    return slug


def _free_slug(title: str) -> str:
    """A slug made from the title, with a number appended if another source holds it."""
    base = slugify(title)[: SLUG_MAX_LENGTH - 6].strip("-") or "source"
    slug, number = base, 2
    while Source.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _file_of(upload: Upload | None) -> ContentFile | None:
    return None if upload is None else ContentFile(upload.content, name=upload.name)


def check_new_source(
    *,
    title: str,
    kind: str,
    text: str | None = None,
    upload: Upload | None = None,
    slug: str | None = None,
    **details: Any,
) -> Source:
    """The source create_source would write (unsaved), or the refusal it would raise.

    Writes nothing; forms call it to show a refusal beside the field. The text is normalised
    and hashed; the same text twice is refused (DuplicateSource names the source holding it).
    """
    unknown = set(details) - set(services.SOURCE_DETAIL_FIELDS)
    if unknown:
        raise errors.DomainError(
            f"Unknown source fields: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0]
        )
    normalised = text_of(text=text, upload=upload)
    sha256 = anchoring.text_hash(normalised)
    existing = holder_of(sha256)
    if existing is not None:
        raise errors.DuplicateSource(existing)
    if slug:
        services.check_plain_text(slug=slug)
        if Source.objects.filter(slug=slug).exists():
            raise errors.SlugTaken(slug)
    source = Source(
        slug=slug or _free_slug(title),
        title=title,
        kind=kind,
        text=normalised,
        sha256=sha256,
        **details,
    )
    services.check_source_details(source)
    source.full_clean()
    return source


@transaction.atomic
def create_source(
    *,
    title: str,
    kind: str,
    text: str | None = None,
    upload: Upload | None = None,
    slug: str | None = None,
    user: AbstractBaseUser | None = None,
    **details: Any,
) -> Source:
    """Bring a document in: its text (pasted or read from the upload) becomes revision 1.

    The same text twice is refused (DuplicateSource names the source holding it); the upload
    is kept in the default storage, for editors.
    """
    source = check_new_source(
        title=title, kind=kind, text=text, upload=upload, slug=slug, **details
    )
    source.created_by = user
    try:
        with transaction.atomic():
            source.save()
    except IntegrityError:
        # Another editor took the slug since the check.
        raise errors.SlugTaken(source.slug) from None
    SourceRevision.objects.create(
        source=source,
        number=1,
        text=source.text,
        sha256=source.sha256,
        original_file=_file_of(upload),
        original_name=upload.name[:255] if upload else "",
        created_by=user,
        created_at=source.created_at,
    )
    publish_event(EventType.SOURCE_CREATED, source)
    return source


def _claims_key(citation: Citation, start: int, end: int) -> tuple[int, int, int, str]:
    return (citation.proposal_id, start, end, citation.role)


@transaction.atomic
def revise_source(
    *,
    source: Source,
    note: str,
    text: str | None = None,
    upload: Upload | None = None,
    dry_run: bool = False,
    expected_version: int | None,
    user: AbstractBaseUser | None = None,
) -> RevisionResult:
    """Correct a source's text: a new revision, and every citation anchored on it again.

    Each citation gets one outcome (anchoring.reanchor): exact and relocated ones move to the
    new revision (offsets and context; their words never change, evidence included); ambiguous
    and orphaned ones stay on the revision they were anchored on, marked for editors. A dry
    run computes the same outcomes and writes nothing. `expected_version` is the source's
    version the caller saw (its ETag); None only where no concurrent editor can exist.
    """
    services.check_plain_text(note=note)
    if len(note) > services.workflow.NOTE_MAX_LENGTH:
        raise errors.NoteTooLong(len(note), services.workflow.NOTE_MAX_LENGTH)
    new_text = text_of(text=text, upload=upload)
    locked = Source.objects.select_for_update().get(pk=source.pk)
    if expected_version is not None and locked.version != expected_version:
        raise errors.StaleSource(expected=expected_version, current=locked.version)
    sha256 = anchoring.text_hash(new_text)
    if sha256 == locked.sha256:
        raise errors.SameText()
    existing = holder_of(sha256, exclude=locked)
    if existing is not None:
        raise errors.DuplicateSource(existing)

    number = locked.revision + 1
    citations = list(
        Citation.objects.filter(source=locked)
        .only("id", "proposal_id", "role", "quote", "prefix", "suffix", "start", "end")
        .order_by("id")
    )
    plan: list[tuple[Citation, anchoring.Reanchored]] = []
    claimed: set[tuple[int, int, int, str]] = set()
    for citation in citations:
        result = anchoring.reanchor(
            new_text,
            quote=citation.quote,
            prefix=citation.prefix,
            suffix=citation.suffix,
            start=citation.start,
        )
        if result.start is not None and result.end is not None:
            key = _claims_key(citation, result.start, result.end)
            if key in claimed:
                # Two citations of one proposal in one role would land on the same words:
                # the second cannot be told apart from the first.
                result = anchoring.Reanchored(anchoring.Outcome.AMBIGUOUS)
            else:
                claimed.add(key)
        plan.append((citation, result))
    outcome = RevisionResult(
        source=locked,
        revision=number,
        applied=not dry_run,
        citations=[CitationOutcome(citation.pk, result.outcome) for citation, result in plan],
    )
    if dry_run:
        return outcome

    moved = outcome.count(anchoring.Outcome.RELOCATED)
    revision = SourceRevision.objects.create(
        source=locked,
        number=number,
        text=new_text,
        sha256=sha256,
        note=note.strip(),
        original_file=_file_of(upload),
        original_name=upload.name[:255] if upload else "",
        citations_relocated=moved,
        citations_unresolved=outcome.count(anchoring.Outcome.AMBIGUOUS)
        + outcome.count(anchoring.Outcome.ORPHANED),
        created_by=user,
    )
    for citation, result in plan:
        if result.start is None or result.end is None:
            Citation.objects.filter(pk=citation.pk).update(anchor_status=str(result.outcome))
            continue
        prefix, suffix = anchoring.context_of(new_text, result.start, result.end)
        Citation.objects.filter(pk=citation.pk).update(
            revision=revision,
            start=result.start,
            end=result.end,
            prefix=prefix,
            suffix=suffix,
            anchor_status=str(result.outcome),
        )
    Source.objects.filter(pk=locked.pk).update(
        text=new_text, sha256=sha256, revision=number, version=F("version") + 1
    )
    # The result carries the source as written; the `source` given is left as it was read.
    locked.refresh_from_db()
    # The proposals citing it show offsets and anchor status that may have changed.
    cited_by = Citation.objects.filter(source=locked).values("proposal_id")
    Proposal.objects.filter(pk__in=cited_by).update(
        version=F("version") + 1, updated_at=now_to_the_millisecond()
    )
    outcome.revision_row = revision
    publish_event(
        EventType.SOURCE_REVISED,
        locked,
        revision=number,
        citations=[{"id": item.id, "outcome": str(item.outcome)} for item in outcome.citations],
    )
    return outcome


def _check_detail_fields(changes: dict[str, Any]) -> None:
    unknown = set(changes) - set(services.SOURCE_DETAIL_FIELDS)
    if unknown:
        raise errors.DomainError(
            f"These fields cannot be changed here: {', '.join(sorted(unknown))}.",
            field=sorted(unknown)[0],
        )


def check_source_update(*, source: Source, expected_version: int, **changes: Any) -> None:
    """Raise what update_source would refuse before writing, and write nothing.

    For forms: a stale version (someone saved meanwhile), fields that cannot be changed here,
    forbidden characters, badly kept dates.
    """
    _check_detail_fields(changes)
    current = Source.objects.values_list("version", flat=True).get(pk=source.pk)
    if current != expected_version:
        raise errors.StaleSource(expected=expected_version, current=current)
    # An unsaved copy of the details as they would read: `source` itself is left alone.
    details = {name: getattr(source, name) for name in services.SOURCE_DETAIL_FIELDS}
    services.check_source_details(Source(**{**details, **changes}))


@transaction.atomic
def update_source(
    *,
    source: Source,
    expected_version: int,
    user: AbstractBaseUser | None = None,
    **changes: Any,
) -> Source:
    """Change descriptive fields (SOURCE_DETAIL_FIELDS, by keyword; never the text), recording
    the edit. Returns the source as written; the `source` given is left as it was read.

    A stale `expected_version` is refused (StaleSource), even when nothing changes.
    """
    _check_detail_fields(changes)
    edited = Source.objects.get(pk=source.pk)
    for name, value in changes.items():
        setattr(edited, name, value)
    return services.save_source_details(source=edited, user=user, expected_version=expected_version)
