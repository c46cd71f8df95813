"""
Text search over proposals, one rule for the site's search box and the API's `q`.

On PostgreSQL: full-text search on a weighted search document (title A, summary B; the stored
column and its GIN index come from migrations 0010 and 0020, over the English columns), every
word matched as a prefix of a stemmed word ("taiw" finds Taiwan); a word that no document holds
(a typo: "Taiwn") is looked for by trigram word similarity in the titles instead (pg_trgm, with
its own GIN index), so a common word costs no similarity per row. Results are ranked: titles
holding every word (or found by similarity) before summary-only matches, then by full-text rank,
then in the natural order.

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
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.lookups import Contains, Exact, IContains

from proposals.models import Proposal

SEARCH_CONFIG = "english"
SEARCH_DOCUMENT_COLUMN = "search_document"  # see migration 0010
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
        terms = WORD.findall(text.casefold())[:MAX_TERMS]
        if terms:
            return _full_text(queryset, terms)
    return _contains(queryset, text.split()[:MAX_TERMS])


def _full_text(queryset: QuerySet[Proposal], terms: list[str]) -> QuerySet[Proposal]:
    document = _document()
    title = TableColumn(TRIGRAM_TITLE_COLUMN)
    matches = Q()
    for term in terms:
        # A prefix ("taiw" finds Taiwan) of a word of the document; or, for a term that no
        # document holds (a typo), a word of the title that is like it. The "no document holds
        # it" test runs once per query (an uncorrelated subquery), and spares every row the cost
        # of a similarity when the term is known. A stop word ("the") asks for nothing. Terms
        # hold only word characters, so the raw tsquery syntax cannot be broken by what is typed.
        query = _prefix_query([term])
        known = Exists(Proposal.objects.filter(SearchVectorExact(_document(), query)))
        matches &= (
            Q(SearchVectorExact(document, query))
            | (Q(~known) & Q(TrigramWordSimilar(title, term)))
            | Q(Exact(Func(query, function="numnode", output_field=IntegerField()), 0))
        )
    everywhere = _prefix_query(terms)
    in_title = _prefix_query(terms, weights="A")
    # Titles first: every word in the title (weight A), or a title found by similarity (then
    # it is no full-text match at all); then matches in the summary. Within each, the rank.
    tier = Case(
        When(Q(SearchVectorExact(document, in_title)), then=Value(0)),
        When(Q(SearchVectorExact(document, everywhere)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        queryset.alias(search_tier=tier, search_rank=SearchRank(document, everywhere))
        .filter(matches)
        .order_by("search_tier", F("search_rank").desc(), *Proposal._meta.ordering)
    )


def _document() -> TableColumn:
    return TableColumn(SEARCH_DOCUMENT_COLUMN, SearchVectorField())


def _prefix_query(terms: list[str], weights: str = "") -> SearchQuery:
    """All of `terms`, each as the prefix of a stemmed word (of the given weights, if any)."""
    return SearchQuery(
        " & ".join(f"{term}:*{weights}" for term in terms), search_type="raw", config=SEARCH_CONFIG
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
