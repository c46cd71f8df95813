"""
Synthetic data at scale, for the benchmark and the query-budget tests.

Rows are written in bulk, bypassing the services for speed (sources and actors with
`bulk_create`; proposals, citations, history and evidence with one executemany INSERT per table and
batch, or COPY on PostgreSQL), but each one is what the services would have written: citations
are real slices of their source's text, anchored where `anchoring.find_quote` finds them, with
their hash; histories follow `workflow.TRANSITIONS` in date order, start with the change from ""
to proposed on the proposal's date, and carry evidence wherever the workflow requires it; each
proposal's status, date and version agree with its history and citations.

The same seed gives the same data. Proposal number i depends only on the seed and i, so a run
that tops up 1,000 proposals to 10,000 yields what one run of 10,000 would.
"""

from __future__ import annotations

import bisect
import datetime
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from proposals import anchoring, chain, workflow
from proposals.models import (
    Actor,
    ActorKind,
    AnchorStatus,
    Category,
    Citation,
    CitationRole,
    Proposal,
    Source,
    SourceKind,
    SourceRevision,
    StatusChange,
    StatusChangeEvidence,
    now_to_the_millisecond,
)
from proposals.workflow import Precision, Status

PROPOSAL_PREFIX = "syn-"
SOURCE_PREFIX = "syn-source-"
ACTOR_PREFIX = "syn-actor-"

EARLIEST_DAY = datetime.date(1996, 1, 1)
# Dates never pass this day (nor today), so that the data does not depend on when it is made.
LATEST_DAY = datetime.date(2025, 12, 31)

DEFAULT_SOURCES = 200
DEFAULT_ACTORS = 150
GROUP_SIZE = 6
GROUP_EVERY = 7  # one block of GROUP_SIZE proposals in GROUP_EVERY is a group
BATCH_SIZE = 2_000

_VOCABULARY = (
    "the government officials ministry security dialogue maritime coast guard exchange "
    "military academies cooperation intelligence sharing disaster relief exercise trade "
    "agreement investment parliament legislators delegation visit observer status assembly "
    "health regional stability strait defence policy framework consultation mechanism joint "
    "working group bilateral trilateral partners economic technology cyber supply chain "
    "semiconductor energy fisheries humanitarian assistance training programme annual summit "
    "secretariat envoy embassy cable representative office council committee resolution "
    "statement support expand establish propose consider review urge welcome agree decline "
    "implement begin continue suspend resume announce confirm note report discuss of and to in "
    "for on with by between among within across under over toward after before during its their "
    "a an this that these both each other further closer regular formal informal new initial"
)
WORDS = tuple(_VOCABULARY.split(" "))
VERBS = (
    "Establish",
    "Expand",
    "Hold",
    "Create",
    "Launch",
    "Strengthen",
    "Resume",
    "Set up",
    "Negotiate",
    "Share",
)
NOUNS = (
    "a maritime security dialogue",
    "exchanges between military academies",
    "intelligence sharing on the strait",
    "joint disaster relief exercises",
    "a coast guard working group",
    "observer status at the assembly",
    "regular consultations among legislators",
    "a trade and investment framework",
    "cooperation on semiconductor supply chains",
    "a cyber security mechanism",
    "a fisheries agreement",
    "an annual trilateral summit",
)
# Places a proposal is about, one per summary, drawn with Zipf weights (the n-th place 1/n as
# often as the first): the commonest is in about a fifth of the summaries, the rarest in about one
# in three hundred, as names are in real text. Without them every word of the summaries would come
# from the small vocabulary above and be in about a quarter of them, and text search could only
# ever be measured on words that match a large part of the table.
PLACES = (
    "Taiwan", "Japan", "Okinawa", "Tokyo", "Washington", "Taipei", "Kaohsiung", "Guam",
    "Yonaguni", "Ishigaki", "Kinmen", "Matsu", "Penghu", "Keelung", "Hualien", "Taichung",
    "Tainan", "Miyako", "Naha", "Yokosuka", "Sasebo", "Kadena", "Luzon", "Batanes", "Manila",
    "Honolulu", "Canberra", "Darwin", "Seoul", "Busan", "Pratas", "Itu Aba", "Hengchun",
    "Suao", "Taitung", "Lanyu", "Yilan", "Hsinchu", "Chiayi", "Pingtung", "Kagoshima",
    "Fukuoka", "Nagasaki", "Kumamoto", "Amami", "Tokunoshima", "Iwakuni", "Misawa", "Zama",
    "Atsugi", "Subic", "Palawan", "Cebu", "Davao", "Singapore", "Jakarta", "Hanoi",
    "Da Nang", "Bangkok", "Ulsan",
)  # fmt: skip
PLACE_WEIGHTS = tuple(1 / rank for rank in range(1, len(PLACES) + 1))
COUNTRIES = ("Taiwan", "Japan", "United States", "Philippines", "Australia", "India", "")
EVIDENCE_ROLES = (CitationRole.EVIDENCE, CitationRole.CONTEXT)
_PARAGRAPH_BREAK = re.compile(r"\n\n")


