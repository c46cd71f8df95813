"""PostgreSQL triggers that keep the record in the database itself (django-pgtrigger).

The ORM already refuses these writes (AppendOnlyQuerySet, the services); the triggers also stop
raw SQL, other clients and TRUNCATE. They hold only while the application's database role does
not own the tables: an owner may drop or disable a trigger (README, "Security model").
Other databases keep the ORM's guards only.
"""

from __future__ import annotations

import pgtrigger


def refuse(
    name: str,
    operation: pgtrigger.Operation,
    *,
    level: pgtrigger.Level = pgtrigger.Row,
    condition: pgtrigger.Condition | None = None,
) -> pgtrigger.Trigger:
    """A trigger that refuses `operation` as an integrity error (IntegrityError in Django)."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=operation,
        level=level,
        condition=condition,
        func=f"""
            RAISE EXCEPTION 'The record is kept: {operation} on % is refused', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        """,
    )


def append_only() -> list[pgtrigger.Trigger]:
    """Rows are inserted and read, never changed, deleted or truncated.

    An UPDATE that changes nothing is let through, so that loading the fixtures twice works.
    """
    return [
        refuse("append_only_update", pgtrigger.Update, condition=pgtrigger.AnyChange()),
        refuse("append_only_delete", pgtrigger.Delete),
        no_truncate(),
    ]


def no_truncate() -> pgtrigger.Trigger:
    """Refuse TRUNCATE, which skips row triggers (and Django's flush uses)."""
    return refuse("no_truncate", pgtrigger.Truncate, level=pgtrigger.Statement)


def evidence_words_fixed() -> pgtrigger.Trigger:
    """The words of a citation that is evidence of a status change never change.

    Its offsets may move with a corrected source text (a relocated quote), its locator and role
    may change; its quote, the quote's hash, its source and its proposal may not.
    """
    return pgtrigger.Trigger(
        name="evidence_words_fixed",
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        condition=pgtrigger.AnyChange("quote", "quote_sha256", "source", "proposal"),
        func="""
            IF EXISTS (
                SELECT 1 FROM proposals_statuschangeevidence WHERE citation_id = OLD.id
            ) THEN
                RAISE EXCEPTION
                    'Citation % is evidence of a status change: its words cannot change', OLD.id
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN NEW;
        """,
    )


def source_kept() -> list[pgtrigger.Trigger]:
    """A source is never deleted nor truncated: citations and their history point into it."""
    return [refuse("source_no_delete", pgtrigger.Delete), no_truncate()]


def revision_kept() -> list[pgtrigger.Trigger]:
    """A revision's text and hash never change; a revision is never deleted nor truncated.

    Citations index a revision's text by offsets and quote it as evidence: a correction is a
    new revision (sources.revise_source). Its counts and file fields are not guarded here.
    """
    return [
        refuse(
            "revision_text_fixed",
            pgtrigger.Update,
            condition=pgtrigger.AnyChange("source", "number", "text", "sha256"),
        ),
        refuse("revision_no_delete", pgtrigger.Delete),
        no_truncate(),
    ]
