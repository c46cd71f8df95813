"""Checking that every stored text and quote is still what its source says, and the history.

Every revision's text against its hash, a seed source's first revision against its file under
seeds/, the source's current text against its latest revision, every citation against the
text of the revision it is anchored on, and every history row (status changes, positions)
against its proposal's hash chain (proposals.chain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from proposals import anchoring, chain
from proposals.models import (
    ChainedRow,
    Citation,
    Position,
    PositionEvidence,
    Proposal,
    Source,
    SourceRevision,
    StatusChange,
    StatusChangeEvidence,
)


@dataclass(frozen=True)
class Problem:
    """One failed check, printable as one line."""

    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"


@dataclass
class Report:
    sources_checked: int = 0
    revisions_checked: int = 0
    citations_checked: int = 0
    history_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_source(source: Source, latest: SourceRevision | None) -> list[Problem]:
    """Check a source's current text against its stored hash and its latest revision."""
    problems = []
    subject = f"source {source.slug}"
    if anchoring.text_hash(source.text) != source.sha256:
        problems.append(Problem(subject, "text does not match its stored sha256"))
    if latest is None:
        problems.append(Problem(subject, "has no revision"))
    elif latest.number != source.revision or latest.text != source.text:
        problems.append(
            Problem(subject, f"text is not its latest revision's (revision {latest.number})")
        )
    return problems


def verify_revision(
    revision: SourceRevision, source: Source, seeds_dir: Path | None
) -> list[Problem]:
    """Check a revision's text against its hash; a seed source's first against seeds/."""
    problems = []
    subject = f"source {source.slug} revision {revision.number}"
    if anchoring.text_hash(revision.text) != revision.sha256:
        problems.append(Problem(subject, "text does not match its stored sha256"))
    if seeds_dir is not None and source.seed_file and revision.number == 1:
        path = seeds_dir / source.seed_file
        if path.is_file() and path.read_bytes() != revision.text.encode("utf-8"):
            problems.append(Problem(subject, f"text differs from seeds/{source.seed_file}"))
    return problems


def verify_citation(citation: Citation, text: str) -> list[Problem]:
    """Check that a citation's quote is its source's text at its offsets, and its hash."""
    subject = f"citation {citation.pk} ({citation.proposal.slug} in {citation.source.slug})"
    if not anchoring.quote_matches(text, citation.quote, citation.start, citation.end):
        return [
            Problem(subject, f"quote is not the source text at [{citation.start}:{citation.end}]")
        ]
    if anchoring.quote_hash(citation.quote) != citation.quote_sha256:
        return [Problem(subject, "quote does not match its stored sha256")]
    return []


# Each chained model, the model linking its evidence, that model's field naming the row, and
# how a failure names a row.
CHAINS: list[tuple[type[ChainedRow], type, str, str]] = [
    (StatusChange, StatusChangeEvidence, "status_change_id", "status change"),
    (Position, PositionEvidence, "position_id", "position"),
]


def verify_chain(
    model: type[ChainedRow], links: type, link_field: str, label: str, slugs: dict[int, str]
) -> tuple[int, list[Problem]]:
    """Recompute the hash chain of every proposal's `model` rows; count them and their problems.

    Each row is checked against the stored hash of the row before it, so a rewritten row is
    named itself; a removed row, or one whose hash was recomputed, names the row after it.
    """
    evidence: dict[int, list[int]] = {}
    for row_id, citation_id in links.objects.values_list(link_field, "citation_id").iterator():
        evidence.setdefault(row_id, []).append(citation_id)
    previous: dict[int, str] = {}
    checked, problems = 0, []
    for row in model.objects.order_by("proposal_id", "id").iterator():  # type: ignore[attr-defined]
        checked += 1
        expected = row.chain_digest(
            evidence.get(row.pk, ()), previous.get(row.proposal_id, chain.GENESIS)
        )
        if row.chain_sha256 != expected:
            subject = f"{label} {row.pk} of proposal {slugs.get(row.proposal_id, row.proposal_id)}"
            problems.append(
                Problem(
                    subject,
                    "does not match its hash chain: the row was rewritten, or the one before it "
                    "was removed or rewritten",
                )
            )
        previous[row.proposal_id] = row.chain_sha256
    return checked, problems


def verify_current_status(slugs: dict[int, str]) -> list[Problem]:
    """Check that each proposal's status is its latest change's: a removed last row shows."""
    latest: dict[int, str] = dict(
        StatusChange.objects.order_by("proposal_id", "id").values_list("proposal_id", "to_status")
    )
    problems = []
    for pk, status in Proposal.objects.values_list("pk", "status").iterator():
        if latest.get(pk) != status:
            problems.append(
                Problem(
                    f"proposal {slugs[pk]}",
                    f"status {status!r} is not its history's latest ({latest.get(pk)!r})",
                )
            )
    return problems


def verify_history() -> tuple[int, list[Problem]]:
    """Verify every proposal's chains of status changes and positions, and its status."""
    slugs = dict(Proposal.objects.values_list("pk", "slug"))
    checked, problems = 0, []
    for model, links, link_field, label in CHAINS:
        count, found = verify_chain(model, links, link_field, label, slugs)
        checked += count
        problems += found
    problems += verify_current_status(slugs)
    return checked, problems


def verify_all(seeds_dir: Path | None = None) -> Report:
    """Verify every source, every revision, every citation and the history."""
    report = Report()
    sources = {source.pk: source for source in Source.objects.order_by("slug")}
    texts: dict[int, str] = {}
    latest: dict[int, SourceRevision] = {}
    for revision in SourceRevision.objects.order_by("source_id", "number").iterator():
        report.revisions_checked += 1
        report.problems.extend(verify_revision(revision, sources[revision.source_id], seeds_dir))
        texts[revision.pk] = revision.text
        latest[revision.source_id] = revision
    for source in sources.values():
        report.sources_checked += 1
        report.problems.extend(verify_source(source, latest.get(source.pk)))
    citations = Citation.objects.select_related("proposal", "source", "revision").defer(
        "source__text", "revision__text"
    )
    for citation in citations.order_by("id").iterator():
        report.citations_checked += 1
        if citation.revision.source_id != citation.source_id:
            subject = f"citation {citation.pk} ({citation.proposal.slug})"
            report.problems.append(Problem(subject, "is anchored on a revision of another source"))
            continue
        report.problems.extend(verify_citation(citation, texts[citation.revision_id]))
    report.history_checked, problems = verify_history()
    report.problems.extend(problems)
    return report
