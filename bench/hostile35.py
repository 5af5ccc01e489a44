"""Round 32 sweep (`hostile35`, docs/SECURITY.md): invisible characters inside place names, a feed's time written
without a zone, a source address with a user name and password. Each case runs in a child process on the code of
`--root`; the only server is on 127.0.0.1.

Usage: PYTHONPATH=. .venv/bin/python bench/hostile35.py [--root DIR] [--only NAME]
  --root: the checkout whose code the children run (default: this one), e.g. /work/main for the code before the round.

Cases:
  places    13 default-ignorable characters and 5 blanks, each put inside «Vàng» and «Uông» of «phường Vàng Danh, TP
            Uông Bí»: how many of the two names the gazetteer finds in the text `collectors.textutil.visible` keeps;
            and visible()'s time on 4 MB of ordinary text, of emoji with variation selectors, of tag characters
  zoneless  a feed of 48 items over 24 hours written as Vietnamese sites do without a zone (one RFC 822 spelling,
            ISO, «dd/mm/yyyy HH:MM», «GMT+7», «ICT»), read at 10:00 Vietnam time: items dated at the fetch (one
            instant), items more than a minute off their time
  lost      entries one odd value made a «mapping error» (the item lost at each poll) or a fetch a crash: a forum
            post's and a video's count «²» or 5,000 digits, a Telegram post's views «1.2.3K», an API post dated
            «9999-12-31T23:00:00-14:00», a list page's or imported row's «01/01/0001», a Retry-After of «²», a
            complaint mail dated «Fri, 31 Dec 9999 23:00:00 -1400»
  userinfo  `langnghe -v collect` of a configuration whose three sources' addresses carry «canbo:<password>@» (a feed
            answering 200, one 500, one redirect), a feed server on 127.0.0.1: exit code, how often the password is
            printed, how many requests carried it as HTTP Basic
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

PLACES = r'''
import time
from collectors.textutil import visible
from nlp.gazetteer import Gazetteer
g = Gazetteer()
chars = {"U+061C arabic letter mark": "\u061c", "U+034F grapheme joiner": "\u034f", "U+180E mongolian vowel sep": "\u180e",
         "U+180B mongolian fvs1": "\u180b", "U+17B4 khmer vowel": "\u17b4", "U+206A format (deprecated)": "\u206a",
         "U+FE0F selector 16": "\ufe0f", "U+FE00 selector 1": "\ufe00", "U+E0041 tag A": "\U000e0041",
         "U+E0001 language tag": "\U000e0001", "U+1BCA0 shorthand": "\U0001bca0", "U+1D173 music beam": "\U0001d173",
         "U+FFF9 annotation": "\ufff9", "U+200B zero-width space": "\u200b"}
blanks = {"U+3164 hangul filler": "\u3164", "U+115F": "\u115f", "U+1160": "\u1160", "U+FFA0": "\uffa0",
          "U+2800 braille blank": "\u2800"}
def found(text):
    return len({h.entry.name for h in g.find(visible(text)) if h.entry.name in ("Phường Vàng Danh", "Phường Uông Bí")})
total = 0
for name, c in chars.items():
    n = found(f"Sạt lở ở phường V{c}àng Danh, TP U{c}ông Bí hôm qua")
    total += n
    print(f"  inside a word  {name:28} {n} of 2 names found")
for name, c in blanks.items():
    n = found(f"Sạt lở ở phường Vàng{c}Danh, TP Uông{c}Bí hôm qua")
    total += n
    print(f"  as a blank     {name:28} {n} of 2 names found")
print(f"  in all: {total} of {2 * (len(chars) + len(blanks))}")
for label, unit in [("ordinary text", "Người dân phường Vàng Danh phản ánh bụi than. "), ("emoji + VS16", "Tin vui ❤️👍🏳️‍🌈 "),
                    ("tag characters", "a\U000e0041\U000e0042 ")]:
    text = unit * (4_000_000 // len(unit))
    t = time.perf_counter(); out = visible(text); dt = time.perf_counter() - t
    print(f"  visible() on 4 M characters of {label:15} {dt:5.2f} s -> {len(out):,} characters")
'''

ZONELESS = r'''
from datetime import datetime, timedelta
from collectors import rss
from vocab.config import SourceConfig
src = SourceConfig(name="x", kind="rss", url="https://example.vn/rss", outlet="X", source_type="press")
fetch = datetime(2026, 12, 7, 3, 0)
spellings = {"RFC 822, no zone": "%a, %d %b %Y %H:%M:%S", "ISO, no zone": "%Y-%m-%dT%H:%M:%S",
             "dd/mm/yyyy HH:MM": "%d/%m/%Y %H:%M", "GMT+7": "%a, %d %b %Y %H:%M:%S GMT+7",
             "ICT": "%a, %d %b %Y %H:%M:%S ICT", "+0700 (held)": "%a, %d %b %Y %H:%M:%S +0700"}
for name, fmt in spellings.items():
    true = [fetch - timedelta(minutes=10 + 30 * i) for i in range(48)]
    items = "".join(f"<item><title>t{i}</title><link>https://example.vn/{i}</link>"
                    f"<pubDate>{(t + timedelta(hours=7)).strftime(fmt)}</pubDate></item>" for i, t in enumerate(true))
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>{items}</channel></rss>'.encode()
    mapped = [rss.map_entry(e, src, fetch) for e in rss.parse_feed(feed).entries]
    at_fetch = sum(m.published_at == fetch for m in mapped)
    off = sum(abs(m.published_at - t) > timedelta(minutes=1) for m, t in zip(mapped, true))
    print(f"  {name:18} 48 items: {at_fetch:2} dated at the fetch, {off:2} more than a minute off")
'''

LOST = r'''
from datetime import datetime
from collectors import _social, email_inbox, telegram, xenforo, youtube
from collectors.base import map_all
from collectors.html_list import parse_vn_date
from collectors.http import parse_retry_after
from collectors.imports.times import parse_time
from vocab.config import SourceConfig
now = datetime(2026, 12, 7, 3, 0)
def src(kind):
    return SourceConfig(name=kind, kind=kind, url="https://x.example.vn/feed", outlet=kind, source_type="social")
post = {"title": "Bụi than ở Vàng Danh", "link": "https://x.example.vn/threads/1/", "summary": "x"}
video = {"title": "Bụi than", "link": "https://www.youtube.com/watch?v=abc", "yt_videoid": "abc", "summary": "x"}
mail = (b"From: dan@example.vn\r\nSubject: Phan anh\r\nMessage-ID: <m1@example.vn>\r\n"
        b"Date: Fri, 31 Dec 9999 23:00:00 -1400\r\nContent-Type: text/plain\r\n\r\nNuoc thai tran ra duong.\r\n")
cases = {
    "forum post, replies «²»": lambda: xenforo.map_xenforo_entry({**post, "slash_comments": "²"}, src("xenforo"), now),
    "forum post, 5,000-digit replies": lambda: xenforo.map_xenforo_entry({**post, "slash_comments": "9" * 5000},
                                                                         src("xenforo"), now),
    "video, views «²»": lambda: youtube.map_youtube_entry({**video, "media_statistics": {"views": "²"}},
                                                          src("youtube"), now),
    "telegram post, views «1.2.3K»": lambda: telegram.map_message({"post": "k/1", "text_html": "Ngập", "views": "1.2.3K"},
                                                                  src("telegram"), now),
    "API post dated 9999 at -14:00": lambda: _social.make_item(src("mastodon"), url="https://x.example.vn/1", title="t",
        text="Ngập", published=_social.parse_iso("9999-12-31T23:00:00-14:00"), fetched_at=now),
    "list page post «01/01/0001»": lambda: parse_vn_date("01/01/0001") or "no date",
    "imported row «01/01/0001»": lambda: parse_time("01/01/0001") or "no date",
    "complaint mail dated 9999 -1400": lambda: email_inbox.map_message(mail, "1", src("email_inbox"), now),
}
def as_item(fn):
    got = fn()  # an Item, or a date (or «no date») that a list page's or an import's row would then carry
    return got if not isinstance(got, (str, datetime)) else _social.make_item(
        src("html_list"), url="https://x.example.vn/2", title="t", text="x",
        published=got if isinstance(got, datetime) else None, fetched_at=now)
for name, fn in cases.items():
    items, skipped = map_all([fn], as_item)
    print(f"  {name:34} {'stored' if items else 'LOST: ' + ', '.join(skipped)}")
try:
    print(f"  Retry-After «²»                    {parse_retry_after('²')!r} (no Retry-After)")
except Exception as exc:
    print(f"  Retry-After «²»                    CRASH of the fetch: {type(exc).__name__}: {exc}")
'''

FEED_SERVER = r'''
import http.server, sys
seen = open(sys.argv[2], "a")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        seen.write(f"{self.headers.get('Authorization')}\n"); seen.flush()
        if self.path.startswith("/ok"):
            body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>Tin</title>'
                    b'<link>https://example.vn/a</link></item></channel></rss>')
            self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/redir"):
            self.send_response(302); self.send_header("Location", "http://127.0.0.1:1/x")
            self.send_header("Content-Length", "0"); self.end_headers()
        else:
            self.send_response(500); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_port, flush=True)
s.serve_forever()
'''

SECRET = "MatKhau-Bi-Mat-35"


def run_child(root: Path, code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([PY, "-c", textwrap.dedent(code)], cwd=root, env=env, capture_output=True, text=True,
                         timeout=600)
    return out.stdout + (out.stderr[-2000:] if out.returncode else "")


def userinfo(root: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        seen = Path(tmp, "seen.txt")
        srv = subprocess.Popen([PY, "-c", FEED_SERVER, "0", str(seen)], stdout=subprocess.PIPE, text=True)
        try:
            port = int(srv.stdout.readline())
            cfg = Path(tmp, "cfg.toml")
            sources = "".join(f'[[sources]]\nname = "{n}"\nkind = "rss"\n'
                              f'url = "http://canbo:{SECRET}@127.0.0.1:{port}/{n}"\noutlet = "{n}"\n'
                              'source_type = "press"\n' for n in ("ok", "fail", "redir"))
            cfg.write_text(f'[storage]\ndb_path = "{tmp}/db.duckdb"\nsnapshot_path = "{tmp}/db.snapshot.duckdb"\n'
                           f'[http]\nper_host_spacing_seconds = 0.0\nallow_private_hosts = ["127.0.0.1:{port}", '
                           f'"127.0.0.1:1"]\n[fulltext]\nenabled = false\n{sources}', encoding="utf-8")
            env = {**os.environ, "PYTHONPATH": str(root)}
            out = subprocess.run([PY, "-m", "langnghe.cli", "-v", "--config", str(cfg), "collect"], cwd=root, env=env,
                                 capture_output=True, text=True, timeout=300)
        finally:
            srv.terminate()
            srv.wait()
        printed = (out.stdout + out.stderr).count(SECRET)
        basic = sum(1 for line in seen.read_text().splitlines() if line.startswith("Basic ")) if seen.exists() else 0
        last = (out.stderr.strip().splitlines() or [""])[-1][:300]
        return (f"  exit {out.returncode}; the password printed {printed} times; {basic} requests sent it as HTTP Basic\n"
                f"  last line: {last}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    ap.add_argument("--only", choices=["places", "zoneless", "lost", "userinfo"])
    args = ap.parse_args()
    root = args.root.resolve()
    print(f"code of {root}")
    if args.only in (None, "places"):
        print("places: a place name with an invisible character inside, after collectors.textutil.visible")
        print(run_child(root, PLACES), end="")
    if args.only in (None, "zoneless"):
        print("zoneless: a feed's time written without a zone, fetched at 10:00 Vietnam time")
        print(run_child(root, ZONELESS), end="")
    if args.only in (None, "lost"):
        print("lost: one odd value in an entry")
        print(run_child(root, LOST), end="")
    if args.only in (None, "userinfo"):
        print("userinfo: a source address with «canbo:<password>@», `langnghe -v collect`")
        print(userinfo(root))


if __name__ == "__main__":
    main()