@dataclass
class Result:
    """What one run wrote."""

    proposals: int = 0
    citations: int = 0
    changes: int = 0
    evidence: int = 0
    sources: int = 0
    actors: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"{self.proposals} proposals, {self.citations} citations, {self.changes} status "
            f"changes ({self.evidence} evidence links), {self.sources} new sources, "
            f"{self.actors} new actors in {self.seconds:.1f} s"
        )


@dataclass
class _SourceText:
    pk: int
    text: str
    paragraphs: list[int]  # offsets where paragraphs start
    revision_id: int  # its first revision, which the citations anchor on


@dataclass
class _Plan:
    """One proposal and everything hanging from it, before insertion."""

    proposal: dict
    proposers: list[int]
    addressees: list[int]
    citations: list[dict]
    changes: list[dict]
    evidence: list[list[int]] = field(default_factory=list)  # per change: citation indexes


def refusal(*, seeds_dir: Path | None, top_up: bool = False) -> str | None:
    """Return why synthetic data may not be written to this database, or None if it may."""
    seed_files = (
        {path.name for path in seeds_dir.iterdir()} if seeds_dir and seeds_dir.is_dir() else set()
    )
    for slug, seed_file in Source.objects.exclude(seed_file="").values_list("slug", "seed_file"):
        if seed_file in seed_files:
            return (
                f"the database holds the real corpus: source {slug!r} is seeds/{seed_file}. "
                "Use a throw-away database (DATABASE_URL), or --force."
            )
    if top_up:
        foreign = Proposal.objects.exclude(slug__startswith=PROPOSAL_PREFIX).count()
        if foreign:
            return f"the database holds {foreign} proposal(s) that are not synthetic; use --force."
        return None
    existing = Proposal.objects.count()
    if existing:
        return (
            f"the database already holds {existing} proposal(s); use an empty database, "
            "--top-up to add to earlier synthetic data, or --force."
        )
    return None


