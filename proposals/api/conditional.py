"""ETags of proposals and sources (their version and language) and the conditional headers.

A representation depends on the version of what it shows and on the language it is read in
(translated titles, labels and dates), so its ETag names both: `"7"` in English, the default,
`"7-ja"` and `"7-zh-hant"` in the others. A cache keyed by URL alone then never answers a
Japanese client's If-None-Match with the English body. A write compares the version only: an
editor who read the Japanese page may change what the English one shows.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.request import Request

from proposals.api.exceptions import (
    MalformedPrecondition,
    PreconditionFailed,
    PreconditionRequired,
)

# An entity tag as clients send it: `"7"`, `"7-ja"`, `W/"7"` (weak) or, leniently, a bare `7`.
# The schema documents the same shape for If-Match (schema.ENTITY_TAGS_PATTERN).
_ETAG = re.compile(
    r'^\s*(?P<weak>W/)?"?(?P<version>\d{1,18})'
    r'(?:-(?P<language>[a-z]{2,3}(?:-[a-z0-9]{1,8})*))?"?\s*$'
)


def etag(version: int, language: str | None = None) -> str:
    """Return the ETag of `version` read in `language` (the active one): `"7"` or `"7-ja"`."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return f'"{version}"'
    return f'"{version}-{language}"'


def _tags(header: str, *, strong: bool) -> list[tuple[int, str]]:
    """Return the (version, language) pairs a list of entity tags names; others are skipped."""
    found = []
    for item in header.split(","):
        match = _ETAG.match(item)
        if match and not (strong and match.group("weak")):
            language = match.group("language") or settings.LANGUAGE_CODE
            found.append((int(match.group("version")), language))
    return found


def _versions(header: str, *, strong: bool) -> list[int]:
    """Return the versions named by a list of entity tags; tags of another shape are skipped.

    With `strong`, weak tags (`W/"7"`) are skipped too: If-Match compares strongly (RFC 9110
    section 13.1.1), so a weak validator never matches there.
    """
    return [version for version, _language in _tags(header, strong=strong)]


def not_modified(request: Request, version: int) -> bool:
    """Return whether If-None-Match names `version` in the request's language (or is `*`).

    If-None-Match compares weakly: `W/"7"` matches version 7. A tag of another language is
    another representation: `"7-ja"` does not make an English request a 304.
    """
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    language = translation.get_language() or settings.LANGUAGE_CODE
    return header.strip() == "*" or (version, language) in _tags(header, strong=False)


def expected_version(request: Request, current: int) -> int:
    """Return the version the client's If-Match names, for the service to check atomically.

    No If-Match is a 428 (a write must say which version it saw); one that is not a list of
    entity tags of this API is a 400; one that names no strong tag (only weak ones) is a 412. If
    it lists the current version among others, that one is taken.
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
            _("If-Match: * does not protect against lost updates; send the ETag you read.")
        )
    if not all(_ETAG.match(item) for item in header.split(",")):
        raise MalformedPrecondition()
    versions = _versions(header, strong=True)
    if not versions:
        raise PreconditionFailed(
            _(
                "If-Match %(header)r does not match the current ETag %(etag)s; reload the "
                "proposal and try again (If-Match compares strongly: a weak W/ tag never matches)."
            )
            % {"header": header[:100], "etag": etag(current)},
            current_version=current,
        )
    return current if current in versions else versions[0]
