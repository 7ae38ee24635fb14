"""Several workers on one port, each with a socket of its own (planfix_server/workers.py); the
process-level behaviour (connections spread, a dead worker replaced, SIGTERM) is in test_serve.py."""

from __future__ import annotations

import socket

import pytest

from planfix_server import workers


def test_the_sockets_share_one_port_with_reuse_port() -> None:
    made = workers.listening_sockets("127.0.0.1", 0, 3)
    try:
        ports = {sock.getsockname()[1] for sock in made}
        assert len(ports) == 1 and ports != {0}
        for sock in made:
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            sock.listen()
    finally:
        for sock in made:
            sock.close()


def test_a_port_taken_without_reuse_port_is_refused() -> None:
    with socket.socket() as taken:  # no SO_REUSEPORT: nobody may share its port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match="in use"):
            workers.listening_sockets("127.0.0.1", taken.getsockname()[1], 2)