def generate(
    *,
    proposals: int,
    seed: int = 0,
    sources: int = DEFAULT_SOURCES,
    actors: int = DEFAULT_ACTORS,
    top_up: bool = False,
    today: datetime.date | None = None,
) -> Result:
    """Write `proposals` synthetic proposals (with `top_up`, until there are that many).

    Sources and actors are created once, on the first run; later runs reuse them. The caller
    decides whether the database may be written to (see `refusal`).
    """
    started = time.perf_counter()
    result = Result()
    last_day = min(LATEST_DAY, today or timezone.localdate())
    now = now_to_the_millisecond()  # as the models' defaults and the services write it
    with transaction.atomic():
        result.sources = _ensure_sources(sources, seed, now)
        result.actors = _ensure_actors(actors, seed)
        texts = _load_sources()
        actor_ids = list(
            Actor.objects.filter(slug__startswith=ACTOR_PREFIX)
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        first = Proposal.objects.filter(slug__startswith=PROPOSAL_PREFIX).count()
        count = max(0, proposals - first) if top_up else proposals
        ids = {
            "proposal": _Ids(Proposal),
            "citation": _Ids(Citation),
            "change": _Ids(StatusChange),
        }
        for batch_start in range(first, first + count, BATCH_SIZE):
            batch_end = min(first + count, batch_start + BATCH_SIZE)
            plans = [
                _plan(index, seed, texts, actor_ids, last_day)
                for index in range(batch_start, batch_end)
            ]
            _insert(plans, ids, now, result)
        _reset_sequences()
    _vacuum_analyze()  # outside the transaction, once the rows are visible
    result.seconds = time.perf_counter() - started
    return result


# --- Sources and actors ---------------------------------------------------------------------


def _sentence(rng: random.Random, low: int = 8, high: int = 22) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    sentence = " ".join(words)
    if rng.random() < 0.15:  # typographic quotes and dashes, as real documents have them
        cut = rng.randint(1, len(words) - 1)
        sentence = (
            f"{' '.join(words[:cut])} \u201c{words[cut]}\u201d \u2014 {' '.join(words[cut:])}"
        )
    return sentence[0].upper() + sentence[1:] + "."


def _place(seed: int, index: int) -> str:
    """The place proposal `index` is about, from a stream of its own (the rest stays as it was)."""
    return random.Random(f"{seed}:place:{index}").choices(PLACES, PLACE_WEIGHTS)[0]


def source_text(rng: random.Random, length: int) -> str:
    """A document of about `length` characters in numbered paragraphs."""
    paragraphs: list[str] = []
    size = 0
    while size < length:
        body = " ".join(_sentence(rng) for _ in range(rng.randint(3, 9)))
        paragraph = f"{len(paragraphs) + 1}. (C) {body}"
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs) + "\n"


def _ensure_sources(count: int, seed: int, now: datetime.datetime) -> int:
    existing = set(
        Source.objects.filter(slug__startswith=SOURCE_PREFIX).values_list("slug", flat=True)
    )
    new = []
    for index in range(count):
        slug = f"{SOURCE_PREFIX}{index:04d}"
        if slug in existing:
            continue
        rng = random.Random(f"{seed}:source:{index}")
        text = source_text(rng, rng.randint(12_000, 60_000))
        kind = rng.choice(SourceKind.values)
        published = EARLIEST_DAY + datetime.timedelta(days=rng.randint(0, 9_000))
        new.append(
            Source(
                slug=slug,
                title=f"Synthetic document {index}: {rng.choice(NOUNS)}",
                kind=kind,
                publisher=rng.choice(("Embassy Taipei", "Policy Review", "News Agency")),
                author="" if kind == SourceKind.DIPLOMATIC_CABLE else f"Author {index}",
                reference=f"{published:%y}SYN{index}"
                if kind == SourceKind.DIPLOMATIC_CABLE
                else "",
                published_on=published,
                published_precision=Precision.DAY,
                classification="Confidential" if kind == SourceKind.DIPLOMATIC_CABLE else "",
                seed_file="",
                text=text,
                sha256=anchoring.text_hash(text),
            )
        )
    Source.objects.bulk_create(new, batch_size=50)
    # Each text is its source's first revision, as services.source_from_text makes it.
    created = Source.objects.filter(slug__in=[source.slug for source in new])
    SourceRevision.objects.bulk_create(
        (
            SourceRevision(source_id=pk, number=1, text=text, sha256=sha256, created_at=now)
            for pk, text, sha256 in created.values_list("pk", "text", "sha256").iterator()
        ),
        batch_size=50,
    )
    return len(new)


def _ensure_actors(count: int, seed: int) -> int:
    existing = set(
        Actor.objects.filter(slug__startswith=ACTOR_PREFIX).values_list("slug", flat=True)
    )
    new = []
    for index in range(count):
        slug = f"{ACTOR_PREFIX}{index:04d}"
        if slug in existing:
            continue
        rng = random.Random(f"{seed}:actor:{index}")
        new.append(
            Actor(
                slug=slug,
                name=f"Synthetic actor {index}",
                kind=rng.choice(ActorKind.values),
                country=rng.choice(COUNTRIES),
            )
        )
    Actor.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return len(new)


