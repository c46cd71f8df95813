"""The demo corpus renders: every page of every proposal, source and actor, when it exists."""

from __future__ import annotations

import datetime
import html as html_lib
import re
from pathlib import Path

import pytest
from django.conf import settings

from proposals import selectors
from proposals.models import Actor, Proposal, Source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not list((Path(settings.BASE_DIR) / "fixtures").glob("*.json")),
        reason="fixtures/*.json not built yet",
    ),
]


def test_every_page_of_the_corpus(client, corpus):
    assert Proposal.objects.exists()
    for url in ["/", "/proposals/", "/actors/", "/sources/", "/board/", "/feed/changes.atom"]:
        assert client.get(url).status_code == 200, url
    for proposal in Proposal.objects.all():
        response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200, proposal.slug
        for citation in proposal.citations.all():
            assert f'href="{citation.get_absolute_url()}"' in response.content.decode()
    for actor in Actor.objects.all():
        assert client.get(actor.get_absolute_url()).status_code == 200, actor.slug


def test_every_source_shows_its_exact_text_with_every_citation_marked(client, corpus):
    for source in Source.objects.all():
        page = client.get(source.get_absolute_url()).content.decode()
        # The text is escaped, so the first </div> after it closes it.
        body = re.search(r"<div class=\"source-text\" lang=\"en\">(.*?)</div>", page, re.S).group(1)
        assert html_lib.unescape(re.sub(r"<[^>]+>", "", body)) == source.text, source.slug
        for citation in source.citations.all():
            assert body.count(f'id="citation-{citation.pk}"') == 1, citation.pk
            # Its own highlighted passage, even nested in another citation's.
            assert f'<mark id="citation-{citation.pk}"' in body, (source.slug, citation.pk)


def test_the_six_measures_are_on_the_home_page(client, corpus):
    page = client.get("/").content.decode()
    if not Proposal.objects.filter(group="2019-japan-us-taiwan-statement").exists():
        pytest.skip("the corpus has no 2019 measures")
    assert (
        len(re.findall(r'<li class="measure">', page))
        == Proposal.objects.filter(group="2019-japan-us-taiwan-statement").count()
    )


@pytest.mark.parametrize(
    "day", ["2000-01-01", "2005-12-31", "2010-01-01", "2019-12-31", "2024-06-30"]
)
def test_board_on_several_days(client, corpus, day):
    response = client.get(f"/board/?as_of={day}")
    assert response.status_code == 200
    expected = selectors.board(datetime.date.fromisoformat(day)).count()
    assert len(re.findall(r'class="board-card"', response.content.decode())) == expected
