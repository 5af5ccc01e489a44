"""A subscriber's webhook that misbehaves, on 127.0.0.1: one delivery pass (`orchestration.notify.deliver`) in a
child process per case, its outcome, seconds and peak RSS (os.wait4). docs/SECURITY.md «Round 28 sweep».

Usage: PYTHONPATH=. .venv/bin/python bench/hostile_webhook.py [case …]
Cases: redirect_private (307 to 10.0.0.1), redirect_meta (308 to 169.254.169.254), redirect_loop, endless (a chunked
body that never ends), gzip_bomb (2 MB → 2 GB of zeros), huge_header (200,000 headers), slow_headers (a header line
every 0.5 s), ok. The webhook's host is let through by [http] allow_private_hosts (127.0.0.1:<its port>) only;
nothing else is reached. [notify] timeout_seconds = 5."""
import os, sys, time, gzip, socket, threading, json, tempfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CASES = ["redirect_private", "redirect_meta", "redirect_loop", "endless", "gzip_bomb", "huge_header", "slow_headers", "ok"]

def serve(case):
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if case == "redirect_private":
                self.send_response(307); self.send_header("Location", "http://10.0.0.1/x"); self.end_headers(); return
            if case == "redirect_meta":
                self.send_response(308); self.send_header("Location", "http://169.254.169.254/latest/meta-data/"); self.end_headers(); return
            if case == "redirect_loop":
                self.send_response(307); self.send_header("Location", self.path); self.end_headers(); return
            if case == "endless":
                self.send_response(200); self.send_header("Transfer-Encoding", "chunked"); self.end_headers()
                chunk = b"x" * 65536
                try:
                    while True:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                except OSError: return
            if case == "gzip_bomb":
                body = BOMB
                self.send_response(200); self.send_header("Content-Encoding", "gzip"); self.send_header("Content-Length", str(len(body))); self.end_headers()
                try: self.wfile.write(body)
                except OSError: pass
                return
            if case == "huge_header":
                self.send_response(200)
                try:
                    for i in range(200000): self.send_header(f"X-{i}", "y" * 100)
                    self.end_headers()
                except OSError: pass
                return
            if case == "slow_headers":
                try:
                    self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                    for i in range(100): time.sleep(0.5); self.wfile.write(b"X-a: b\r\n"); self.wfile.flush()
                except OSError: pass
                return
            self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv

def child(case):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["LANGNGHE_WEBHOOK_SECRET"] = "khoa"
    srv = serve(case)
    port = srv.server_address[1]
    from tests.conftest import make_config
    from store.db import Database
    from tests.orchestration.test_notify import subscribe, raise_one, NOW
    from orchestration import notify
    from store import notify as sn
    tmp = Path(tempfile.mkdtemp())
    cfg = make_config(tmp, notify={"timeout_seconds": 5}, http={"allow_private_hosts": [f"127.0.0.1:{port}"]})
    db = Database(cfg.storage.db_path)
    subscribe(db, channel="webhook", address=f"http://127.0.0.1:{port}/hook")
    raise_one(db)
    t = time.time()
    out = notify.deliver(cfg, db, now=NOW)
    with db.read() as cur:
        detail = sn.recent_log(cur)[0]["detail"]
    print(f"{case}: {out} {time.time()-t:.1f} s «{detail[:150]}»", flush=True)
    os._exit(0)

def _bomb():
    import zlib
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    z = b"\0" * (1 << 20)
    return b"".join([c.compress(z) for _ in range(2048)] + [c.flush()])

BOMB = b""
if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.measure import child_peak_mb
    BOMB = _bomb()
    print("bomb", len(BOMB), "bytes -> 2 GB")
    for case in (sys.argv[1:] or CASES):
        pid = os.fork()
        if pid == 0:
            child(case)
        _, status, ru = os.wait4(pid, 0)
        print(f"   peak RSS {child_peak_mb(ru):.0f} MB, exit {status}", flush=True)
