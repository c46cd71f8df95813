"""Fixtures of the admin tests; the browser tests use the site's Chromium setup."""

from __future__ import annotations

import datetime

import pytest

from proposals.models import Proposal
from tests.factories import ProposalFactory, cite
from tests.site.conftest import (  # noqa: F401 (fixtures)
    browser_context_args,
    browser_type_launch_args,
    screenshots,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def proposal() -> Proposal:
    """A proposal of 10 November 2005 with one origin citation (modules may shadow it)."""
    proposal = ProposalFactory(
        proposed_on=datetime.date(2005, 11, 10), title="Exchanges between academies"
    )
    cite(proposal)
    return proposal
