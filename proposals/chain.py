"""The hash chain of the append-only record: each history row sealed to the one before it.

A status change or a position carries `chain_sha256`, the sha256 of what a reader relies on
(its fields and its evidence) together with the `chain_sha256` of the previous row of the same
proposal (by id: the order rows were recorded in, which the proposal's row lock makes the
order of commits). A row rewritten, inserted or removed behind the application's back (raw SQL,
another client, a backup edited by hand) no longer matches, and neither does the row after it
unless every later hash was recomputed too; `verify_citations` recomputes the chains.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

# The previous hash of a proposal's first row.
GENESIS = ""


def _canonical(value: Any) -> Any:
    """A value as JSON writes it the same on every database and after a backup's round trip."""
    if isinstance(value, datetime.datetime):
        # Django's serializers keep milliseconds: a restored backup must hash the same.
        return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def digest(kind: str, content: Mapping[str, Any], evidence: Iterable[int], previous: str) -> str:
    """The sha256 (hex) of a row of `kind` with `content` and `evidence`, after `previous`."""
    payload = {
        "kind": kind,
        "content": {name: _canonical(value) for name, value in content.items()},
        "evidence": sorted(int(pk) for pk in evidence),
        "previous": previous,
    }
    encoded = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()
