"""
Every write of the tracker, each in one transaction.

Views, the admin, the API, management commands and tests call these functions; nothing else
writes a proposal's status, a citation's offsets or a history row.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from proposals import anchoring, errors, validators, workflow
from proposals.models import (
    Actor,
    AnchorStatus,
    Citation,
    Position,
    PositionEvidence,
    Proposal,
    ProposalGroup,
    Relation,
    Source,
    SourceEdit,
    SourceRevision,
    StatusChange,
    StatusChangeEvidence,
    now_to_the_millisecond,
)
from webhooks.events import EventType, publish_event

# The translations (title_ja, summary_zh_hant, ...) are editable like the English text.
TRANSLATED_PROPOSAL_FIELDS = tuple(
    build_localized_fieldname(field, code)
    for field in ("title", "summary")
    for code, _name in settings.LANGUAGES
)
# What an editor may change on a proposal once it exists, declared once: the admin's form and
# update_proposal take these names. Never its slug, its date (the first entry of the history
# carries them) nor its status (record_transition). `title` and `summary` also stand for their
# English columns, as the API writes them.
EDITABLE_PROPOSAL_FIELDS = (
    *TRANSLATED_PROPOSAL_FIELDS,
    "editor_notes",
    "category",
    "group",
    "ordinal",
    "proposers",
    "addressees",
)
P = ParamSpec("P")
R = TypeVar("R")


def in_default_language(function: Callable[P, R]) -> Callable[P, R]:
    """Run a write with English active, so that `title` means the English title.

    django-modeltranslation reads and writes a translated field (`title`) in the active
    language; a service must not write the Japanese column because a Japanese editor called it.
    Translations are written by their own names (`title_ja`).
    """

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def _today() -> datetime.date:
    return timezone.localdate()


def _lock_proposal(proposal: Proposal, expected_version: int | None) -> Proposal:
    """Lock the proposal's row, refresh it, and refuse if its version is not the expected one."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if expected_version is not None and locked.version != expected_version:
        raise errors.StaleVersion(expected=expected_version, current=locked.version)
    return locked


def check_plain_text(**fields: Any) -> None:
    """Raise ControlCharacter for the first of `fields` (name=value) holding a forbidden character.

    Forbidden: control characters but tab and line breaks, lone surrogates and Unicode
    non-characters (U+FFFE, U+FFFF, ...), which no page, feed or export can carry.
    """
    for name, value in fields.items():
        character = validators.forbidden_character(value)
        if character is not None:
            raise errors.ControlCharacter(name, character)


def _taken_by_another(proposal: Proposal) -> errors.AlreadyTaken:
    """Name the unique value of `proposal` that another proposal holds (after an IntegrityError).

    Two editors may pass `full_clean()` at the same moment; the database then refuses the second
    write. Read what the winner committed, to tell the loser which value to change.
    """
    others = Proposal.objects.exclude(pk=proposal.pk)
    if others.filter(slug=proposal.slug).exists():
        return errors.AlreadyTaken("slug", proposal.slug)
    if others.filter(title=proposal.title).exists():
        return errors.AlreadyTaken("title", proposal.title)
    if proposal.group and others.filter(group=proposal.group, ordinal=proposal.ordinal).exists():
        return errors.AlreadyTaken("ordinal", proposal.ordinal)
    return errors.AlreadyTaken(None)


def _save_with_next_version(proposal: Proposal, **fields: Any) -> None:
    """Write `fields` (such as the status and its date) and the next version of `proposal`.

    A conditional update, mirrored in memory on `proposal` (the service's own locked instance).

    The condition on the version makes racing writers produce one winner even where the
    database has no row locks (SQLite).
    """
    now = now_to_the_millisecond()
    # Column names as given: `title` is the plain column that mirrors the English title.
    updated = (
        Proposal.objects.rewrite(False)
        .filter(pk=proposal.pk, version=proposal.version)
        .update(version=F("version") + 1, updated_at=now, **fields)
    )
    if updated != 1:
        current = Proposal.objects.values_list("version", flat=True).get(pk=proposal.pk)
        raise errors.StaleVersion(expected=proposal.version, current=current)
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.version += 1
    proposal.updated_at = now


