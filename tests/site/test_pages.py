"""Every page of the public site through Django's test client: content, links, 404s."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from proposals.models import Proposal, StatusChange
from tests.site.data import MEASURES_GROUP, build_site_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_site_data()


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_shows_counts_measures_and_recent_changes(client, data):
    page = html(client.get("/"))
    assert "<h1>" in page
    # Counts per status, each linking to the filtered list.
    assert re.search(
        r'href="/proposals/\?status=proposed">Proposed</a></th>\s*<td>.*?'
        r'<rect class="fill-proposed" x="0" y="0" height="10" width="100"/></svg>'
        r'<span class="bar-value">4</span>',
        page,
    )
    assert '?status=rejected">Rejected</a>' in page
    # The six measures in order, each with its status.
    measures = re.findall(r'<li class="measure">.*?</li>', page, flags=re.S)
    assert len(measures) == 6
    assert "Trilateral coast guard cooperation" in measures[0]
    assert "Under discussion" in measures[0]
    assert "Agreed" in measures[1]
    assert "Stalled" in measures[3]
    assert f"?group={MEASURES_GROUP}" in page
    # Recent changes, newest first, linking to the change on the proposal's page.
    # The first entry of a history is the proposal itself, not a change: it is left out here.
    latest = StatusChange.objects.exclude(from_status="").order_by("-effective_date", "-id").first()
    assert f"{latest.proposal.get_absolute_url()}#change-{latest.pk}" in page
    recent = page.split('id="recent"')[1].split("</section>")[0]
    assert recent.count("<li>") == min(8, StatusChange.objects.exclude(from_status="").count())
    assert "→" in recent and recent.count("→") == recent.count("<li>")  # each is a change
    assert recent.index("Regular consultations among legislators") < recent.index(
        "Joint disaster relief exercises"
    )
    unchanged = Proposal.objects.exclude(history__from_status__gt="").first()
    assert unchanged is not None and unchanged.title not in recent  # never changed status
    # Totals.
    assert "9 proposals for security cooperation between Japan, Taiwan and the United" in page
    assert "made from 2005 to 2019" in page
    assert "They are drawn from a US diplomatic cable of 2005 and an article of 2019" in page


def test_every_page_has_landmarks_skip_link_and_links_out(client, data):
    urls = [
        "/",
        "/proposals/",
        data.proposals["dialogue"].get_absolute_url(),
        data.sources["cable"].get_absolute_url(),
        data.actors["taiwan"].get_absolute_url(),
        "/actors/",
        "/sources/",
        "/board/",
    ]
    for url in urls:
        page = html(client.get(url))
        assert 'href="#main"' in page, url
        assert '<main id="main"' in page, url
        assert '<nav aria-label="Main">' in page, url
        assert "<header" in page and "<footer" in page, url
        assert f'href="{reverse("api:docs")}"' in page, url
        assert f'href="{reverse("admin:login")}"' in page, url
        assert 'href="/static/proposals/site.css"' in page, url
        assert len(re.findall(r"<h1[ >]", page)) == 1, url
        assert "<script" not in page, url


def test_every_form_field_has_a_label(client, data):
    for url in ["/proposals/", "/board/"]:
        page = html(client.get(url))
        ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', page)
        assert ids, url
        for field_id in ids:
            assert f'<label for="{field_id}">' in page, (url, field_id)


def test_proposal_page(client, data):
    dialogue = data.proposals["dialogue"]
    page = html(client.get(dialogue.get_absolute_url()))
    assert "Hold a trilateral security dialogue" in page
    assert "Taiwan, Japan and the US meet regularly on security." in page
    assert "Security dialogue" in page
    # Proposers and addressees link to their actor pages.
    assert '<a href="/actors/taiwan/">Government of Taiwan</a>' in page
    assert '<a href="/actors/japan/">Government of Japan</a>' in page
    assert '<a href="/actors/usa/">Government of the United States</a>' in page
    # The proposed date to the day, the current status and since when.
    assert '<time datetime="2005-11-10">10 November 2005</time>' in page
    assert re.search(
        r'class="current-status">\s*<span class="status status-agreed">Agreed</span>\s*'
        r'since <time datetime="2015-06-01">1 June 2015</time>',
        page,
    )
    # The origin citation: its quote, linking to its passage.
    origin = data.citations["origin"]
    assert f'href="/sources/taipei-cable/#citation-{origin.pk}"' in page
    assert "agreed to hold a trilateral security dialogue" in page
    # The timeline, oldest first, with from and to, notes and evidence linking into the source.
    changes = list(dialogue.history.order_by("effective_date", "id"))
    positions = [page.index(f'id="change-{change.pk}"') for change in changes]
    assert positions == sorted(positions)
    assert "Talks started." in page and "Announced by all three." in page
    timeline = page[positions[-1] :]
    assert '<time datetime="2015-06-01">1 June 2015</time>' in timeline
    assert "status-under_discussion" in timeline and "status-agreed" in timeline
    evidence = data.citations["evidence"]
    assert f'href="/sources/taipei-cable/#citation-{evidence.pk}"' in timeline
    assert "The parties announced that the dialogue had begun" in timeline


def test_dates_show_only_their_precision(client, data):
    academies = html(client.get(data.proposals["academies"].get_absolute_url()))
    assert '<time datetime="2005-11">November 2005</time>' in academies
    trade = html(client.get(data.proposals["trade"].get_absolute_url()))
    assert '<time datetime="2012">2012</time>' in trade
    stalled = html(client.get(data.proposals["measure-4"].get_absolute_url()))
    assert '<time datetime="2020-01">January 2020</time>' in stalled
    assert '<time datetime="2021">2021</time>' in stalled
    article = html(client.get(data.sources["article"].get_absolute_url()))
    assert '<time datetime="2019">2019</time>' in article


def test_source_page_shows_metadata_and_highlighted_text(client, data):
    cable = data.sources["cable"]
    page = html(client.get(cable.get_absolute_url()))
    for text in ["Diplomatic cable", "Embassy", "05TAIPEI4550", "Confidential", "10 November 2005"]:
        assert text in page
    # Every citation of the source is a highlighted passage, its <mark> carrying its id once.
    for citation in cable.citations.all():
        assert page.count(f'id="citation-{citation.pk}"') == 1, citation
        assert f'<mark id="citation-{citation.pk}" class="cited' in page, citation
    origin = data.citations["origin"]
    assert re.search(
        rf'<mark id="citation-{origin.pk}" class="cited depth-1" data-citation="{origin.pk}">'
        r'<a href="/proposals/trilateral-dialogue/" title="Cited for: Hold a trilateral security '
        r'dialogue">agreed to hold a trilateral security dialogue</a></mark>',
        page,
    )
    # The nested citation has its own, darker mark inside its parent's.
    nested, parent = data.citations["nested"], data.citations["academies_origin"]
    assert (
        f'<mark class="cited depth-1" data-citation="{parent.pk}">'
        f'<mark id="citation-{nested.pk}" class="cited depth-2" data-citation="{nested.pk}">'
        '<a href="/proposals/academy-exchanges/" title="Cited for: Exchanges between military '
        'academies">exchanges between military academies</a></mark></mark>'
    ) in page
    assert "citation-anchor" not in page
    # Line breaks are kept for white-space: pre-wrap.
    assert "security dialogue</a></mark>.\n\n2. (C)" in page


def test_source_text_without_citations_is_plain(client, data):
    from tests.factories import SourceFactory

    source = SourceFactory(text="Line one & two\nline <three>")
    page = html(client.get(source.get_absolute_url()))
    assert '<div class="source-text" lang="en">Line one &amp; two\nline &lt;three&gt;</div>' in page


def test_actor_pages(client, data):
    japan = html(client.get("/actors/japan/"))
    assert "Government of Japan" in japan
    made, addressed = japan.split('id="addressed"')
    assert "Trilateral coast guard cooperation" in made
    assert "Hold a trilateral security dialogue" not in made
    assert "Hold a trilateral security dialogue" in addressed
    assert "Negotiate a free trade agreement" in addressed
    assert "?actor=japan" in japan
    taiwan = html(client.get("/actors/taiwan/"))
    made, addressed = taiwan.split('id="addressed"')
    assert "Exchanges between military academies" in made
    index = html(client.get("/actors/"))
    assert '<a href="/actors/taiwan/">Government of Taiwan</a>' in index
    assert '<td data-label="Proposed"><div>9</div></td>' in index


def test_source_index(client, data):
    page = html(client.get("/sources/"))
    assert '<a href="/sources/taipei-cable/" lang="en">' in page
    assert "4 cited passages for 2 proposals" in page


def test_feed_lists_changes_linking_to_proposals(client, data):
    response = client.get(reverse("site:changes-feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert '<feed xml:lang="en" xmlns="http://www.w3.org/2005/Atom">' in feed
    agreed = data.proposals["dialogue"].history.get(to_status="agreed")
    assert f"http://testserver/proposals/trilateral-dialogue/#change-{agreed.pk}" in feed
    assert "Hold a trilateral security dialogue: Under discussion → Agreed" in feed
    assert feed.count("<entry>") == StatusChange.objects.count()
    # The evidence quote is part of the entry's summary.
    assert "The parties announced that the dialogue had begun" in feed


@pytest.mark.parametrize("prefix", ["proposals", "sources", "actors"])
def test_unknown_slugs_are_404(client, data, prefix):
    assert client.get(f"/{prefix}/no-such-thing/").status_code == 404