def _load_sources() -> list[_SourceText]:
    loaded = []
    rows = Source.objects.filter(slug__startswith=SOURCE_PREFIX).order_by("slug")
    revisions = dict(
        SourceRevision.objects.filter(source__in=rows)
        .order_by("source_id", "number")
        .values_list("source_id", "pk")
    )
    for pk, text in rows.values_list("pk", "text"):
        paragraphs = [0] + [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]
        loaded.append(
            _SourceText(pk=pk, text=text, paragraphs=paragraphs, revision_id=revisions[pk])
        )
    if not loaded:
        raise ValueError("Synthetic proposals need at least one synthetic source.")
    return loaded


# --- One proposal ---------------------------------------------------------------------------


def _random_day(rng: random.Random, low: datetime.date, high: datetime.date) -> datetime.date:
    return low + datetime.timedelta(days=rng.randint(0, max(0, (high - low).days)))


def _proposed_on(rng: random.Random, last_day: datetime.date) -> tuple[datetime.date, str]:
    day = _random_day(rng, EARLIEST_DAY, last_day - datetime.timedelta(days=60))
    roll = rng.random()
    if roll < 0.05:
        return day.replace(month=1, day=1), Precision.YEAR
    if roll < 0.2:
        return day.replace(day=1), Precision.MONTH
    return day, Precision.DAY


def _quote(rng: random.Random, source: _SourceText) -> tuple[int, int]:
    """Offsets of a passage of 20-400 characters, word to word, where find_quote finds it."""
    text = source.text
    while True:
        start = text.find(" ", rng.randrange(len(text) - 500)) + 1
        end = text.rfind(" ", start, start + rng.randint(60, 400))
        if end <= start:
            continue
        quote = text[start:end].rstrip(" .\n")
        end = start + len(quote)
        if len(quote) >= 20 and not quote[0].isspace() and text.find(quote) == start:
            return start, end


def _plan(
    index: int,
    seed: int,
    texts: list[_SourceText],
    actor_ids: list[int],
    last_day: datetime.date,
) -> _Plan:
    rng = random.Random(f"{seed}:proposal:{index}")
    block = index // GROUP_SIZE
    group, ordinal = "", None
    if block % GROUP_EVERY == 0:
        # Proposals made together share their date, as the measures of one statement do.
        group, ordinal = f"syn-statement-{block}", index % GROUP_SIZE + 1
        proposed_on, precision = _proposed_on(random.Random(f"{seed}:group:{block}"), last_day)
    else:
        proposed_on, precision = _proposed_on(rng, last_day)
    noun = rng.choice(NOUNS)
    proposal = {
        "slug": f"{PROPOSAL_PREFIX}{index:06d}-{noun.replace(' ', '-')}"[:100],
        "title": f"{rng.choice(VERBS)} {noun} (synthetic {index})",
        "summary": " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
        + f" It concerns {_place(seed, index)}.",
        "category": rng.choice(Category.values),
        "group": group,
        "ordinal": ordinal,
        "proposed_on": proposed_on,
        "proposed_precision": precision,
    }
    chosen_actors = rng.sample(actor_ids, min(len(actor_ids), 6))
    proposers = chosen_actors[: rng.randint(1, 3)]
    addressees = chosen_actors[3 : 3 + rng.randint(0, 3)]

    citations = _citations(rng, texts)
    changes, evidence = _history(rng, proposed_on, precision, citations, last_day)
    last = changes[-1]
    proposal["status"] = last["to_status"]
    proposal["status_since"] = last["effective_date"]
    proposal["status_since_precision"] = last["effective_precision"]
    # create_proposal gives version 1; every add_citation and record_transition adds one.
    proposal["version"] = 1 + len(citations) + len(changes) - 1
    return _Plan(proposal, proposers, addressees, citations, changes, evidence)


