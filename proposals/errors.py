"""
Domain errors raised by the services and the workflow.

Each carries a machine-readable `code`, a human message, the `field` it concerns (for per-field
messages) and any `extra` data a client needs to recover (such as the allowed next statuses).
They are mapped to HTTP once, in the API's exception handler, and to messages once in the admin.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from proposals import validators


class DomainError(Exception):
    code = "invalid"
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        self.extra = extra


class UnknownStatus(DomainError):
    code = "unknown_status"
    field = "to_status"

    def __init__(
        self,
        status: str,
        *,
        known: list[str],
        from_status: str | None = None,
        allowed: list[str] | None = None,
    ) -> None:
        """Name the known statuses and, given the current one, those allowed next from it.

        `allowed` is only ever the statuses that may follow `from_status` (as for an illegal
        transition), never the whole list: that is `known`.
        """
        if from_status is None or allowed is None:
            super().__init__(
                _("Unknown status %(status)r; known statuses: %(known)s.")
                % {"status": status, "known": ", ".join(known)},
                known=known,
            )
            return
        allowed_text = ", ".join(allowed) if allowed else _("none (it is final)")
        super().__init__(
            _(
                "Unknown status %(status)r; allowed next statuses from %(from_status)r: "
                "%(allowed)s (known statuses: %(known)s)."
            )
            % {
                "status": status,
                "from_status": from_status,
                "allowed": allowed_text,
                "known": ", ".join(known),
            },
            allowed=allowed,
            known=known,
        )


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    field = "to_status"

    def __init__(self, from_status: str, to_status: str, *, allowed: list[str]) -> None:
        allowed_text = ", ".join(allowed) if allowed else _("none (it is final)")
        super().__init__(
            _(
                "A proposal cannot go from %(from_status)r to %(to_status)r; "
                "allowed next statuses: %(allowed)s."
            )
            % {"from_status": from_status, "to_status": to_status, "allowed": allowed_text},
            allowed=allowed,
        )


class NoteRequired(DomainError):
    code = "note_required"
    field = "note"

    def __init__(self) -> None:
        super().__init__(_("A status change needs a note saying why."))


class NoteTooLong(DomainError):
    code = "note_too_long"
    field = "note"

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(
            _("The note has %(length)d characters; at most %(limit)d are allowed.")
            % {"length": length, "limit": limit}
        )


class EvidenceRequired(DomainError):
    code = "evidence_required"
    field = "evidence"

    def __init__(self, to_status: str, *, label: str | None = None) -> None:
        """`label` is how the status reads ("Agreed"); the code when not given."""
        super().__init__(
            _("A change to “%(status)s” needs at least one evidence citation of this proposal.")
            % {"status": label or to_status}
        )


class EvidenceOfAnotherProposal(DomainError):
    code = "evidence_of_another_proposal"
    field = "evidence"

    def __init__(self) -> None:
        super().__init__(_("Evidence must be citations of the same proposal."))


class InvalidDate(DomainError):
    code = "invalid_date"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, field=field)


class StaleVersion(DomainError):
    code = "stale_version"

    def __init__(self, *, expected: int, current: int) -> None:
        super().__init__(
            _(
                "The proposal changed meanwhile (you had version %(expected)d, it is now at "
                "version %(current)d); reload it and try again."
            )
            % {"expected": expected, "current": current},
            current_version=current,
        )


class QuoteNotInSource(DomainError):
    code = "quote_not_in_source"
    field = "quote"

    def __init__(self, source_slug: str) -> None:
        super().__init__(
            _(
                "The quote is not in the text of source %(source)r: copy it verbatim from the "
                "source (only whitespace, full-width forms and typographic quotes or dashes may "
                "differ)."
            )
            % {"source": source_slug}
        )


class CitationInUse(DomainError):
    code = "citation_in_use"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This citation is evidence of a status change; the history keeps it, so it "
                "cannot be deleted."
            )
        )


class EvidenceIsFixed(DomainError):
    code = "evidence_is_fixed"
    field = "quote"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This citation is evidence of a status change: its quote and source are part of "
                "the history and cannot change. Its locator and role may; to cite other words, "
                "add a new citation."
            )
        )


class ControlCharacter(DomainError):
    code = "control_character"

    def __init__(self, field: str, character: str) -> None:
        # Named by kind: a control character, a lone surrogate or a Unicode non-character.
        super().__init__(
            _("The %(field)s contains %(character)s; only tabs and line breaks are allowed.")
            % {"field": field, "character": validators.describe(character)},
            field=field,
        )


class AlreadyTaken(DomainError):
    """A unique value claimed by another proposal, found when the database refused the write."""

    code = "already_taken"

    def __init__(self, field: str | None, value: Any = None) -> None:
        if field is None:
            message = _(
                "Another proposal already has this slug, title or place in its group; "
                "reload and choose another."
            )
        else:
            message = _(
                "Another proposal already has this %(field)s (%(value)r); choose another."
            ) % {
                "field": field,
                "value": value,
            }
        super().__init__(message, field=field)


class AlreadyCited(DomainError):
    code = "already_cited"
    field = "quote"

    def __init__(self) -> None:
        super().__init__(
            _("This passage of this source is already cited for this proposal in this role.")
        )


class UnknownChoice(DomainError):
    code = "invalid_choice"

    def __init__(self, field: str, value: str, *, known: list[str]) -> None:
        super().__init__(
            _("Unknown %(field)s %(value)r; use one of %(known)s.")
            % {"field": field, "value": value, "known": ", ".join(known)},
            field=field,
            known=known,
        )


class PositionEvidenceRequired(DomainError):
    code = "evidence_required"
    field = "evidence"

    def __init__(self) -> None:
        super().__init__(
            _("A position needs at least one citation of the proposal whose words state it.")
        )


class InvalidRelation(DomainError):
    code = "invalid_relation"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)


class AmbiguousQuote(DomainError):
    """A quote found more than once, with nothing in the request that picks one occurrence."""

    code = "ambiguous_quote"
    field = "quote"

    def __init__(self, positions: list[tuple[int, int]], *, narrowed: bool) -> None:
        count = len(positions)
        if narrowed:
            message = ngettext(
                "The quote occurs %(count)d time in the source, and the prefix, suffix or start "
                "given select not exactly one of them: give the words just before or after the "
                "quote (prefix, suffix) or its start, as listed in positions.",
                "The quote occurs %(count)d times in the source, and the prefix, suffix or start "
                "given select not exactly one of them: give the words just before or after the "
                "quote (prefix, suffix) or its start, as listed in positions.",
                count,
            ) % {"count": count}
        else:
            message = ngettext(
                "The quote occurs %(count)d time in the source: say which one with prefix (the "
                "words just before it), suffix (the words just after it) or start (one of the "
                "positions listed).",
                "The quote occurs %(count)d times in the source: say which one with prefix (the "
                "words just before it), suffix (the words just after it) or start (one of the "
                "positions listed).",
                count,
            ) % {"count": count}
        super().__init__(
            message,
            occurrences=len(positions),
            positions=[[start, end] for start, end in positions],
        )


class UnsupportedFileType(DomainError):
    code = "unsupported_file_type"
    field = "file"

    def __init__(self, name: str) -> None:
        super().__init__(
            _(
                "%(name)r is not a file type this tracker reads: upload a .txt, .html or .pdf "
                "file, or paste the text."
            )
            % {"name": name}
        )


class UnreadableFile(DomainError):
    code = "unreadable_file"
    field = "file"

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(
            _("%(name)r cannot be read: %(reason)s") % {"name": name, "reason": reason}
        )


class NeedsOCR(DomainError):
    code = "needs_ocr"
    field = "file"

    def __init__(self, name: str) -> None:
        super().__init__(
            _(
                "%(name)r has no text layer (its pages are images): run it through OCR first, "
                "then upload the PDF with text, or paste the text."
            )
            % {"name": name}
        )


class EmptyText(DomainError):
    code = "empty_text"
    field = "text"

    def __init__(self, field: str = "text") -> None:
        super().__init__(
            _("The text is empty: paste the document's text or upload its file."), field=field
        )


class TooLarge(DomainError):
    """A text or file over the limits; the API answers 413."""

    code = "too_large"

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message, field=field)


class DuplicateSource(DomainError):
    """The text is already held by a source; the API answers 409 naming it."""

    code = "duplicate_source"
    field = "text"

    def __init__(self, slug: str) -> None:
        super().__init__(
            _(
                "This text is already held by source %(slug)r (same sha256); cite that source, "
                "or correct it with a revision."
            )
            % {"slug": slug},
            slug=slug,
        )


class SlugTaken(DomainError):
    code = "already_taken"
    field = "slug"

    def __init__(self, slug: str) -> None:
        super().__init__(
            _("Another source already has the slug %(slug)r; choose another.") % {"slug": slug}
        )


class StaleSource(DomainError):
    """The source changed since the client read it (If-Match names an older version)."""

    code = "stale_version"

    def __init__(self, *, expected: int, current: int) -> None:
        super().__init__(
            _(
                "The source changed meanwhile (you had version %(expected)d, it is now at "
                "version %(current)d); reload it and try again."
            )
            % {"expected": expected, "current": current},
            current_version=current,
        )


class SameText(DomainError):
    code = "same_text"
    field = "text"

    def __init__(self) -> None:
        super().__init__(_("The text is the source's current text: there is nothing to correct."))
