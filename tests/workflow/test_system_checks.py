"""The system checks of proposals/checks.py: what `manage.py check` says of a broken workflow."""

from __future__ import annotations

from django.core import checks, management

from proposals import checks as proposal_checks
from proposals import workflow
from proposals.workflow import Status


def ids(problems: list[checks.CheckMessage]) -> list[str]:
    return [problem.id for problem in problems]


def test_the_shipped_workflow_passes():
    assert proposal_checks.check_transition_table() == []


def test_a_status_without_a_row_or_description_is_named(monkeypatch):
    transitions = dict(workflow.TRANSITIONS)
    del transitions[Status.STALLED]
    descriptions = dict(workflow.DESCRIPTIONS)
    del descriptions[Status.STALLED]
    monkeypatch.setattr(workflow, "TRANSITIONS", transitions)
    monkeypatch.setattr(workflow, "DESCRIPTIONS", descriptions)

    problems = proposal_checks.check_transition_table()

    assert ids(problems) == ["proposals.E001", "proposals.E002"]
    assert all("'stalled'" in problem.msg for problem in problems)
    assert all(isinstance(problem, checks.Error) and problem.hint for problem in problems)


def test_a_transition_to_an_unknown_status_is_named(monkeypatch):
    transitions = {**workflow.TRANSITIONS, Status.REJECTED: (Status.UNDER_DISCUSSION, "revived")}
    monkeypatch.setattr(workflow, "TRANSITIONS", transitions)

    (problem,) = proposal_checks.check_transition_table()

    assert problem.id == "proposals.E003"
    assert "'rejected' -> 'revived'" in problem.msg


def test_an_unknown_initial_status_is_named(monkeypatch):
    monkeypatch.setattr(workflow, "INITIAL_STATUS", "drafted")

    assert ids(proposal_checks.check_transition_table()) == ["proposals.E004"]


def test_manage_py_check_runs_it_and_fails(monkeypatch):
    monkeypatch.setattr(workflow, "INITIAL_STATUS", "drafted")

    try:
        management.call_command("check")
    except management.CommandError as exc:
        assert "proposals.E004" in str(exc)
    else:
        raise AssertionError("`manage.py check` passed a workflow with an unknown initial status")


def test_sessions_in_a_per_process_cache_are_refused_for_deployment(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.SESSION_CACHE_ALIAS = "default"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert ids(proposal_checks.check_sessions_are_shared()) == ["proposals.E101"]

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    assert proposal_checks.check_sessions_are_shared() == []