def _citations(rng: random.Random, texts: list[_SourceText]) -> list[dict]:
    cited = rng.sample(texts, min(len(texts), rng.randint(1, 3)))
    citations: list[dict] = []
    seen: set[tuple[int, int, int, str]] = set()
    for number in range(rng.randint(1, 9)):  # five on average
        source = rng.choice(cited)
        start, end = _quote(rng, source)
        role = CitationRole.ORIGIN if number == 0 else rng.choice(EVIDENCE_ROLES)
        key = (source.pk, start, end, role)
        if key in seen:  # the constraint citation_unique_passage_role
            continue
        seen.add(key)
        quote = source.text[start:end]
        prefix, suffix = anchoring.context_of(source.text, start, end)
        citations.append(
            {
                "source_id": source.pk,
                "revision_id": source.revision_id,
                "prefix": prefix,
                "suffix": suffix,
                "anchor_status": AnchorStatus.EXACT.value,
                "quote": quote,
                "locator": f"\u00b6{bisect.bisect_right(source.paragraphs, start)}",
                "role": str(role),
                "start": start,
                "end": end,
                "quote_sha256": anchoring.quote_hash(quote),
            }
        )
    return citations


def _walk(rng: random.Random, steps: int) -> list[str]:
    """`steps` legal statuses after proposed; only the last may be final."""
    status, path = workflow.INITIAL_STATUS, []
    for step in range(steps):
        allowed = workflow.allowed_next(status)
        if step < steps - 1:
            allowed = [code for code in allowed if not workflow.is_terminal(code)]
        status = rng.choice(allowed)
        path.append(status)
    return path


def _history(
    rng: random.Random,
    proposed_on: datetime.date,
    precision: str,
    citations: list[dict],
    last_day: datetime.date,
) -> tuple[list[dict], list[list[int]]]:
    """The changes (the first from "" to proposed), and the citations each one cites."""
    path = _walk(rng, rng.randint(0, 18))  # ten changes on average, the first included
    days = sorted(_random_day(rng, proposed_on, last_day) for _ in path)
    changes = [
        {
            "from_status": "",
            "to_status": str(workflow.INITIAL_STATUS),
            "effective_date": proposed_on,
            "effective_precision": precision,
            "note": "Proposed.",
        }
    ]
    evidence: list[list[int]] = [[]]
    preferred = [i for i, c in enumerate(citations) if c["role"] == CitationRole.EVIDENCE]
    preferred = preferred or list(range(len(citations)))
    previous = str(workflow.INITIAL_STATUS)
    for status, day in zip(path, days, strict=True):
        changes.append(
            {
                "from_status": previous,
                "to_status": status,
                "effective_date": day,
                "effective_precision": str(Precision.DAY),
                "note": f"{_sentence(rng, 6, 14)} Now {Status(status).label.lower()}.",
            }
        )
        if workflow.requires_evidence(status) or rng.random() < 0.1:
            evidence.append(rng.sample(preferred, min(len(preferred), rng.randint(1, 2))))
        else:
            evidence.append([])
        previous = status
    return changes, evidence


# --- Insertion ------------------------------------------------------------------------------


class _Ids:
    """Primary keys handed out here, so that children can name their parents before insertion.

    The generator is the only writer of a throw-away database, so the next free key is known.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.next = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1


def _insert(
    plans: list[_Plan], ids: dict[str, _Ids], now: datetime.datetime, result: Result
) -> None:
    proposals, proposers, addressees, citations, changes, links = [], [], [], [], [], []
    for plan in plans:
        pk = plan.proposal["id"] = ids["proposal"].take()
        plan.proposal["created_at"] = plan.proposal["updated_at"] = now
        proposals.append(plan.proposal)
        proposers += [{"proposal_id": pk, "actor_id": actor} for actor in plan.proposers]
        addressees += [{"proposal_id": pk, "actor_id": actor} for actor in plan.addressees]
        for citation in plan.citations:
            citation.update(id=ids["citation"].take(), proposal_id=pk, created_at=now)
        previous = chain.GENESIS
        for change, chosen in zip(plan.changes, plan.evidence, strict=True):
            change.update(id=ids["change"].take(), proposal_id=pk, recorded_at=now)
            evidence = [plan.citations[i]["id"] for i in chosen]
            links += [
                {"status_change_id": change["id"], "citation_id": citation_id}
                for citation_id in evidence
            ]
            # Sealed as StatusChange.save seals a row: after the previous one of its proposal.
            change["chain_sha256"] = previous = _chain_digest(change, evidence, previous)
        citations += plan.citations
        changes += plan.changes
    _insert_rows(Proposal, proposals)
    _insert_rows(Proposal.proposers.through, proposers)
    _insert_rows(Proposal.addressees.through, addressees)
    _insert_rows(Citation, citations)
    _insert_rows(StatusChange, changes)
    _insert_rows(StatusChangeEvidence, links)
    result.proposals += len(proposals)
    result.citations += len(citations)
    result.changes += len(changes)
    result.evidence += len(links)


def _chain_digest(change: dict, evidence: list[int], previous: str) -> str:
    """The hash chain's link for a change row (a dict by attname), unset fields at defaults."""
    content = {
        name: change[name] if name in change else StatusChange._meta.get_field(name).get_default()
        for name in StatusChange.chain_fields
    }
    return chain.digest(StatusChange.chain_kind, content, evidence, previous)


