"""Which addresses a webhook may reach, and the bounds of one request."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest

from webhooks import targets


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "10.0.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:10.0.0.1",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert targets.refusal(address) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"])
def test_public_addresses_are_allowed(address):
    assert targets.refusal(address) is None


def test_a_host_name_is_refused_for_what_it_resolves_to(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(targets.TargetRefused, match="loopback"):
        targets.check_url("http://localhost/hooks")


def test_the_setting_allows_private_targets(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    targets.check_url("http://127.0.0.1/hooks")


@pytest.fixture
def silent_server():
    """A TCP server that accepts and reads but never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    connections = []

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks"
    stop.set()
    thread.join()
    for connection in connections:
        connection.close()
    server.close()


def test_a_receiver_that_never_answers_times_out(settings, silent_server):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOKS_TIMEOUT = 0.5
    with pytest.raises(targets.TargetUnreachable, match="timed out"):
        targets.post(silent_server, b"{}", {})


@pytest.fixture
def chatty_server():
    """An HTTP server answering 200 with a 1 MB body."""
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        connection, _ = server.accept()
        connection.recv(65536)
        body = b"x" * 1_000_000
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        with contextlib.suppress(OSError):  # the client stops reading, as it should
            connection.sendall(head + body)
        connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/hooks"
    thread.join(timeout=5)
    server.close()


def test_only_the_start_of_a_response_is_read(settings, chatty_server):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    settings.WEBHOOKS_RESPONSE_LIMIT = 1024
    response = targets.post(chatty_server, b"{}", {})
    assert response.status == 200
    assert response.body == b"x" * 1024
