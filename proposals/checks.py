"""System checks: the workflow's table must be consistent before anything runs."""

from __future__ import annotations

from typing import Any

from django.core import checks

from proposals import workflow


@checks.register()
def check_transition_table(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every status has a row, and every row names only known statuses."""
    problems: list[checks.CheckMessage] = []
    known = set(workflow.Status.values)
    for status in workflow.Status:
        if status not in workflow.TRANSITIONS:
            problems.append(
                checks.Error(
                    f"Status {status.value!r} has no row in the transition table.",
                    hint="Add it to proposals.workflow.TRANSITIONS (an empty tuple if final).",
                    id="proposals.E001",
                )
            )
        if status not in workflow.DESCRIPTIONS:
            problems.append(
                checks.Error(
                    f"Status {status.value!r} has no description.",
                    hint="Add it to proposals.workflow.DESCRIPTIONS.",
                    id="proposals.E002",
                )
            )
    for source, targets in workflow.TRANSITIONS.items():
        for target in targets:
            if target not in known:
                problems.append(
                    checks.Error(
                        f"The transition {source!r} -> {target!r} names an unknown status.",
                        hint="Use only members of proposals.workflow.Status.",
                        id="proposals.E003",
                    )
                )
    if workflow.INITIAL_STATUS not in known:
        problems.append(checks.Error("The initial status is unknown.", id="proposals.E004"))
    return problems
