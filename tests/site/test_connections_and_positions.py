"""The proposal page's lineage, relations and positions; the actor page's stances (demo corpus)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_proposal_page_shows_its_lineage_earliest_first_and_time_to_adoption(client, corpus):
    page = client.get("/proposals/ldp-dpp-party-security-dialogue/").content.decode()
    lineage = page[page.index('class="lineage"') :]
    chen = lineage.index("Closer Taiwan-Japan security cooperation")
    official = lineage.index("Official security dialogue between Japan and Taiwan")
    assert chen < official
    assert "14 years later" in lineage  # 2005 to 2019, the later date known to the year
    assert "Time to adoption: 16 years" in page


def test_both_proposals_of_a_relation_show_it(client, corpus):
    earlier = client.get("/proposals/direct-engagement-suga-tsai/").content.decode()
    later = client.get("/proposals/tsai-transit-through-japan/").content.decode()
    assert "alternative to" in earlier and "/proposals/tsai-transit-through-japan/" in earlier
    assert "alternative to" in later and "/proposals/direct-engagement-suga-tsai/" in later


def test_who_stands_where_lists_each_actors_latest_stance(client, corpus):
    page = client.get("/proposals/ldp-dpp-party-security-dialogue/").content.decode()
    table = page[page.index('id="positions"') :]
    assert "Government of the People&#x27;s Republic of China" in table
    assert "Opposes" in table and "Supports" in table
    assert "by <time" in table  # China's objection is dated "by 27 August 2021"


def test_an_actor_page_lists_its_stances(client, corpus):
    page = client.get("/actors/china-government/").content.decode()
    assert "Positions of" in page
    assert "/proposals/ldp-dpp-party-security-dialogue/" in page
