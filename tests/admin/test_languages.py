"""The admin follows the editor's language; translations are edited side by side."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from proposals.models import Proposal
from tests.i18n.pages import untranslated

OTHER_LANGUAGES = [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture
def proposal(corpus):
    return Proposal.objects.get(slug="ldp-dpp-party-security-dialogue")


def change_status(client, proposal, **headers):
    url = reverse("admin:proposals_proposal_change_status", args=[proposal.pk])
    return client.get(url, **headers)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_change_status_page_in_the_editors_language(editor_client, proposal, language):
    english = change_status(editor_client, proposal).content.decode()
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = change_status(editor_client, proposal)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    # The evidence choices quote the sources, which stay in their own language.
    leftovers = untranslated(
        english, page, skip_ids=("id_evidence", "user-tools", "header", "nav-sidebar")
    )
    assert leftovers == [], leftovers


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_record_a_position_page_in_the_editors_language(editor_client, proposal, language):
    url = reverse("admin:proposals_proposal_record_position", args=[proposal.pk])
    english = editor_client.get(url).content.decode()
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = editor_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    # Actors' names are content (translated with the corpus); evidence choices quote sources.
    leftovers = untranslated(
        english, page, skip_ids=("id_evidence", "id_actor", "user-tools", "header", "nav-sidebar")
    )
    assert leftovers == [], leftovers


def test_the_relation_and_position_inlines_in_the_editors_language(editor_client, proposal):
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = editor_client.get(
        reverse("admin:proposals_proposal_change", args=[proposal.pk])
    ).content.decode()
    assert "他の提案との関連" in page
    assert "関係者の立場（追記のみ：追加するには「立場を記録」を使ってください）" in page
    assert ">立場を記録</a>" in page
    # The columns and labels name the models' fields in the editor's language too.
    for label in (
        "関連先の提案",
        "変更前のステータス",
        "箇所",
        "記録者",
        "グループ内でのこの提案の順番",
    ):
        assert label in page, label
    assert "ステータスを変更…" in page
    # Each citation's anchor status, not the date qualifier's "Exact" (確定).
    assert "同じ位置" in page


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_add_source_page_in_the_editors_language(editor_client, language):
    url = reverse("admin:proposals_source_add")
    english = editor_client.get(url).content.decode()
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = editor_client.get(url).content.decode()
    leftovers = untranslated(english, page, skip_ids=("user-tools", "header", "nav-sidebar"))
    assert leftovers == [], leftovers


def test_a_sources_pages_in_the_editors_language(editor_client, corpus):
    from proposals.models import Source

    source = Source.objects.order_by("pk").first()
    editor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    page = editor_client.get(
        reverse("admin:proposals_source_change", args=[source.pk])
    ).content.decode()
    for label in ("発行元", "文書のURL", "詳細の編集履歴", "本文の版", "本文を訂正"):
        assert label in page, label
    revise = editor_client.get(reverse("admin:proposals_source_revise", args=[source.pk]))
    assert f"「{source.title}」の本文を訂正" in revise.content.decode()


def test_without_a_choice_the_browser_language_is_used(editor_client, proposal):
    page = change_status(editor_client, proposal, HTTP_ACCEPT_LANGUAGE="zh-TW,zh;q=0.9").content
    assert "記錄此變更".encode() in page
    assert "變更狀態".encode() in page


def test_translations_are_edited_side_by_side(editor_client, proposal):
    page = editor_client.get(
        reverse("admin:proposals_proposal_change", args=[proposal.pk])
    ).content.decode()
    # One form row holds the three titles, English first.
    row = page[page.index('name="title_en"') : page.index('name="summary_en"')]
    assert (
        row.index('name="title_en"')
        < row.index('name="title_ja"')
        < row.index('name="title_zh_hant"')
    )
    assert "field-title_en" in page and "fieldBox" in row


def test_saving_a_translation_keeps_the_english_and_moves_the_version(editor_client, proposal):
    url = reverse("admin:proposals_proposal_change", args=[proposal.pk])
    form = editor_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "proposers": [a.pk for a in proposal.proposers.all()],
        "addressees": [a.pk for a in proposal.addressees.all()],
        "title_ja": "新しい日本語のタイトル",
        "expected_version": proposal.version,
        "citations-TOTAL_FORMS": 0,
        "citations-INITIAL_FORMS": 0,
        "history-TOTAL_FORMS": 0,
        "history-INITIAL_FORMS": 0,
        "relations_out-TOTAL_FORMS": 0,
        "relations_out-INITIAL_FORMS": 0,
    }
    before = proposal.version
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert proposal.title_ja == "新しい日本語のタイトル"
    assert (
        proposal.title_en
        == "LDP-DPP ruling-party security dialogue ('2+2') between Japan and Taiwan"
    )
    assert proposal.version == before + 1


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_field_label_of_the_record_is_translated(language):
    """The admin labels its forms, columns and read-only rows with the fields' names."""
    from django.apps import apps
    from django.utils import translation

    untranslated_labels = []
    for model in apps.get_app_config("proposals").get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue
            english = str(field.verbose_name)
            with translation.override(language):
                shown = str(field.verbose_name)
            if shown == english and english != "sha256":  # a name, the same in every language
                untranslated_labels.append(f"{model.__name__}.{field.name}: {english}")
    assert untranslated_labels == []
