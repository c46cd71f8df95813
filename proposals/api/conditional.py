"""ETags of proposals (their version) and the conditional headers that use them."""

from __future__ import annotations

import re

from rest_framework.request import Request

from proposals.api.exceptions import PreconditionFailed, PreconditionRequired

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


def etag(version: int) -> str:
    """Return the ETag of a proposal at `version`, quoted as HTTP wants: `"7"`."""
    return f'"{version}"'


def _versions(header: str) -> list[int]:
    """Return the versions named by a list of entity tags; tags of another shape are skipped."""
    found = []
    for item in header.split(","):
        match = _ETAG.match(item)
        if match:
            found.append(int(match.group(1)))
    return found


def not_modified(request: Request, version: int) -> bool:
    """Return whether If-None-Match names `version` (or is `*`): the client's copy is current."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    return header.strip() == "*" or version in _versions(header)


def expected_version(request: Request, current: int) -> int:
    """Return the version the client's If-Match names, for the service to check atomically.

    No If-Match is a 428 (a write must say which version it saw); one that names no version at
    all is a 412. If it lists the current version among others, that one is taken.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired(
            "If-Match: * does not protect against lost updates; send the ETag you read."
        )
    versions = _versions(header)
    if not versions:
        raise PreconditionFailed(
            f"If-Match {header[:100]!r} does not match the current ETag {etag(current)}; "
            "reload the proposal and try again."
        )
    return current if current in versions else versions[0]
