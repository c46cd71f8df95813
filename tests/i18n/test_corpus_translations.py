"""The corpus's translations: applied by the import, and refused when they name a lost slug."""

from __future__ import annotations

import textwrap

import pytest
from django.utils import translation

from proposals.corpus import CorpusError, import_corpus
from proposals.models import Actor, Proposal, ProposalGroup

CORPUS = textwrap.dedent(
    """
    [[sources]]
    slug = "cable"
    seed_file = "cable.txt"
    title = "A cable"
    kind = "diplomatic_cable"
    published_on = "2005-11-10"

    [[actors]]
    slug = "ldp"
    name = "Liberal Democratic Party (LDP)"
    kind = "party"
    country = "Japan"

    [[proposals]]
    slug = "dialogue"
    title = "Hold a security dialogue"
    summary = "The parties should talk."
    category = "security_dialogue"
    group = "statement"
    ordinal = 1
    proposed_on = "2005-11-10"
    proposers = ["ldp"]

      [[proposals.citations]]
      key = "origin"
      source = "cable"
      locator = "¶1"
      quote = "hold a security dialogue"
    """
)

TRANSLATIONS = textwrap.dedent(
    """
    [translations.groups."statement"]
    name = "The statement"
    name_ja = "声明"

    [translations.countries."Japan"]
    ja = "日本"
    zh_hant = "日本"

    [translations.actors."ldp"]
    name_ja = "自由民主党"
    name_zh_hant = "自由民主黨"
    aliases = "Liberal Democratic Party; LDP; 自民党"

    [translations.proposals."dialogue"]
    title_ja = "安全保障対話を開く"
    summary_ja = "当事者は対話すべきである。"
    title_zh_hant = "舉行安全對話"
    """
)


@pytest.fixture
def seeds(tmp_path):
    (tmp_path / "cable.txt").write_text("We should hold a security dialogue.", encoding="utf-8")
    return tmp_path


def load(text: str):
    import tomllib

    return tomllib.loads(text)


def test_translations_are_applied(db, seeds):
    report = import_corpus(load(CORPUS + TRANSLATIONS), seeds_dir=seeds)
    assert report.translations == 4
    proposal = Proposal.objects.get()
    actor = Actor.objects.get()
    with translation.override("ja"):
        assert proposal.title == "安全保障対話を開く"
        assert actor.name == "自由民主党"
        assert actor.country == "日本"
        assert ProposalGroup.objects.get().name == "声明"
    with translation.override("zh-hant"):
        # No Chinese summary: the English one stands in.
        assert (proposal.title, proposal.summary) == ("舉行安全對話", "The parties should talk.")
    with translation.override("en"):
        assert proposal.title == "Hold a security dialogue"
    assert actor.alias_list() == ["Liberal Democratic Party", "LDP", "自民党"]


@pytest.mark.parametrize(
    ("stale", "message"),
    [
        ('[translations.proposals."gone"]\ntitle_ja = "x"\n', "no proposals with the slug gone"),
        ('[translations.actors."nobody"]\nname_ja = "x"\n', "no actors with the slug nobody"),
        ('[translations.groups."none"]\nname = "x"\n', "no groups with the slug none"),
        ('[translations.proposals."dialogue"]\ntitle_fr = "x"\n', "unknown keys title_fr"),
    ],
)
def test_a_stale_or_unknown_translation_fails_the_import(db, seeds, stale, message):
    with pytest.raises(CorpusError, match=message):
        import_corpus(load(CORPUS + stale), seeds_dir=seeds)
    assert not Proposal.objects.exists()


def test_the_demo_corpus_is_translated_in_full(corpus):
    """Every proposal, actor and group of the demo data has its Japanese and Chinese text."""
    for proposal in Proposal.objects.all():
        for column in ("title_ja", "summary_ja", "title_zh_hant", "summary_zh_hant"):
            assert getattr(proposal, column), (proposal.slug, column)
    for actor in Actor.objects.all():
        assert actor.name_ja and actor.name_zh_hant, actor.slug
    assert ProposalGroup.objects.filter(name_ja__isnull=False).exists()
