"""Checking that every stored text and quote is still what its source says."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from proposals import anchoring
from proposals.models import Citation, Source


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
    citations_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_source(source: Source, seeds_dir: Path | None) -> list[Problem]:
    """Check a source's text against its stored hash and, when present, its file in seeds/."""
    problems = []
    subject = f"source {source.slug}"
    if anchoring.text_hash(source.text) != source.sha256:
        problems.append(Problem(subject, "text does not match its stored sha256"))
    if seeds_dir is not None and source.seed_file:
        path = seeds_dir / source.seed_file
        if path.is_file() and path.read_bytes() != source.text.encode("utf-8"):
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
    """Verify every source and every citation."""
    report = Report()
    texts: dict[int, str] = {}
    for source in Source.objects.order_by("slug").iterator():
        report.sources_checked += 1
        report.problems.extend(verify_source(source, seeds_dir))
        texts[source.pk] = source.text
    citations = Citation.objects.select_related("proposal", "source").defer("source__text")
    for citation in citations.order_by("id").iterator():
        report.citations_checked += 1
        report.problems.extend(verify_citation(citation, texts[citation.source_id]))
    return report
