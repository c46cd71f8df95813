"""A history recorded in sittings at known moments: the data of the time-travel tests."""

from __future__ import annotations

import datetime
from unittest import mock

from proposals import services
from tests.factories import ProposalFactory


def at(moment: str):
    """Record whatever happens inside the block at `moment` (UTC)."""
    when = datetime.datetime.fromisoformat(moment).replace(tzinfo=datetime.UTC)
    return mock.patch("django.utils.timezone.now", return_value=when)


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def record_in_sittings() -> None:
    """Recorded in three sittings, one of them backdating a change.

    - 2020-03-01 10:00: dialogue (proposed 2019-05-01) and academies (proposed 2019-06-01).
    - 2020-06-10 23:59:59: dialogue under discussion, effective 2020-02-01 (backdated).
    - 2020-06-11 00:00: academies under discussion, effective 2020-06-11, recorded at the
      first moment of the next day.
    - 2021-01-05: latecomer, proposed 2018-01-01 but recorded only now.
    """
    with at("2020-03-01T10:00:00"):
        dialogue = ProposalFactory(slug="dialogue", proposed_on=day("2019-05-01"))
        academies = ProposalFactory(slug="academies", proposed_on=day("2019-06-01"))
    with at("2020-06-10T23:59:59.500"):
        services.record_transition(
            proposal=dialogue,
            to_status="under_discussion",
            note="Backdated: talks had begun in February.",
            effective_date=day("2020-02-01"),
            evidence=[],
            expected_version=dialogue.version,
        )
    with at("2020-06-11T00:00:00"):
        services.record_transition(
            proposal=academies,
            to_status="under_discussion",
            note="Raised at the talks.",
            effective_date=day("2020-06-11"),
            evidence=[],
            expected_version=academies.version,
        )
    with at("2021-01-05T09:00:00"):
        ProposalFactory(slug="latecomer", proposed_on=day("2018-01-01"))
