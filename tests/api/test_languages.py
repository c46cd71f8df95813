"""The API in the language a client asks for: ?lang= or Accept-Language."""

from __future__ import annotations

import pytest

API = "/api/v1"
SLUG = "ldp-dpp-party-security-dialogue"


@pytest.mark.parametrize(
    ("query", "headers", "title", "language"),
    [
        ({}, {}, "LDP-DPP ruling-party security dialogue", "en"),
        ({"lang": "ja"}, {}, "日本と台湾の与党間の安全保障対話", "ja"),
        (
            {},
            {"HTTP_ACCEPT_LANGUAGE": "zh-TW,zh;q=0.9,en;q=0.5"},
            "日本與臺灣執政黨之間的安全對話",
            "zh-hant",
        ),
        # ?lang= wins over the header.
        ({"lang": "ja"}, {"HTTP_ACCEPT_LANGUAGE": "zh-Hant"}, "日本と台湾の与党間", "ja"),
        # An unknown language falls back to English rather than failing.
        ({"lang": "xx"}, {}, "LDP-DPP ruling-party", "en"),
    ],
)
def test_translated_fields_follow_the_asked_language(
    client, corpus, query, headers, title, language
):
    response = client.get(f"{API}/proposals/{SLUG}/", query, **headers)
    assert response.status_code == 200
    assert response.json()["title"].startswith(title)
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]


def test_status_labels_and_descriptions_are_translated(client, corpus):
    statuses = client.get(f"{API}/statuses/", {"lang": "ja"}).json()
    proposed = next(item for item in statuses if item["code"] == "proposed")
    assert proposed["label"] == "提案済み"
    assert proposed["description"] == "提案者が提起したものの、まだ誰も取り上げていません。"


def test_the_list_reads_the_language_too(client, corpus):
    data = client.get(f"{API}/proposals/", {"lang": "zh-hant", "page_size": 100}).json()
    titles = {item["slug"]: item["title"] for item in data["results"]}
    assert titles["japan-taiwan-free-trade-agreement"] == "日臺自由貿易協定"


# --- Every translation at once: <field>_i18n ----------------------------------------------


def test_a_proposal_carries_every_translation_of_its_title_summary_and_group(client, corpus):
    slug = "japan-taiwan-official-security-dialogue"
    data = client.get(f"{API}/proposals/{slug}/", {"lang": "ja"}).json()
    assert set(data["title_i18n"]) == {"en", "ja", "zh-hant"}
    assert data["title_i18n"]["ja"] == data["title"]
    assert data["title_i18n"]["en"] != data["title"]
    assert all(data["summary_i18n"].values())
    assert data["group_name"] == "2019年日米台共同声明の措置"
    assert data["group_name_i18n"] == {
        "en": "Measures of the 2019 Japan-US-Taiwan joint statement",
        "ja": "2019年日米台共同声明の措置",
        "zh-hant": "2019年日美台聯合聲明的措施",
    }


def test_the_list_carries_the_translations_too(client, corpus):
    data = client.get(f"{API}/proposals/", {"page_size": 100}).json()
    rows = {item["slug"]: item for item in data["results"]}
    grouped = rows["japan-taiwan-official-security-dialogue"]
    assert grouped["group_name"] == "Measures of the 2019 Japan-US-Taiwan joint statement"
    assert grouped["group_name_i18n"]["zh-hant"] == "2019年日美台聯合聲明的措施"
    alone = rows[SLUG]
    assert alone["group_name"] == ""
    assert alone["group_name_i18n"] is None
    assert alone["title_i18n"]["zh-hant"].startswith("日本與臺灣執政黨之間的安全對話")


def test_a_missing_translation_is_null_and_the_field_falls_back_to_english(client, db):
    from tests.factories import ActorFactory, ProposalFactory

    ProposalFactory(slug="untranslated", title="Only in English")
    ActorFactory(slug="lonely", name="Lonely actor", country="Nowhere")
    data = client.get(f"{API}/proposals/untranslated/", {"lang": "zh-hant"}).json()
    assert data["title"] == "Only in English"
    assert data["title_i18n"] == {"en": "Only in English", "ja": None, "zh-hant": None}
    actor = client.get(f"{API}/actors/lonely/", {"lang": "ja"}).json()
    assert actor["name"] == "Lonely actor"
    assert actor["name_i18n"] == {"en": "Lonely actor", "ja": None, "zh-hant": None}
    assert actor["country_i18n"]["en"] == "Nowhere"


def test_actors_carry_every_translation_of_their_name_and_country(client, corpus):
    data = client.get(f"{API}/actors/japan-government/", HTTP_ACCEPT_LANGUAGE="zh-TW").json()
    assert data["name_i18n"]["en"] == "Government of Japan"
    assert data["name_i18n"]["ja"] == "日本政府"
    assert data["name"] == data["name_i18n"]["zh-hant"]
    assert data["country_i18n"]["ja"] == "日本"


