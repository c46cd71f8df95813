"""Pure rules of dates with qualifiers and of positions: no database."""

from __future__ import annotations

import datetime

import pytest

from proposals import errors, workflow
from proposals.site.date_display import precise_date

DAY = datetime.date(2005, 3, 2)


def check(**overrides):
    fields = {
        "stance": "supports",
        "note": "Said so.",
        "effective_date": DAY,
        "effective_precision": "day",
        "effective_qualifier": "exact",
        "proposed_on": DAY,
        "previous_date": None,
        "evidence_proposal_ids": [1],
        "proposal_id": 1,
        "today": datetime.date(2026, 1, 1),
    }
    return workflow.check_position(**{**fields, **overrides})


def test_a_position_note_is_cleaned():
    assert check(note="  Said so.  ") == "Said so."


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"stance": "maybe"}, errors.UnknownChoice),
        ({"evidence_proposal_ids": []}, errors.PositionEvidenceRequired),
        ({"evidence_proposal_ids": [2]}, errors.EvidenceOfAnotherProposal),
        ({"effective_date": datetime.date(2027, 1, 1)}, errors.InvalidDate),
        ({"previous_date": datetime.date(2005, 4, 1)}, errors.InvalidDate),
        ({"effective_qualifier": "circa"}, errors.InvalidDate),
    ],
)
def test_position_rules(overrides, error):
    with pytest.raises(error):
        check(**overrides)


@pytest.mark.parametrize(
    ("precision", "qualifier", "shown"),
    [
        ("day", "exact", "2 March 2005"),
        ("day", "on_or_before", "by 2 March 2005"),
        ("month", "about", "about March 2005"),
        ("year", "about", "about 2005"),
    ],
)
def test_a_date_reads_with_its_precision_and_qualifier(precision, qualifier, shown):
    value = {"day": DAY, "month": DAY.replace(day=1), "year": datetime.date(2005, 1, 1)}[precision]
    assert precise_date(value, precision, qualifier) == shown
