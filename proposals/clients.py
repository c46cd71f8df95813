"""Who is asking: the client's address, read the one way the throttles and the lockout share.

Behind no proxy (the default), the address is the connection's own (`REMOTE_ADDR`) and any
`X-Forwarded-For` is ignored, since a client can write anything there. Behind
`TRACKER_TRUSTED_PROXY_COUNT` proxies that each append the address they saw, the client is the
entry that many places from the right of `X-Forwarded-For`: entries further left are the
client's own claims.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """Return the address of the client that sent `request`, trusting only configured proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = int(getattr(settings, "TRACKER_TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies][:64]