LDP = {
    "slug": "ldp",
    "name": "自由民主党",
    "name_i18n": {
        "en": "Liberal Democratic Party (LDP)",
        "ja": "自由民主党",
        "zh-hant": "自由民主黨",
    },
}


def test_actors_named_by_a_proposal_carry_every_translation_of_their_name(client, corpus):
    detail = client.get(f"{API}/proposals/{SLUG}/", {"lang": "ja"}).json()
    assert LDP in detail["proposers"]
    assert LDP in detail["addressees"]
    rows = client.get(f"{API}/proposals/", {"lang": "ja", "page_size": 100}).json()["results"]
    row = next(item for item in rows if item["slug"] == SLUG)
    assert (row["proposers"], row["addressees"]) == (detail["proposers"], detail["addressees"])


def test_a_positions_actor_carries_every_translation_of_its_name(client, corpus):
    positions = client.get(f"{API}/proposals/{SLUG}/positions/", HTTP_ACCEPT_LANGUAGE="zh-TW")
    actors = {item["actor"]["slug"]: item["actor"] for item in positions.json()}
    assert actors["dpp"] == {
        "slug": "dpp",
        "name": "民主進步黨",
        "name_i18n": {
            "en": "Democratic Progressive Party (DPP)",
            "ja": "民主進歩党",
            "zh-hant": "民主進步黨",
        },
    }


def test_an_untranslated_actor_named_by_a_proposal_has_null_translations(client, db):
    from tests.factories import ActorFactory, ProposalFactory

    ProposalFactory(
        slug="untranslated", proposers=[ActorFactory(slug="lonely", name="Lonely actor")]
    )
    for url in (f"{API}/proposals/untranslated/", f"{API}/proposals/"):
        data = client.get(url, {"lang": "ja"}).json()
        row = data if "slug" in data else data["results"][0]
        assert row["proposers"] == [
            {
                "slug": "lonely",
                "name": "Lonely actor",
                "name_i18n": {"en": "Lonely actor", "ja": None, "zh-hant": None},
            }
        ]


# --- Dates with their precision, in the asked language --------------------------------------


@pytest.mark.parametrize(
    ("language", "proposed", "year_only"),
    [
        ("en", "by 10 November 2005", "2019"),
        ("ja", "2005年11月10日以前", "2019年"),
        ("zh-hant", "2005年11月10日或之前", "2019年"),
    ],
)
def test_display_dates_read_with_their_precision_and_qualifier(
    client, corpus, language, proposed, year_only
):
    data = client.get(f"{API}/proposals/", {"lang": language, "page_size": 100}).json()
    rows = {item["slug"]: item for item in data["results"]}
    assert rows["japan-taiwan-free-trade-agreement"]["proposed_on_display"] == proposed
    assert rows["japan-taiwan-official-security-dialogue"]["proposed_on_display"] == year_only


def test_a_month_known_only_reads_as_its_month(client, corpus):
    data = client.get(f"{API}/proposals/reconvene-six-party-talks/").json()
    assert data["proposed_precision"] == "month"
    assert data["proposed_on_display"] == "about February 2005"
    history = client.get(f"{API}/proposals/reconvene-six-party-talks/history/").json()
    assert history[0]["effective_date_display"] == "about February 2005"
    ja = client.get(f"{API}/proposals/reconvene-six-party-talks/history/", {"lang": "ja"}).json()
    assert ja[0]["effective_date_display"] == "2005年2月頃"


def test_sources_show_their_publication_date_to_its_precision(client, corpus):
    sources = client.get(f"{API}/sources/", {"lang": "ja"}).json()["results"]
    for source in sources:
        if source["published_on"] is None:
            assert source["published_on_display"] is None
        else:
            assert source["published_on_display"].startswith(source["published_on"][:4])
            assert "年" in source["published_on_display"]


# --- Caches never mix languages: Vary and one ETag per language ----------------------------


def test_each_language_has_its_own_etag(client, corpus):
    url = f"{API}/proposals/{SLUG}/"
    english = client.get(url)
    japanese = client.get(url, {"lang": "ja"})
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hant")
    tags = {english["ETag"], japanese["ETag"], chinese["ETag"]}
    assert len(tags) == 3
    assert english["ETag"].strip('"').isdigit()
    for response in (english, japanese, chinese):
        assert "Accept-Language" in response["Vary"]


def test_if_none_match_is_a_304_only_in_the_language_of_the_tag(client, corpus):
    url = f"{API}/proposals/{SLUG}/"
    japanese = client.get(url, {"lang": "ja"})["ETag"]
    assert client.get(url, {"lang": "ja"}, HTTP_IF_NONE_MATCH=japanese).status_code == 304
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ja", HTTP_IF_NONE_MATCH=japanese).status_code == (
        304
    )
    # The English body is another representation: the Japanese tag does not validate it.
    english = client.get(url, HTTP_IF_NONE_MATCH=japanese)
    assert english.status_code == 200
    assert english.json()["title"].startswith("LDP-DPP")