def _translated_columns(fields: dict[str, Any]) -> dict[str, Any]:
    """Spell out the columns a write of translated fields touches.

    The English text lives in `title_en` and is mirrored in the plain `title` column; a missing
    translation is NULL, never "", so that the unique titles of each language ignore it.
    """
    fields = dict(fields)
    for field in ("title", "summary"):
        english = build_localized_fieldname(field, settings.LANGUAGE_CODE)
        if field in fields:
            fields[english] = fields[field]
        elif english in fields:
            fields[field] = fields[english]
        for code, _name in settings.LANGUAGES:
            column = build_localized_fieldname(field, code)
            if code != settings.LANGUAGE_CODE and column in fields:
                fields[column] = fields[column] or None
    return fields


def source_from_text(*, text: str, **fields: Any) -> Source:
    """Create the source `fields["slug"]` with `text` byte for byte as its first revision.

    For the corpus import (seed files are stored exactly as they are) and for tests; editors
    bring sources in through `create_source`, which normalises the text. An existing source
    with the same slug gets the fields, but never a different text: that is a revision.
    """
    fields = dict(fields)
    slug = fields.pop("slug")
    source = Source.objects.filter(slug=slug).first() or Source(slug=slug)
    if not source._state.adding and source.text != text:
        raise errors.DomainError(
            f"Source {slug!r} already holds another text; correct it with a revision.",
            field="text",
        )
    for name, value in fields.items():
        setattr(source, name, value)
    source.text = text
    source.sha256 = anchoring.text_hash(text)
    source.full_clean()
    with transaction.atomic():
        creating = source._state.adding
        source.save()
        if creating:
            SourceRevision.objects.create(source=source, number=1, text=text, sha256=source.sha256)
    return source


