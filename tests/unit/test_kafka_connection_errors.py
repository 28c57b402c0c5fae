"""A TLS connection the broker resets right after the TCP connect (a broker killed while
clients connect to it) fails as a KafkaConnectionError, as every other connection failure
does, and not as a bare OSError, which ends the client's metadata refresh loop for good
(`shared.kafka`). A real socket in that state, on loopback; no broker is needed to show it."""

import socket
import struct
from collections import namedtuple
from collections.abc import Iterator

import kafka.net.manager
import pytest
from kafka.errors import KafkaConnectionError
from kafka.net.manager import KafkaConnectionManager
from kafka.net.selector import NetworkSelector

from shared import kafka as product_kafka

Node = namedtuple("Node", "node_id host port rack")


@pytest.fixture
def reset_after_connect(monkeypatch: pytest.MonkeyPatch) -> Iterator[Node]:
    """Connections to the node are made, then reset by the peer before the client wraps them
    in TLS."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    async def connected_then_reset(net, *_args, **_kwargs):  # as kafka.net.inet's
        sock = socket.create_connection(listener.getsockname())
        peer, _ = listener.accept()
        peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        peer.close()  # with linger 0: a reset, not a goodbye
        await net.sleep(0.05)
        sock.setblocking(False)
        return sock

    monkeypatch.setattr(kafka.net.manager, "create_connection", connected_then_reset)
    yield Node(1, "127.0.0.1", listener.getsockname()[1], None)
    listener.close()


def tls_manager() -> tuple[NetworkSelector, KafkaConnectionManager]:
    net = NetworkSelector()
    return net, KafkaConnectionManager(
        net, bootstrap_servers="127.0.0.1:1", security_protocol="SSL"
    )


def test_the_client_itself_lets_the_reset_escape_as_a_bare_os_error(reset_after_connect):
    """Why the product turns it: once this fails (a release that wraps it), the turning in
    shared.kafka can go."""
    net, manager = tls_manager()
    with pytest.raises(OSError) as raised:
        net.run(product_kafka._build_transport, manager, reset_after_connect)
    assert not isinstance(raised.value, KafkaConnectionError)
    net.close()


def test_a_reset_before_the_tls_wrap_fails_as_a_kafka_connection_error(reset_after_connect):
    net, manager = tls_manager()
    with pytest.raises(KafkaConnectionError, match="connecting failed: ConnectionResetError"):
        net.run(manager._build_transport, reset_after_connect)
    net.close()
