"""Management commands: verify_citations, create_editor, import_corpus."""

from __future__ import annotations

import io
import textwrap

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from proposals.models import Citation, Proposal, Source
from tests.factories import ProposalFactory, SourceFactory, cite

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_verify_citations_passes_on_sound_data():
    cite(ProposalFactory())
    output = run("verify_citations")
    assert "1 sources, 1 revisions, 1 history rows and 1 citations checked, 0 failure(s)" in output


def test_verify_citations_catches_a_tampered_quote():
    citation = cite(ProposalFactory())
    Citation.objects.filter(pk=citation.pk).update(
        quote="Officials proposed exchanges between naval academies"
    )
    with pytest.raises(CommandError) as caught:
        run("verify_citations")
    assert "1 failure(s)" in str(caught.value)


def test_verify_citations_prints_one_line_per_failure():
    citation = cite(ProposalFactory())
    Citation.objects.filter(pk=citation.pk).update(start=citation.start + 1)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_citations", stdout=out)
    failures = [line for line in out.getvalue().splitlines() if line.startswith("FAIL")]
    assert len(failures) == 1
    assert f"citation {citation.pk}" in failures[0]


def test_verify_citations_catches_a_tampered_source_text():
    source = SourceFactory()
    cite(ProposalFactory(), source)
    Source.objects.filter(pk=source.pk).update(text=source.text.replace("welcomed", "rejected"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_citations", stdout=out)
    assert f"source {source.slug}: text does not match its stored sha256" in out.getvalue()


def test_verify_citations_compares_with_seeds(settings, tmp_path):
    settings.SEEDS_DIR = tmp_path
    source = SourceFactory(seed_file="doc.txt")
    (tmp_path / "doc.txt").write_text(source.text + "extra", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_citations", stdout=out)
    assert "differs from seeds/doc.txt" in out.getvalue()


def test_create_editor_prints_a_token_that_authenticates():
    output = run("create_editor", "reviewer")
    token = output.strip().splitlines()[-1]
    assert Token.objects.filter(key=token, user__username="reviewer").exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "reviewer"


def test_create_editor_twice_keeps_one_user_and_token():
    first = run("create_editor", "reviewer").strip().splitlines()[-1]
    second = (
        run("create_editor", "reviewer", "--password", "a-long-password-9").strip().splitlines()[-1]
    )
    assert first == second


def test_create_editor_refuses_a_bad_name():
    with pytest.raises(CommandError):
        run("create_editor", "bad name!")


def test_import_corpus_goes_through_the_services(tmp_path, settings):
    settings.SEEDS_DIR = tmp_path
    (tmp_path / "doc.txt").write_text(
        "Taipei proposed a “joint dialogue” on security.\n", encoding="utf-8"
    )
    corpus = tmp_path / "corpus.toml"
    corpus.write_text(
        textwrap.dedent(
            """
            [[sources]]
            slug = "doc"
            seed_file = "doc.txt"
            title = "A document"
            kind = "article"
            published_on = 2005-01-01
            published_precision = "year"

            [[actors]]
            slug = "taipei"
            name = "Taipei"
            kind = "government"
            country = "Taiwan"

            [[proposals]]
            slug = "dialogue"
            title = "A joint dialogue"
            summary = "Taipei wants to talk."
            category = "security_dialogue"
            proposed_on = 2005-01-01
            proposed_precision = "year"
            proposers = ["taipei"]

              [[proposals.citations]]
              key = "origin"
              source = "doc"
              role = "origin"
              locator = "paragraph 1"
              quote = '''proposed a "joint dialogue"'''

              [[proposals.changes]]
              to_status = "under_discussion"
              effective_on = 2005-02-01
              effective_precision = "month"
              note = "Discussed."
              evidence = ["origin"]
            """
        ),
        encoding="utf-8",
    )
    output = run("import_corpus", str(corpus))
    assert "1 proposals, 1 citations, 1 status changes, 0 positions, 0 relations and 0 " in output
    proposal = Proposal.objects.get(slug="dialogue")
    assert proposal.status == "under_discussion"
    citation = proposal.citations.get()
    assert citation.quote == "proposed a “joint dialogue”"
    with pytest.raises(CommandError, match="already holds"):
        run("import_corpus", str(corpus))


def test_import_corpus_names_a_quote_that_is_not_verbatim(tmp_path, settings):
    settings.SEEDS_DIR = tmp_path
    (tmp_path / "doc.txt").write_text("Taipei proposed a dialogue.\n", encoding="utf-8")
    corpus = tmp_path / "corpus.toml"
    corpus.write_text(
        textwrap.dedent(
            """
            [[sources]]
            slug = "doc"
            seed_file = "doc.txt"
            title = "A document"
            kind = "article"
            [[proposals]]
            slug = "dialogue"
            title = "A joint dialogue"
            summary = "Taipei wants to talk."
            category = "security_dialogue"
            proposed_on = 2005-01-01
              [[proposals.citations]]
              key = "origin"
              source = "doc"
              locator = "paragraph 1"
              quote = "Taipei proposed a summit."
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(
        CommandError, match="dialogue, citation origin: The quote is not in the text"
    ):
        run("import_corpus", str(corpus))
    assert not Proposal.objects.exists()


def test_load_demo_loads_the_fixtures_once_and_never_overwrites_edits():
    from proposals import services

    assert "Installed" in run("load_demo")
    proposal = Proposal.objects.filter(status="proposed").order_by("slug").first()
    services.record_transition(
        proposal=proposal,
        to_status="withdrawn",
        note="Edited in the demo.",
        effective_date=proposal.proposed_on,
        expected_version=proposal.version,
    )
    assert "not loaded again" in run("load_demo")
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
