"""Checking that every stored text and quote is still what its source says.

Every revision's text against its hash, a seed source's first revision against its file under
seeds/, the source's current text against its latest revision, and every citation against the
text of the revision it is anchored on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from proposals import anchoring
from proposals.models import Citation, Source, SourceRevision


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


def verify_all(seeds_dir: Path | None = None) -> Report:
    """Verify every source, every revision and every citation."""
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
    return report
