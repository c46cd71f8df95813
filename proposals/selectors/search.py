"""
Text search over proposals, one rule for the site's search box and the API's `q`.

On PostgreSQL: full-text search on a weighted search document (title A, summary B; the stored
column and its GIN index come from migrations 0010 and 0020, over the English columns), every
word matched as a prefix of a stemmed word ("taiw" finds Taiwan); a word that no document holds
(a typo: "Taiwn") is looked for by trigram word similarity in the titles instead (pg_trgm, with
its own GIN index), so a common word costs no similarity per row. One query first sorts the
words into those some document holds and those none does. Results are ranked in two tiers:
titles holding every word (or found by similarity) before summary-only matches (a document of
the title alone, migration 0033, tells them apart); within a tier, the natural order. A rank
computed from the documents would have to read back the document of every match, however
many: at 100,000 proposals, a word in a third of them cost more than ten plain list pages.

Text in scripts written without spaces between words (Japanese, Chinese) has no parser in a
text-search configuration, which sees a whole run of such characters as one word; such a query,
and every query on another database (SQLite), keeps every proposal that contains each word in a
title or summary column, translations included (`title_ja`, `title_zh_hant`, ...), titles first.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.lookups import Contains, IContains

from proposals.models import Proposal

SEARCH_CONFIG = "english"
SEARCH_DOCUMENT_COLUMN = "search_document"  # see migrations 0010 and 0020
TITLE_DOCUMENT_COLUMN = "title_document"  # the English title alone: see migration 0033
TRIGRAM_TITLE_COLUMN = "title_en"  # see migration 0020: the English title has the trigram index
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12

WORD = re.compile(r"\w+")
# Hiragana, Katakana, CJK ideographs (with extensions and compatibility forms), half-width Katakana.
UNSPACED_SCRIPT = re.compile(
    r"[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)


class TableColumn(Expression):
    """A column of the queried table, named as the database names it.

    For the search document, which the model does not declare, and for text columns whose
    lookups must reach exactly that column (a translation layer may rewrite `title` into the
    active language's column).
    """

    def __init__(self, column: str, output_field=None) -> None:
        super().__init__(output_field=output_field or TextField())
        self.column = column

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(self.column)}", []


def searched_columns(field: str) -> list[str]:
    """The columns of `field`'s translations, one per language; `field`'s own if it has none.

    The untranslated column is left out when translations exist: only a model save refreshes it
    (a queryset update writes the active language's column alone), so it may be stale.
    """
    columns = {model_field.column for model_field in Proposal._meta.concrete_fields}
    translations = [f"{field}_{code.replace('-', '_')}" for code, _name in settings.LANGUAGES]
    return [column for column in translations if column in columns] or [field]


def search_proposals(queryset: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    """Keep the proposals that match `text`, best first; an empty `text` keeps them all."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return queryset
    if connection.vendor == "postgresql" and not UNSPACED_SCRIPT.search(text):
        terms = list(dict.fromkeys(WORD.findall(text.casefold())))[:MAX_TERMS]
        if terms:
            return _full_text(queryset, terms)
    return _contains(queryset, text.split()[:MAX_TERMS])


def _full_text(queryset: QuerySet[Proposal], terms: list[str]) -> QuerySet[Proposal]:
    known, unknown = _sort_terms(terms)
    matches = Q()
    if known:
        # Every known word, each as the prefix of a word of the document ("taiw" finds Taiwan):
        # one condition that the GIN index answers alone, with nothing to read back per row.
        matches &= Q(SearchVectorExact(_document(SEARCH_DOCUMENT_COLUMN), _prefix_query(known)))
    for term in unknown:
        # A word no document holds (a typo): a word of the title that is like it.
        matches &= Q(TrigramWordSimilar(TableColumn(TRIGRAM_TITLE_COLUMN), term))
    queryset = queryset.filter(matches)
    if not known:
        return queryset.order_by(*Proposal._meta.ordering)  # found in titles, by similarity
    # Titles first: those holding every known word (a title found by similarity holds the
    # others too, or it would not match); then the summary-only matches; each in the natural
    # order, which a page of a common word reads from its index instead of ranking every match.
    in_title = Q(SearchVectorExact(_document(TITLE_DOCUMENT_COLUMN), _prefix_query(known)))
    tier = Case(When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField())
    return queryset.alias(search_tier=tier).order_by("search_tier", *Proposal._meta.ordering)


def _sort_terms(terms: list[str]) -> tuple[list[str], list[str]]:
    """Split `terms` into those some document holds and those none does, in one query; stop
    words ("the"), which ask for nothing, are in neither.

    Deciding here, once per search, leaves the search itself one indexed condition per kind of
    word, where testing "does any document hold it?" inside the query made every row read its
    document back.
    """
    table = connection.ops.quote_name(Proposal._meta.db_table)
    column = connection.ops.quote_name(SEARCH_DOCUMENT_COLUMN)
    probe = (
        f"numnode(to_tsquery(%s::regconfig, %s)), EXISTS (SELECT 1 FROM {table} "
        f"WHERE {column} @@ to_tsquery(%s::regconfig, %s))"
    )
    params: list[str] = []
    for term in terms:
        params += [SEARCH_CONFIG, f"{term}:*"] * 2
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join([probe] * len(terms)), params)
        row = cursor.fetchone()
    known, unknown = [], []
    for index, term in enumerate(terms):
        nodes, held = row[2 * index], row[2 * index + 1]
        if nodes:
            (known if held else unknown).append(term)
    return known, unknown


def _document(column: str) -> TableColumn:
    return TableColumn(column, SearchVectorField())


def _prefix_query(terms: list[str]) -> SearchQuery:
    """All of `terms`, each as the prefix of a stemmed word. Terms hold only word characters,
    so the raw tsquery syntax cannot be broken by what is typed."""
    return SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config=SEARCH_CONFIG
    )


def _contains(queryset: QuerySet[Proposal], terms: list[str]) -> QuerySet[Proposal]:
    titles = searched_columns("title")
    columns = [*titles, *searched_columns("summary")]
    if connection.vendor != "postgresql":
        columns.append("slug")

    def contains(column: str, term: str) -> Q:
        # Without case (as ideographs are), LIKE: a trigram index serves it, UPPER() hides it.
        lookup = Contains if term.upper() == term.lower() else IContains
        return Q(lookup(TableColumn(column), term))

    for term in terms:
        anywhere = Q()
        for column in columns:
            anywhere |= contains(column, term)
        queryset = queryset.filter(anywhere)
    in_title = Q()
    for column in titles:
        in_title |= contains(column, terms[0])
    return queryset.alias(
        title_first=Case(
            When(in_title, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("title_first", *Proposal._meta.ordering)
