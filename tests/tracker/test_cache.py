"""The shared cache on Redis: Django's backend, one client per connection pool."""

from __future__ import annotations

import pytest

pytest.importorskip("redis")


def test_values_round_trip_and_expire_as_with_djangos_backend(redis_cache):
    assert redis_cache.add("history", [1.5, 2.5], 60)
    assert not redis_cache.add("history", [], 60)
    assert redis_cache.get("history") == [1.5, 2.5]
    redis_cache.set("n", 1)
    assert redis_cache.incr("n") == 2
    redis_cache.set("gone", "x", 0)
    assert redis_cache.get("gone") is None


def test_every_command_shares_one_client_per_pool(redis_cache):
    client = redis_cache._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client("a", write=True) is client.get_client("b", write=True)
