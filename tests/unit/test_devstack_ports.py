"""The ports devstack gives its servers: free, never the same twice in one process, and, on
Linux, below the kernel's ephemeral range, so that no outgoing connection can take the port of
a server that is killed and started again (a cluster test's broker once found its port taken)."""

from devstack.processes import (
    EPHEMERAL_RANGE,
    LISTENING_PORTS_FROM,
    _bindable,
    free_port,
    free_ports_in_a_row,
)
from devstack.stack import Ports


def test_ports_handed_out_are_free_distinct_and_below_the_ephemeral_range():
    firsts = [free_ports_in_a_row(2) for _ in range(100)]
    pairs = [port for first in firsts for port in (first, first + 1)]
    single = [free_port() for _ in range(300)]
    handed = pairs + single
    assert len(set(handed)) == len(handed), "a port handed out twice"
    assert all(_bindable(port) for port in handed)
    ephemeral_from = int(EPHEMERAL_RANGE.read_text().split()[0])
    assert all(LISTENING_PORTS_FROM <= port < ephemeral_from for port in handed)


def test_a_clusters_ports_are_distinct():
    ports = Ports.free(brokers=3)
    assert len(set(ports.all())) == len(ports.all()) == 17
