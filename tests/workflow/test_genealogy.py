"""The lineage of a proposal along `continues` relations: pure, no database."""

from __future__ import annotations

import datetime

from proposals.genealogy import Adoption, lineage_ids, years_between


def test_the_lineage_holds_ancestors_and_descendants_but_not_siblings():
    # 3 continues 2, 2 continues 1; 4 continues 2 too (a sibling of 3); 5 continues 3.
    pairs = [(3, 2), (2, 1), (4, 2), (5, 3)]
    assert lineage_ids(3, pairs) == ({1, 2}, {5})
    assert lineage_ids(1, pairs) == (set(), {2, 3, 4, 5})


def test_a_cycle_ends_the_walk():
    assert lineage_ids(1, [(1, 2), (2, 1)]) == ({2}, set())


def test_years_between_counts_whole_years():
    assert years_between(datetime.date(2005, 11, 10), datetime.date(2021, 8, 27)) == 15
    assert years_between(datetime.date(2005, 11, 10), datetime.date(2021, 11, 10)) == 16
    assert (
        years_between(datetime.date(2005, 11, 10), datetime.date(2019, 1, 1), "day", "year") == 14
    )


def test_adoption_counts_calendar_years_when_a_date_is_known_to_the_year_only():
    adoption = Adoption(
        first_proposed_on=datetime.date(2005, 11, 10),
        first_precision="day",
        first_qualifier="on_or_before",
        adopted_on=datetime.date(2021, 1, 1),
        adopted_precision="year",
        status="agreed",
    )
    assert adoption.years == 16