def test_sources_have_an_etag_per_language_too(client, corpus):
    slug = client.get(f"{API}/sources/").json()["results"][0]["slug"]
    english = client.get(f"{API}/sources/{slug}/")["ETag"]
    chinese = client.get(f"{API}/sources/{slug}/", {"lang": "zh-hant"})["ETag"]
    assert english != chinese
    assert client.get(f"{API}/sources/{slug}/", HTTP_IF_NONE_MATCH=chinese).status_code == 200


def test_a_write_accepts_the_etag_read_in_any_language(editor_api, world):
    url = f"{API}/proposals/{world.proposal.slug}/"
    etag = editor_api.get(url, {"lang": "ja"})["ETag"]
    assert etag.endswith('-ja"')
    response = editor_api.patch(
        f"{url}?lang=ja", {"title": "Renamed"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{world.proposal.version + 1}-ja"'
    assert response.json()["title_i18n"]["en"] == "Renamed"


# --- The schema documents it ----------------------------------------------------------------


def test_the_schema_documents_languages_translations_and_display_dates(client, db):
    import yaml

    schema = yaml.safe_load(client.get(f"{API}/schema/").content)
    components = schema["components"]["schemas"]
    assert set(components["Translations"]["properties"]) == {"en", "ja", "zh-hant"}
    row = components["ProposalRow"]["properties"]
    for name in ("title_i18n", "group_name_i18n"):
        assert "Translations" in str(row[name])
    assert "proposed_on_display" in row
    assert "summary_i18n" in components["ProposalDetail"]["properties"]
    assert {"name_i18n", "country_i18n"} <= set(components["Actor"]["properties"])
    assert "Translations" in str(components["ActorRef"]["properties"]["name_i18n"])
    assert "ActorRef" in str(row["proposers"])
    assert "ActorRef" in str(components["Position"]["properties"]["actor"])
    operation = schema["paths"]["/api/v1/proposals/{slug}/"]["get"]
    names = {(item["in"], item["name"]) for item in operation["parameters"]}
    assert {("query", "lang"), ("header", "Accept-Language")} <= names
    assert "Vary" in operation["responses"]["200"]["headers"]


# --- Error messages -------------------------------------------------------------------------


def test_conditional_errors_are_in_the_asked_language(editor_api, world):
    url = f"{API}/proposals/{world.proposal.slug}/"
    missing = editor_api.patch(f"{url}?lang=ja", {"title": "New"}, format="json")
    assert missing.status_code == 428
    assert missing.json()["detail"].startswith("読み取ったときの ETag")
    stale = editor_api.patch(
        url, {"title": "New"}, format="json", HTTP_IF_MATCH='W/"1"', HTTP_ACCEPT_LANGUAGE="zh-TW"
    )
    assert stale.status_code == 412
    assert "與目前的 ETag" in stale.json()["detail"]
    assert stale.json()["code"] == "stale_version"


def test_domain_errors_are_in_the_asked_language(editor_api, world):
    response = editor_api.post(
        f"{API}/sources/?lang=ja",
        {"title": "Empty", "kind": "article", "publisher": "Nobody", "text": "   "},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "empty_text"
    assert (
        body["detail"]
        == "本文が空です。文書の本文を貼り付けるか、そのファイルをアップロードしてください。"
    )


def test_a_proposal_named_elsewhere_carries_every_translation_of_its_title(client, corpus):
    proposal = "ldp-dpp-party-security-dialogue"
    citations = client.get(f"{API}/citations/", {"proposal": proposal, "lang": "ja"}).json()
    first = citations["results"][0]
    assert first["proposal_title"] == first["proposal_title_i18n"]["ja"]
    assert first["proposal_title_i18n"]["en"].startswith("LDP-DPP")
    changes = client.get(f"{API}/changes/", {"page_size": 500}).json()["results"]
    change = next(item for item in changes if item["proposal"] == proposal)
    assert change["proposal_title_i18n"]["zh-hant"].startswith("日本與臺灣執政黨")
    actor = client.get(f"{API}/actors/ldp/").json()
    made = {item["slug"]: item for item in actor["proposals_made"]}
    assert made[proposal]["title_i18n"]["ja"].startswith("日本と台湾の与党間")


def test_request_errors_are_in_the_asked_language(editor_api, world):
    repeated = editor_api.get(f"{API}/proposals/", {"lang": "zh-hant", "ordering": ["a", "b"]})
    assert repeated.status_code == 400
    assert repeated.json()["ordering"][0].startswith("重複指定")
    broken = editor_api.generic(
        "POST",
        f"{API}/proposals/?lang=ja",
        '{"title": ',
        content_type="application/json",
    )
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("JSON 解析エラー")
    unknown = editor_api.post(f"{API}/proposals/?lang=ja", {"colour": "red"}, format="json")
    assert unknown.json()["colour"][0].startswith("不明な項目です。")
    missing = editor_api.get(f"{API}/nowhere/", HTTP_ACCEPT_LANGUAGE="ja")
    assert missing.json()["detail"] == "このアドレスに API エンドポイントはありません。"
