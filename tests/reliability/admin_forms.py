"""The POST data of the admin's proposal forms, as a browser sends them."""

from __future__ import annotations

from proposals.models import Proposal


def admin_add_data(**overrides) -> dict:
    data = {
        "slug": "new-proposal",
        "title_en": "A new proposal",
        "summary_en": "Something to do.",
        "category": "economic",
        "group": "",
        "ordinal": "",
        "proposed_on": "2019-05-01",
        "proposed_precision": "day",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def admin_change_data(proposal: Proposal, **overrides) -> dict:
    citations = list(proposal.citations.order_by("pk"))
    data = {
        "title_en": proposal.title_en,
        "summary_en": proposal.summary_en,
        "category": proposal.category,
        "group": proposal.group,
        "ordinal": proposal.ordinal or "",
        "proposers": [actor.pk for actor in proposal.proposers.all()],
        "addressees": [actor.pk for actor in proposal.addressees.all()],
        "expected_version": proposal.version,
        "citations-TOTAL_FORMS": str(len(citations)),
        "citations-INITIAL_FORMS": str(len(citations)),
        "history-TOTAL_FORMS": "0",
        "history-INITIAL_FORMS": "0",
        "relations_out-TOTAL_FORMS": "0",
        "relations_out-INITIAL_FORMS": "0",
    }
    for index, item in enumerate(citations):
        data.update(
            {
                f"citations-{index}-id": item.pk,
                f"citations-{index}-proposal": proposal.pk,
                f"citations-{index}-source": item.source_id,
                f"citations-{index}-role": item.role,
                f"citations-{index}-locator": item.locator,
                f"citations-{index}-quote": item.quote,
            }
        )
    data.update(overrides)
    return data


def with_new_citation(proposal: Proposal, **fields) -> dict:
    data = admin_change_data(proposal)
    index = int(data["citations-TOTAL_FORMS"])
    data["citations-TOTAL_FORMS"] = str(index + 1)
    values = {
        "source": proposal.citations.first().source_id,
        "role": "context",
        "locator": "¶3",
        "quote": "declined to discuss",
        **fields,
    }
    data.update({f"citations-{index}-{name}": value for name, value in values.items()})
    return data
