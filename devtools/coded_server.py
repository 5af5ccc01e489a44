"""A local HTTP server (127.0.0.1, a free port) that answers each path with given bytes under a given
Content-Encoding, unchecked: how a hostile site or webhook subscriber answers. bench/http_bombs.py and
tests/notify/test_answer_bounds.py both need one (a GET for the collectors, a POST for the notifiers)."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from devtools.demo_server import QuietHTTPServer

# path → (body as sent on the wire, its Content-Encoding header or "" for none)
Answers = dict[str, tuple[bytes, str]]


def serve_coded(answers: Answers, content_type: str) -> QuietHTTPServer:
    """Start the server in a daemon thread; the caller stops it (`stop()`: its threads ended, not only the serving
    loop). `answers` may be filled after the start."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.command == "POST":
                self.rfile.read(int(self.headers.get("content-length") or 0))
            body, coding = answers[self.path]
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if coding:
                self.send_header("Content-Encoding", coding)
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client stopped reading at its cap
                pass

        do_POST = do_GET  # noqa: N815 - a webhook subscriber's server answers the same way

    httpd = QuietHTTPServer(("127.0.0.1", 0), Handler)
    httpd.serve_in_thread("coded")
    return httpd