def _with_english_columns(model: type[models.Model], rows: list[dict]) -> list[dict]:
    """Copy each translated field into its English column (title -> title_en), as the app reads."""
    try:
        translated = translator.get_options_for_model(model).fields
    except NotRegistered:
        return rows
    english = {
        name: build_localized_fieldname(name, settings.LANGUAGE_CODE)
        for name in translated
        if name in rows[0]
    }
    return [row | {column: row[name] for name, column in english.items()} for row in rows]


def _insert_rows(model: type[models.Model], rows: list[dict]) -> None:
    """INSERT `rows` (dicts by field attname) into `model`'s table with one executemany.

    What bulk_create does, without building a model instance and compiling every value: the
    values go through the same adapters (connection.ops) as a model field would send them.
    """
    if not rows:
        return
    rows = _with_english_columns(model, rows)
    names = list(rows[0])
    # Columns the generator does not know (fields added to the model later) get their defaults,
    # as bulk_create would give them.
    defaults = {
        field.attname: field.get_default()  # "" for a text column without a default
        for field in model._meta.concrete_fields
        if field.attname not in names and not field.primary_key
    }
    if defaults:
        rows = [{**row, **defaults} for row in rows]
        names = list(rows[0])
    fields = [model._meta.get_field(name.removesuffix("_id")) for name in names]
    adapters = []
    for model_field in fields:
        if isinstance(model_field, models.DateTimeField):
            adapters.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(model_field, models.DateField):
            adapters.append(connection.ops.adapt_datefield_value)
        else:
            adapters.append(None)
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(item.column) for item in fields),
        ", ".join(["%s"] * len(fields)),
    )
    values = [
        tuple(
            value if adapt is None else adapt(value)
            for value, adapt in zip(row.values(), adapters, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: a tenth of the time of an INSERT per row, even pipelined.
            copy_sql = sql.split(" VALUES ")[0].replace("INSERT INTO", "COPY") + " FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
            return
        for start in range(0, len(values), BATCH_SIZE * 5):
            cursor.executemany(sql, values[start : start + BATCH_SIZE * 5])


def _vacuum_analyze() -> None:
    """Vacuum and analyze the filled tables (PostgreSQL), as autovacuum would a minute or so later.

    Until then the planner believes the freshly filled tables empty and picks plans that scan,
    and the visibility map is unset, so an index-only scan (the as-of lookup, the lists' counts)
    still visits the table for every row; a benchmark run right after would also share the
    machine with autovacuum. Inside a transaction (the tests), VACUUM is refused: analyze only.
    """
    if connection.vendor != "postgresql":
        return
    tables = [
        model._meta.db_table
        for model in (
            Source,
            Actor,
            Proposal,
            Proposal.proposers.through,
            Proposal.addressees.through,
            Citation,
            StatusChange,
            StatusChangeEvidence,
        )
    ]
    with connection.cursor() as cursor:
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        cursor.execute(f"{command} " + ", ".join(connection.ops.quote_name(t) for t in tables))


def _reset_sequences() -> None:
    """Point the databases' key sequences past the keys handed out here (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Proposal, Citation, StatusChange])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