@in_default_language
@transaction.atomic
def create_proposal(
    *,
    slug: str,
    title: str,
    summary: str,
    category: str,
    proposed_on: datetime.date,
    editor_notes: str = "",
    proposed_precision: str = workflow.Precision.DAY,
    proposed_qualifier: str = workflow.DateQualifier.EXACT,
    group: str = "",
    ordinal: int | None = None,
    proposers: Iterable[Actor] = (),
    addressees: Iterable[Actor] = (),
    note: str = "Proposed.",
    user: AbstractBaseUser | None = None,
    translations: Mapping[str, str] | None = None,
) -> Proposal:
    """Create a proposal in its initial status, with the first entry of its history.

    `title` and `summary` are the English text; `translations` may give the others by their
    column names (`title_ja`, `summary_zh_hant`, ...).
    """
    translations = dict(translations or {})
    unknown = set(translations) - set(TRANSLATED_PROPOSAL_FIELDS)
    if unknown:
        raise errors.DomainError(
            _("Unknown translated fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    check_plain_text(
        slug=slug,
        title=title,
        summary=summary,
        editor_notes=editor_notes,
        group=group,
        note=note,
        **translations,
    )
    workflow.check_plausible_date(proposed_on, "proposed_on")
    workflow.check_precision(proposed_on, proposed_precision, "proposed_on")
    workflow.check_qualifier(proposed_qualifier, "proposed_qualifier")
    if proposed_on > _today():
        raise errors.InvalidDate("proposed_on", _("A proposal's date may not lie in the future."))
    proposal = Proposal(
        slug=slug,
        title=title,
        summary=summary,
        editor_notes=editor_notes,
        category=category,
        group=group,
        ordinal=ordinal,
        proposed_on=proposed_on,
        proposed_precision=proposed_precision,
        proposed_qualifier=proposed_qualifier,
        status=workflow.INITIAL_STATUS,
        status_since=proposed_on,
        status_since_precision=proposed_precision,
        status_since_qualifier=proposed_qualifier,
    )
    for name, value in translations.items():
        setattr(proposal, name, value or None)
    proposal.full_clean()
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        # Another editor created the same slug or title since full_clean() looked.
        raise _taken_by_another(proposal) from None
    proposal.proposers.set(proposers)
    proposal.addressees.set(addressees)
    StatusChange.objects.create(
        proposal=proposal,
        from_status="",
        to_status=workflow.INITIAL_STATUS,
        effective_date=proposed_on,
        effective_precision=proposed_precision,
        effective_qualifier=proposed_qualifier,
        note=workflow.check_note(note),
        recorded_by=user,
    )
    publish_event(EventType.PROPOSAL_CREATED, proposal)
    return proposal


def _check_proposal_changes(changes: Mapping[str, Any]) -> None:
    """Refuse fields that are not editable, and forbidden characters in those that are."""
    unknown = set(changes) - {*EDITABLE_PROPOSAL_FIELDS, "title", "summary"}
    if unknown:
        raise errors.DomainError(
            _("These fields cannot be changed here: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))},
            field=sorted(unknown)[0],
        )
    check_plain_text(**{name: value for name, value in changes.items() if isinstance(value, str)})


def check_proposal_update(*, proposal: Proposal, expected_version: int, **changes: Any) -> None:
    """Raise what update_proposal would refuse before writing, and write nothing.

    For forms: a stale version (someone saved meanwhile), fields that are not editable,
    forbidden characters. The database's unique values are checked by the write itself.
    """
    _check_proposal_changes(changes)
    current = Proposal.objects.values_list("version", flat=True).get(pk=proposal.pk)
    if current != expected_version:
        raise errors.StaleVersion(expected=expected_version, current=current)


@in_default_language
@transaction.atomic
def update_proposal(
    *,
    proposal: Proposal,
    expected_version: int,
    user: AbstractBaseUser | None = None,
    **changes: Any,
) -> Proposal:
    """Change a proposal's descriptive fields and actors (EDITABLE_PROPOSAL_FIELDS, by keyword).

    Returns the proposal as written, at its new version; the `proposal` given is not changed.
    No `changes` changes nothing (the version stays), but a stale `expected_version` is still
    refused.
    """
    _check_proposal_changes(changes)
    locked = _lock_proposal(proposal, expected_version)
    if not changes:
        return locked
    actors = {name: changes.pop(name) for name in ("proposers", "addressees") if name in changes}
    fields = _translated_columns(changes)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    try:
        with transaction.atomic():
            _save_with_next_version(locked, **fields)
    except IntegrityError:
        # Another proposal took the same title (or place in the group) since full_clean().
        raise _taken_by_another(locked) from None
    for name, actors_named in actors.items():
        getattr(locked, name).set(actors_named)
    return locked


def transition_problems(
    *,
    proposal: Proposal,
    to_status: str | None,
    note: str | None,
    effective_date: datetime.date | None,
    effective_precision: str | None,
    evidence: Iterable[Citation],
    expected_version: int | None,
) -> list[errors.DomainError]:
    """Every rule a status change would break, without writing it: record_transition's twin.

    For forms, which show each problem beside its field; a value the form could not read
    (None) is left to the form. Raises StaleVersion first when the proposal moved on since
    `expected_version`: the rules would otherwise be checked against a status the caller
    never saw.
    """
    current = Proposal.objects.get(pk=proposal.pk)
    if expected_version is not None and current.version != expected_version:
        raise errors.StaleVersion(expected=expected_version, current=current.version)
    problems: list[errors.DomainError] = []
    try:
        check_plain_text(note=note)
    except errors.ControlCharacter as exc:
        problems.append(exc)
    return problems + workflow.change_problems(
        from_status=current.status,
        to_status=to_status,
        note=note,
        effective_date=effective_date,
        effective_precision=effective_precision,
        proposed_on=current.proposed_on,
        previous_date=current.status_since,
        evidence_proposal_ids=[citation.proposal_id for citation in evidence],
        proposal_id=current.pk,
        today=_today(),
    )


@transaction.atomic
def record_transition(
    *,
    proposal: Proposal,
    to_status: str,
    note: str,
    effective_date: datetime.date,
    effective_precision: str = workflow.Precision.DAY,
    effective_qualifier: str = workflow.DateQualifier.EXACT,
    evidence: Sequence[Citation] | Iterable[int] = (),
    user: AbstractBaseUser | None = None,
    expected_version: int | None,
) -> StatusChange:
    """Move a proposal to `to_status` and append the change to its history.

    `expected_version` is the version the caller saw; a different current version means
    someone else wrote meanwhile, and the change is refused. Pass None only where no concurrent
    editor can exist (loading the corpus). Returns the change; its `proposal` is the proposal
    as written (new status and version), the `proposal` given is not changed.
    """
    check_plain_text(note=note)
    workflow.check_qualifier(effective_qualifier, "effective_qualifier")
    locked = _lock_proposal(proposal, expected_version)
    evidence_ids = [item.pk if isinstance(item, Citation) else int(item) for item in evidence]
    evidence_rows = list(
        Citation.objects.filter(pk__in=evidence_ids).values_list("pk", "proposal_id")
    )
    if len(evidence_rows) != len(set(evidence_ids)):
        raise errors.DomainError(_("Some evidence citations do not exist."), field="evidence")
    cleaned_note = workflow.check_change(
        from_status=locked.status,
        to_status=to_status,
        note=note,
        effective_date=effective_date,
        effective_precision=effective_precision,
        proposed_on=locked.proposed_on,
        previous_date=locked.status_since,
        evidence_proposal_ids=[proposal_id for _, proposal_id in evidence_rows],
        proposal_id=locked.pk,
        today=_today(),
    )
    change = StatusChange(
        proposal=locked,
        from_status=locked.status,
        to_status=to_status,
        effective_date=effective_date,
        effective_precision=effective_precision,
        effective_qualifier=effective_qualifier,
        note=cleaned_note,
        recorded_by=user,
    )
    change.save(evidence_ids=[pk for pk, _ in evidence_rows])
    StatusChangeEvidence.objects.bulk_create(
        [StatusChangeEvidence(status_change=change, citation_id=pk) for pk, _ in evidence_rows]
    )
    _save_with_next_version(
        locked,
        status=to_status,
        status_since=effective_date,
        status_since_precision=effective_precision,
        status_since_qualifier=effective_qualifier,
    )
    publish_event(EventType.STATUS_CHANGE_CREATED, change)
    return change


def _refuse_duplicate_citation(citation: Citation) -> None:
    """Raise if the proposal already cites the same passage of the same source in this role."""
    same = Citation.objects.filter(
        proposal_id=citation.proposal_id,
        source_id=citation.source_id,
        revision_id=citation.revision_id,
        start=citation.start,
        end=citation.end,
        role=citation.role,
    ).exclude(pk=citation.pk)
    if same.exists():
        raise errors.AlreadyCited()


def latest_revision(source: Source) -> SourceRevision:
    """The source's current revision, read from the database (never a stale instance)."""
    return SourceRevision.objects.filter(source_id=source.pk).latest("number")


def _anchor(
    source: Source,
    revision: SourceRevision,
    quote: str,
    *,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
) -> anchoring.Anchor:
    """Find the one occurrence of `quote` in the revision's text that the request selects."""
    try:
        anchor = anchoring.locate(revision.text, quote, prefix=prefix, suffix=suffix, start=start)
    except anchoring.AmbiguousQuote as exc:
        raise errors.AmbiguousQuote(exc.positions, narrowed=exc.narrowed) from None
    if anchor is None:
        raise errors.QuoteNotInSource(source.slug)
    return anchor


def _place(citation: Citation, revision: SourceRevision, anchor: anchoring.Anchor) -> None:
    """Set a citation's selectors (position, quote, context) for `anchor` in the revision."""
    text = revision.text
    citation.revision = revision
    citation.start, citation.end = anchor.start, anchor.end
    citation.quote = text[anchor.start : anchor.end]
    citation.quote_sha256 = anchoring.quote_hash(citation.quote)
    citation.prefix, citation.suffix = anchoring.context_of(text, anchor.start, anchor.end)
    citation.anchor_status = AnchorStatus.EXACT


def _anchor_on(
    citation: Citation,
    source: Source,
    quote: str,
    *,
    prefix: str | None,
    suffix: str | None,
    start: int | None,
) -> None:
    """Anchor `quote` on the source's current revision and place `citation` there."""
    revision = latest_revision(source)
    anchor = _anchor(source, revision, quote, prefix=prefix, suffix=suffix, start=start)
    citation.source = source
    _place(citation, revision, anchor)


def _new_citation(
    *,
    proposal: Proposal | None,
    source: Source,
    quote: str,
    locator: str,
    role: str,
    prefix: str | None,
    suffix: str | None,
    start: int | None,
) -> Citation:
    """The citation add_citation writes, anchored and checked, not yet saved."""
    citation = Citation(proposal=proposal, locator=locator.strip(), role=role)
    _anchor_on(citation, source, quote, prefix=prefix, suffix=suffix, start=start)
    _refuse_duplicate_citation(citation)
    return citation


def _changed_citation(
    stored: Citation,
    *,
    quote: str | None,
    locator: str | None,
    role: str | None,
    source: Source | None,
    prefix: str | None,
    suffix: str | None,
    start: int | None,
) -> Citation:
    """`stored` (read from the database) with the changes update_citation writes, checked."""
    if quote is not None or source is not None:
        before = (stored.source_id, stored.revision_id, stored.start, stored.end)
        _anchor_on(
            stored,
            source if source is not None else stored.source,
            stored.quote if quote is None else quote,
            prefix=prefix,
            suffix=suffix,
            start=start,
        )
        moved = (stored.source_id, stored.revision_id, stored.start, stored.end) != before
        if moved and StatusChangeEvidence.objects.filter(citation=stored).exists():
            raise errors.EvidenceIsFixed()
    if locator is not None:
        stored.locator = locator.strip()
    if role is not None:
        stored.role = role
    _refuse_duplicate_citation(stored)
    return stored


def check_citation(
    *,
    proposal: Proposal | None,
    source: Source | None = None,
    quote: str | None = None,
    locator: str | None = None,
    role: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
    citation: Citation | None = None,
) -> Citation:
    """Check a citation as add_citation (or, given a saved `citation`, update_citation) would.

    Writes nothing: returns the citation as it would be stored (offsets, stored quote), or
    raises the domain error the write would raise. For forms, which show it beside the field.
    A `proposal` not yet saved cites nothing yet, so no duplicate is possible.
    """
    check_plain_text(quote=quote, locator=locator, prefix=prefix, suffix=suffix)
    if citation is not None and citation.pk is not None:
        stored = Citation.objects.select_related("source").get(pk=citation.pk)
        return _changed_citation(
            stored,
            quote=quote,
            locator=locator,
            role=role,
            source=source,
            prefix=prefix,
            suffix=suffix,
            start=start,
        )
    if source is None or quote is None:
        raise errors.DomainError(_("A new citation needs a source and a quote."), field="quote")
    return _new_citation(
        proposal=proposal if proposal is not None and proposal.pk is not None else None,
        source=source,
        quote=quote,
        locator=locator or "",
        role=role or Citation.Role.ORIGIN,
        prefix=prefix,
        suffix=suffix,
        start=start,
    )


@transaction.atomic
def add_citation(
    *,
    proposal: Proposal,
    source: Source,
    quote: str,
    locator: str,
    role: str = Citation.Role.ORIGIN,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
    expected_version: int | None = None,
) -> Citation:
    """Anchor `quote` in the source's current text and cite it for the proposal.

    The stored quote is the source's own characters at the computed offsets, so a quote pasted
    with plain quotes or folded whitespace is kept as the source prints it. A quote found more
    than once needs `prefix`, `suffix` or `start` to pick one occurrence (AmbiguousQuote).
    Returns the citation; its `proposal` is the proposal at its new version.
    """
    locked = _lock_proposal(proposal, expected_version)
    # The write is its check-only twin's answer, saved.
    citation = check_citation(
        proposal=locked,
        source=source,
        quote=quote,
        locator=locator,
        role=role,
        prefix=prefix,
        suffix=suffix,
        start=start,
    )
    citation.full_clean()
    citation.save()
    _save_with_next_version(locked)
    publish_event(EventType.CITATION_CREATED, citation)
    return citation


@transaction.atomic
def update_citation(
    *,
    citation: Citation,
    quote: str | None = None,
    locator: str | None = None,
    role: str | None = None,
    source: Source | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    start: int | None = None,
) -> Citation:
    """Change a citation, anchoring its quote again on the source's current text; its
    proposal's version moves on. Returns the citation as written.

    The quote and source of a citation that is evidence of a status change are part of the
    history: changing which words it cites is refused (its locator and role may change).
    """
    locked = _lock_proposal(citation.proposal, None)
    # Its check-only twin reads the stored row, not the caller's instance (a form may already
    # have changed the latter), and answers the citation as it is to be written.
    changed = check_citation(
        proposal=locked,
        citation=citation,
        quote=quote,
        locator=locator,
        role=role,
        source=source,
        prefix=prefix,
        suffix=suffix,
        start=start,
    )
    changed.full_clean()
    changed.save()
    _save_with_next_version(locked)
    changed.proposal = locked
    return changed


@transaction.atomic
def delete_citation(*, citation: Citation) -> None:
    """Delete a citation that no status change uses as evidence."""
    # Lock first: a transition citing it as evidence takes the same lock.
    locked = _lock_proposal(citation.proposal, None)
    if StatusChangeEvidence.objects.filter(citation=citation).exists():
        raise errors.CitationInUse()
    citation.delete()
    _save_with_next_version(locked)


@transaction.atomic
def ensure_editor(*, username: str, password: str | None = None) -> tuple[Any, str]:
    """Create or update `username` as an active member of Editors; return it and its API token."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from proposals.roles import ensure_editors_group

    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    user.is_active = True
    user.is_staff = True  # editors work in the admin
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(ensure_editors_group())
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def _translations_of(actor: Actor) -> dict[str, Any]:
    return {
        column: getattr(actor, column)
        for field in ("name", "country")
        for code, _name in settings.LANGUAGES
        if (column := build_localized_fieldname(field, code)) and getattr(actor, column)
    }


def _bump_versions_of(proposals: Any) -> int:
    """Move on the version of every proposal in a queryset: what their detail shows changed."""
    return Proposal.objects.filter(pk__in=proposals.values("pk")).update(
        version=F("version") + 1, updated_at=now_to_the_millisecond()
    )


@in_default_language
@transaction.atomic
def save_actor(*, actor: Actor) -> Actor:
    """Create or change an actor; proposals naming it show the change, so their ETags move on."""
    check_plain_text(
        name=actor.name, country=actor.country, aliases=actor.aliases, **_translations_of(actor)
    )
    actor.full_clean()
    creating = actor._state.adding
    actor.save()
    if not creating:
        _bump_versions_of(
            Proposal.objects.filter(Q(proposers=actor) | Q(addressees=actor)).distinct()
        )
    return actor


# The fields of a source an editor may change after bringing it in; its text changes only
# through a revision (proposals.sources.revise_source).
SOURCE_DETAIL_FIELDS = (
    "title",
    "kind",
    "publisher",
    "author",
    "reference",
    "published_on",
    "published_precision",
    "classification",
    "language",
    "document_url",
    "archived_url",
    "retrieved_on",
)
SOURCE_TEXT_FIELDS = (
    "title",
    "publisher",
    "author",
    "reference",
    "classification",
    "language",
    "document_url",
    "archived_url",
)


def check_source_details(source: Source) -> None:
    """Refuse control characters and badly kept dates in a source's descriptive fields."""
    check_plain_text(**{name: getattr(source, name) for name in SOURCE_TEXT_FIELDS})
    if source.published_on is not None:
        workflow.check_plausible_date(source.published_on, "published_on")
        workflow.check_precision(source.published_on, source.published_precision, "published_on")
        if source.published_on > _today():
            raise errors.InvalidDate("published_on", "A source's date may not lie in the future.")
    if source.retrieved_on is not None:
        workflow.check_plausible_date(source.retrieved_on, "retrieved_on")
        if source.retrieved_on > _today():
            raise errors.InvalidDate(
                "retrieved_on", "The retrieval date may not lie in the future."
            )


def _as_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


@transaction.atomic
def save_source_details(
    *,
    source: Source,
    user: AbstractBaseUser | None = None,
    expected_version: int | None = None,
) -> Source:
    """Change a source's descriptive fields (never its text), recording the edit.

    Each edit that changes something is kept as a SourceEdit (field: [old, new]); the source's
    version and those of the proposals citing it move on (their pages show its title).
    """
    stored = Source.objects.select_for_update().get(pk=source.pk)
    if expected_version is not None and stored.version != expected_version:
        raise errors.StaleSource(expected=expected_version, current=stored.version)
    if source.text != stored.text:
        raise errors.DomainError(
            "A source's text is the document itself; correct it with a revision.", field="text"
        )
    check_source_details(source)
    changes = {
        name: [_as_text(getattr(stored, name)), _as_text(getattr(source, name))]
        for name in SOURCE_DETAIL_FIELDS
        if getattr(stored, name) != getattr(source, name)
    }
    source.version = stored.version
    if not changes:
        return source
    source.full_clean()
    source.version = stored.version + 1
    source.save(update_fields=[*changes, "version"])
    SourceEdit.objects.create(source=source, changes=changes, edited_by=user)
    _bump_versions_of(Proposal.objects.filter(citations__source=source).distinct())
    return source


@in_default_language
@transaction.atomic
def save_proposal_group(
    *, slug: str, name: str, translations: Mapping[str, str] | None = None
) -> ProposalGroup:
    """Create or rename the group `slug`; `translations` give its name by column (`name_ja`)."""
    check_plain_text(name=name, **(translations or {}))
    group = ProposalGroup.objects.filter(slug=slug).first() or ProposalGroup(slug=slug)
    group.name = name
    for column, value in (translations or {}).items():
        setattr(group, column, value or None)
    group.full_clean()
    group.save()
    return group


def _citation_rows(evidence: Sequence[Citation] | Iterable[int]) -> list[tuple[int, int]]:
    """Return (id, proposal id) of each cited citation; raise if one does not exist."""
    ids = [item.pk if isinstance(item, Citation) else int(item) for item in evidence]
    rows = list(Citation.objects.filter(pk__in=ids).values_list("pk", "proposal_id"))
    if len(rows) != len(set(ids)):
        raise errors.DomainError(_("Some evidence citations do not exist."), field="evidence")
    return rows


@transaction.atomic
def record_position(
    *,
    proposal: Proposal,
    actor: Actor,
    stance: str,
    note: str,
    effective_date: datetime.date,
    effective_precision: str = workflow.Precision.DAY,
    effective_qualifier: str = workflow.DateQualifier.EXACT,
    evidence: Sequence[Citation] | Iterable[int],
    user: AbstractBaseUser | None = None,
) -> Position:
    """Append an actor's stance on a proposal, resting on citations of that proposal.

    A position supersedes the actor's earlier ones; none is ever edited or deleted. The
    proposal's row is locked so that two positions of one actor are recorded in order.
    """
    check_plain_text(note=note)
    locked = _lock_proposal(proposal, None)
    evidence_rows = _citation_rows(evidence)
    previous = (
        Position.objects.filter(proposal=locked, actor=actor)
        .order_by("-effective_date", "-id")
        .values_list("effective_date", flat=True)
        .first()
    )
    cleaned_note = workflow.check_position(
        stance=stance,
        note=note,
        effective_date=effective_date,
        effective_precision=effective_precision,
        effective_qualifier=effective_qualifier,
        proposed_on=locked.proposed_on,
        previous_date=previous,
        evidence_proposal_ids=[proposal_id for _, proposal_id in evidence_rows],
        proposal_id=locked.pk,
        today=_today(),
    )
    position = Position(
        proposal=locked,
        actor=actor,
        stance=stance,
        effective_date=effective_date,
        effective_precision=effective_precision,
        effective_qualifier=effective_qualifier,
        note=cleaned_note,
        recorded_by=user,
    )
    position.save(evidence_ids=[pk for pk, _ in evidence_rows])
    PositionEvidence.objects.bulk_create(
        [PositionEvidence(position=position, citation_id=pk) for pk, _ in evidence_rows]
    )
    return position


def check_relation(
    *,
    from_proposal: Proposal,
    to_proposal: Proposal,
    type: str,
    note: str,
    citation: Citation | None = None,
    relation: Relation | None = None,
) -> str:
    """Raise what add_relation (or, given `relation`, update_relation) would refuse; write nothing.

    Returns the cleaned note. For forms, which show the refusal beside its field.
    """
    check_plain_text(note=note)
    if type not in workflow.RelationType.values:
        raise errors.UnknownChoice("type", type, known=list(workflow.RelationType.values))
    if from_proposal.pk == to_proposal.pk:
        raise errors.InvalidRelation(_("A proposal cannot be related to itself."), field="proposal")
    if citation is not None and citation.proposal_id not in (from_proposal.pk, to_proposal.pk):
        raise errors.InvalidRelation(
            _("The citation must belong to one of the two proposals."), field="citation"
        )
    same = Relation.objects.filter(from_proposal=from_proposal, to_proposal=to_proposal, type=type)
    if relation is not None:
        same = same.exclude(pk=relation.pk)
    if same.exists():
        raise errors.InvalidRelation(_("These proposals are already related this way."))
    return workflow.check_note(note)


def _save_relation(relation: Relation) -> Relation:
    relation.full_clean()
    try:
        with transaction.atomic():
            relation.save()
    except IntegrityError:
        raise errors.InvalidRelation(_("These proposals are already related this way.")) from None
    return relation


@transaction.atomic
def add_relation(
    *,
    from_proposal: Proposal,
    to_proposal: Proposal,
    type: str,
    note: str,
    citation: Citation | None = None,
    user: AbstractBaseUser | None = None,
) -> Relation:
    """Link two proposals; a citation, where given, must belong to one of them."""
    cleaned_note = check_relation(
        from_proposal=from_proposal,
        to_proposal=to_proposal,
        type=type,
        note=note,
        citation=citation,
    )
    return _save_relation(
        Relation(
            from_proposal=from_proposal,
            to_proposal=to_proposal,
            type=type,
            note=cleaned_note,
            citation=citation,
            created_by=user,
        )
    )


@transaction.atomic
def update_relation(
    *,
    relation: Relation,
    to_proposal: Proposal,
    type: str,
    note: str,
    citation: Citation | None = None,
) -> Relation:
    """Change a link between two proposals (its target, type, note or citation); return it.

    Its origin and who made it stay; the same rules as add_relation apply.
    """
    stored = Relation.objects.select_related("from_proposal").get(pk=relation.pk)
    cleaned_note = check_relation(
        from_proposal=stored.from_proposal,
        to_proposal=to_proposal,
        type=type,
        note=note,
        citation=citation,
        relation=stored,
    )
    stored.to_proposal, stored.type, stored.note, stored.citation = (
        to_proposal,
        type,
        cleaned_note,
        citation,
    )
    return _save_relation(stored)


@transaction.atomic
def delete_relation(*, relation: Relation) -> None:
    """Remove a link between two proposals (relations are editorial, not history)."""
    relation.delete()
