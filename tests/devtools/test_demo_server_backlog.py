"""The demo feed server takes a burst of connections while its accept thread waits: at `langnghe demo`'s start the
models load in the same process, and the first pass opens many fetches at once. With the standard listen queue (5),
the connections past the sixth were not taken until the kernel's SYN retries, and the first robots.txt fetch timed
out (seen in `make demo` logs, rounds 16–17)."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler

from devtools.demo_server import QuietHTTPServer


def test_a_burst_of_connections_is_queued_while_the_server_does_not_accept():
    srv = QuietHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)  # never served: an accept thread held up
    port, outcomes = srv.server_address[1], []

    def connect() -> None:
        with socket.socket() as s:
            s.settimeout(2.0)  # a bound: a dropped SYN is retried only after 1 s, then 3 s
            try:
                s.connect(("127.0.0.1", port))
                outcomes.append("ok")
            except OSError as exc:
                outcomes.append(type(exc).__name__)

    try:
        threads = [threading.Thread(target=connect) for _ in range(48)]  # 16 fetches, their pool, full text
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        srv.server_close()
    assert outcomes.count("ok") == 48, sorted(set(outcomes))
