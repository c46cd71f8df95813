"""ETags of proposals (their version) and the conditional headers that use them."""

from __future__ import annotations

import re

from rest_framework.request import Request

from proposals.api.exceptions import PreconditionFailed, PreconditionRequired

# An entity tag as clients send it: `"7"`, `W/"7"` (weak) or, leniently, a bare `7`.
_ETAG = re.compile(r'^\s*(?P<weak>W/)?"?(?P<version>\d{1,18})"?\s*$')


def etag(version: int) -> str:
    """Return the ETag of a proposal at `version`, quoted as HTTP wants: `"7"`."""
    return f'"{version}"'


def _versions(header: str, *, strong: bool) -> list[int]:
    """Return the versions named by a list of entity tags; tags of another shape are skipped.

    With `strong`, weak tags (`W/"7"`) are skipped too: If-Match compares strongly (RFC 9110
    section 13.1.1), so a weak validator never matches there.
    """
    found = []
    for item in header.split(","):
        match = _ETAG.match(item)
        if match and not (strong and match.group("weak")):
            found.append(int(match.group("version")))
    return found


def not_modified(request: Request, version: int) -> bool:
    """Return whether If-None-Match names `version` (or is `*`): the client's copy is current.

    If-None-Match compares weakly: `W/"7"` matches version 7.
    """
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    return header.strip() == "*" or version in _versions(header, strong=False)


def expected_version(request: Request, current: int) -> int:
    """Return the version the client's If-Match names, for the service to check atomically.

    No If-Match is a 428 (a write must say which version it saw); one that names no version at
    all (or only weak tags) is a 412. If it lists the current version among others, that one is
    taken.
    """
    version = expected_version_if_sent(request, current)
    if version is None:
        raise PreconditionRequired()
    return version


def expected_version_if_sent(request: Request, current: int) -> int | None:
    """Like `expected_version`, for writes where If-Match is optional: None without one."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    if header == "*":
        raise PreconditionRequired(
            "If-Match: * does not protect against lost updates; send the ETag you read."
        )
    versions = _versions(header, strong=True)
    if not versions:
        raise PreconditionFailed(
            f"If-Match {header[:100]!r} does not match the current ETag {etag(current)}; "
            "reload the proposal and try again (If-Match compares strongly: a weak W/ tag "
            "never matches).",
            current_version=current,
        )
    return current if current in versions else versions[0]
