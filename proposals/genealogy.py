"""
How proposals descend from one another through `continues` relations, and how long adoption took.

Pure functions over (later, earlier) pairs: the selectors fetch the pairs and the proposals, this
module decides what a proposal's lineage is. A lineage holds the proposal, every proposal it
continues (transitively) and every proposal that continues it (transitively); siblings that
continue the same ancestor are not part of it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


def _reach(start: int, links: dict[int, set[int]]) -> set[int]:
    seen: set[int] = set()
    stack = [start]
    while stack:
        for following in links.get(stack.pop(), ()):
            if following not in seen and following != start:
                seen.add(following)
                stack.append(following)
    return seen


def lineage_ids(
    proposal_id: int, continues: Iterable[tuple[int, int]]
) -> tuple[set[int], set[int]]:
    """Return (ancestors, descendants) of `proposal_id` along `continues` (later, earlier) pairs.

    Cycles, which an editor could create by mistake, end the walk instead of looping.
    """
    earlier: dict[int, set[int]] = defaultdict(set)
    later: dict[int, set[int]] = defaultdict(set)
    for later_id, earlier_id in continues:
        earlier[later_id].add(earlier_id)
        later[earlier_id].add(later_id)
    ancestors = _reach(proposal_id, earlier)
    descendants = _reach(proposal_id, later) - ancestors
    return ancestors, descendants


def years_between(
    first: datetime.date,
    last: datetime.date,
    first_precision: str = "day",
    last_precision: str = "day",
) -> int:
    """Whole years from `first` to `last`; a date known only to the year counts by calendar year."""
    years = last.year - first.year
    precise = "year" not in (first_precision, last_precision)
    if precise and (last.month, last.day) < (first.month, first.day):
        years -= 1
    return max(years, 0)


@dataclass(frozen=True)
class Adoption:
    """A lineage that reached agreement: from its first proposal to the day it was adopted."""

    first_proposed_on: datetime.date
    first_precision: str
    first_qualifier: str
    adopted_on: datetime.date
    adopted_precision: str
    status: str

    @property
    def years(self) -> int:
        return years_between(
            self.first_proposed_on, self.adopted_on, self.first_precision, self.adopted_precision
        )
