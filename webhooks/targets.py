"""
Reaching a subscriber's URL safely: which addresses are allowed, and one bounded HTTP POST.

A webhook makes the server send requests to an address a user typed, so it must not become a
way into the server's own network (SSRF): loopback, private, link-local (cloud metadata at
169.254.169.254), shared, multicast and reserved addresses are refused unless
`WEBHOOKS_ALLOW_PRIVATE_TARGETS` is on (development and tests). The host is resolved once and the
connection goes to the address that was checked, so a DNS answer cannot change in between.
Redirects are never followed; the response body is read up to a small limit; the whole attempt
has one deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from webhooks import conf

ALLOWED_SCHEMES = ("http", "https")
USER_AGENT = "proposal-tracker-webhooks/1"


class TargetRefused(Exception):
    """The URL may not be reached: wrong scheme, or an address on a private network."""


class TargetUnreachable(Exception):
    """The request failed on the network: DNS, connection, TLS, timeout or a broken response."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes


def check_scheme(url: str) -> tuple[str, str, int]:
    """Return the scheme, host and port of `url`, refusing anything but http(s) with a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused(f"The URL is not valid: {error}.") from None
    if parts.scheme not in ALLOWED_SCHEMES:
        raise TargetRefused("Webhook URLs must start with http:// or https://.")
    if not parts.hostname:
        raise TargetRefused("The URL names no host.")
    if parts.username or parts.password:
        raise TargetRefused("The URL may not carry a user name or password.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def refusal(address: str) -> str | None:
    """Return why `address` may not be a target, or None if it may."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address (such as cloud metadata)"
    if ip.is_private:
        return f"{ip} is a private address"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return f"{ip} is not a public address"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Return the addresses of `host`, each allowed as a target (or raise TargetRefused)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise TargetUnreachable(f"The host {host!r} could not be resolved: {error}.") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not conf.allow_private_targets():
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise TargetRefused(f"The host {host!r} resolves to {reason}.")
    return addresses


def check_url(url: str) -> None:
    """Refuse `url` if its scheme or (when it can be resolved now) its addresses are not allowed.

    A host that does not resolve yet is accepted here: every delivery checks again.
    """
    _, host, port = check_scheme(url)
    with contextlib.suppress(TargetUnreachable):
        resolve(host, port)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to an address checked beforehand, whatever DNS says now."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked address; the certificate must match the host name."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def post(url: str, body: bytes, headers: dict[str, str]) -> Response:
    """POST `body` to `url` once: no redirects, one deadline, at most `response_limit()` read.

    Raises TargetRefused for a URL that may not be reached and TargetUnreachable for network
    failures; any HTTP status, 3xx included, is a Response.
    """
    scheme, host, port = check_scheme(url)
    deadline = time.monotonic() + conf.timeout()
    addresses = resolve(host, port)
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=addresses[0], timeout=conf.timeout())
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                **headers,
            },
        )
        _limit_to(connection, deadline)
        response = connection.getresponse()
        _limit_to(connection, deadline)
        limit = conf.response_limit()
        data = b""
        while len(data) < limit:
            chunk = response.read1(limit - len(data))  # type: ignore[attr-defined]
            if not chunk:
                break
            data += chunk
            _limit_to(connection, deadline)
        return Response(response.status, data)
    except (OSError, http.client.HTTPException) as error:
        detail = str(error) or type(error).__name__
        raise TargetUnreachable(f"The request failed: {detail}.") from None
    finally:
        connection.close()


def _limit_to(connection: http.client.HTTPConnection, deadline: float) -> None:
    """Give the socket only the time left before `deadline`; raise if none is left."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("timed out")
    if connection.sock is not None:
        connection.sock.settimeout(remaining)
