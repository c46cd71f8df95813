"""Fixtures of the performance tests: synthetic data made by the generator itself."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache

from bench import synthetic
from tests.api.conftest import anon, world  # noqa: F401 (fixtures of the budgets' built data)

# Small, so that the tests stay quick; the generator's defaults are for benchmarks.
SOURCES = 3
ACTORS = 12
TODAY = datetime.date(2026, 1, 15)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache: start every test with none."""
    cache.clear()
    yield
    cache.clear()


def generate(proposals: int, *, seed: int = 7, top_up: bool = False) -> synthetic.Result:
    return synthetic.generate(
        proposals=proposals,
        seed=seed,
        sources=SOURCES,
        actors=ACTORS,
        top_up=top_up,
        today=TODAY,
    )
