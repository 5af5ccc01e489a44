"""A tiny IMAP4rev1 server on 127.0.0.1 for the email_inbox kind: LOGIN, SELECT, UID SEARCH UNSEEN,
UID FETCH (BODY.PEEK[] or a partial BODY.PEEK[]<0.N>), UID STORE +FLAGS (\\Seen), LOGOUT — what imaplib sends, nothing more. Plain or, with
a server context, implicit TLS (IMAPS); `connections` counts the clients that reached it."""

from __future__ import annotations

import re
import socketserver
import ssl

from devtools.demo_server import ServedInThread


class Mailbox:
    def __init__(self, user: str = "phananh", password: str = "mat-khau") -> None:
        self.user, self.password = user, password
        self.messages: dict[int, bytes] = {}
        self.seen: set[int] = set()
        self.logins = 0
        self.fetched: list[int] = []  # bytes sent for each FETCH
        self.ignore_partial = False  # a broken or hostile server: the whole message whatever part was asked

    def add(self, raw: bytes) -> int:
        uid = max(self.messages, default=100) + 1
        self.messages[uid] = raw
        return uid


class _Handler(socketserver.StreamRequestHandler):
    box: Mailbox

    def w(self, line: str | bytes) -> None:
        self.wfile.write(line if isinstance(line, bytes) else line.encode() + b"\r\n")

    def handle(self) -> None:
        self.w("* OK IMAP4rev1 thu-nghiem")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            tag, _, rest = line.decode().strip().partition(" ")
            cmd = rest.split(" ")[0].upper()
            if cmd == "CAPABILITY":
                self.w("* CAPABILITY IMAP4rev1")
                self.w(f"{tag} OK CAPABILITY")
            elif cmd == "LOGIN":
                _, user, pw = rest.split(" ", 2)
                if user.strip('"') == self.box.user and pw.strip('"') == self.box.password:
                    self.box.logins += 1
                    self.w(f"{tag} OK LOGIN")
                else:
                    self.w(f"{tag} NO [AUTHENTICATIONFAILED] sai mat khau")
            elif cmd == "SELECT":
                self.w(f"* {len(self.box.messages)} EXISTS")
                self.w(f"{tag} OK [READ-WRITE] SELECT")
            elif cmd == "UID":
                self.uid(tag, rest[4:])
            elif cmd == "LOGOUT":
                self.w("* BYE")
                self.w(f"{tag} OK LOGOUT")
                return
            else:
                self.w(f"{tag} OK {cmd}")

    def uid(self, tag: str, rest: str) -> None:
        sub = rest.split(" ")[0].upper()
        if sub == "SEARCH":
            uids = " ".join(str(u) for u in sorted(self.box.messages) if u not in self.box.seen)
            self.w(f"* SEARCH {uids}".rstrip())
        elif sub == "FETCH":
            uid = int(rest.split(" ")[1])
            raw = self.box.messages.get(uid)
            if raw is not None:
                if "PEEK" not in rest.upper():
                    self.box.seen.add(uid)
                part = re.search(r"BODY(?:\.PEEK)?\[\]<(\d+)\.(\d+)>", rest, re.I)  # a partial fetch, as RFC 3501
                label = "BODY[]"
                if part and not self.box.ignore_partial:
                    start, count = int(part.group(1)), int(part.group(2))
                    raw, label = raw[start:start + count], f"BODY[]<{start}>"
                self.box.fetched.append(len(raw))
                self.w(f"* {uid} FETCH (UID {uid} {label} {{{len(raw)}}}".encode() + b"\r\n" + raw + b")\r\n")
        elif sub == "STORE":
            for u in re.split(r"[, ]", rest.split(" ")[1]):
                if u.isdigit():
                    self.box.seen.add(int(u))
        self.w(f"{tag} OK UID {sub}")


class _Server(ServedInThread, socketserver.ThreadingTCPServer):
    """Counts connections; with `tls`, speaks IMAPS (implicit TLS) with that server context."""

    tls: ssl.SSLContext | None = None
    connections = 0

    def get_request(self):  # noqa: ANN201 - socketserver's signature
        sock, addr = super().get_request()
        self.connections += 1
        return (self.tls.wrap_socket(sock, server_side=True) if self.tls else sock), addr


class ImapServer:
    def __init__(self, box: Mailbox, tls: ssl.SSLContext | None = None) -> None:
        handler = type("H", (_Handler,), {"box": box})
        self.server = _Server(("127.0.0.1", 0), handler)
        self.server.tls = tls
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.server.serve_in_thread("imap")

    def stop(self) -> None:
        self.server.stop()
