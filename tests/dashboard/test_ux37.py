"""Round 29's walk (ux36, «Seen and left»): Streamlit's markdown (remark-gfm) links a bare «a@b.vn», «https://…» and
«www.…» found in the text after parsing, backslash escapes or not, so `labels.no_links` and `labels.md` drew a
clickable link from a typed address. Now each such run is an inline code span, which remark-gfm does not link (ux37);
each test fails with the old helpers."""

from __future__ import annotations

import re

import pytest

from dashboard.labels import md, no_links
from tests.dashboard.conftest import no_exception

# what mdast-util-gfm-autolink-literal finds in a text node (its two patterns, ASCII \w as in JavaScript), and what
# micromark links: checked in what is left once the code spans are taken out
_GFM_URL = re.compile(r"(https?://|www(?=\.))[-.\w]+", re.IGNORECASE | re.ASCII)
_GFM_EMAIL = re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII)
_CODE = re.compile(r"(?<!\\)`[^`]*`")


def linked(markdown: str) -> list[str]:
    """The runs remark-gfm would draw as links in `markdown` (outside inline code spans), or a link's or an image's
    `](` left unescaped."""
    text = _CODE.sub(" ", markdown)
    found = [m.group() for m in _GFM_URL.finditer(text)] + [m.group() for m in _GFM_EMAIL.finditer(text)]
    return found + (["]("] if re.search(r"(?<!\\)\]\(", text) else [])


@pytest.mark.parametrize("typed, said", [
    ("a@b.vn", "`a@b.vn`"),
    ("https://x.vn/a", "`https://x.vn/a`"),
    ("www.x.vn", "`www.x.vn`"),
    ("[x](https://y)", "\\[x\\](`https://y`)"),
    ("![x](https://y)", "!\\[x\\](`https://y`)"),
    ("Địa chỉ «ten@donvi.gov.vn» không đúng.", "Địa chỉ «`ten@donvi.gov.vn`» không đúng."),
    ("Văn phòng (UBND) <vp@x.vn>", "Văn phòng (UBND) \\<`vp@x.vn`\\>"),
    ("xem https://vi.wikipedia.org/wiki/A_(b).", "xem `https://vi.wikipedia.org/wiki/A_(b)`."),
    ("a ` b https://x.vn/`q`", "a \\` b `https://x.vn/ˋqˋ`"),  # only our spans are code
    ("WWW.X.VN,a@b.vn", "`WWW.X.VN,a@b.vn`"),
])
def test_no_links_puts_addresses_and_urls_in_a_code_span(typed, said):
    assert no_links(typed) == said
    assert not linked(no_links(typed)), no_links(typed)
    assert not linked(md(typed)), md(typed)


def test_md_puts_them_in_a_code_span_and_escapes_the_rest():
    assert md("Liên hệ a@b.vn (UBND).") == "Liên hệ `a@b.vn` \\(UBND\\)\\."
    assert md("**www.x.vn**") == "\\*\\*`www.x.vn`\\*\\*"  # inert: the stars as typed, outside the address (ux38)


def test_text_without_an_address_or_a_url_is_unchanged():
    for text in ("Đã lưu (07:30), «Bãi thải».", "Giá 5$ đến 10$", "@handle nói: 3.5 tỷ", ""):
        assert no_links(text) == text.replace("$", "\\$")
    assert md("Đã lưu (07:30).") == "Đã lưu \\(07\\:30\\)\\."


def save_email_subscription(env, address: str):  # type: ignore[no-untyped-def]
    """Thông báo as an analyst, «Lưu đăng ký» by e-mail to `address`; the page after it (test_ux38 too)."""
    env.add_users()
    at = env.page("notifications", "analyst").run()
    at.selectbox[0].set_value("email")
    at.text_input[0].input(address)
    [b for b in at.button if b.label == "Lưu đăng ký"][0].click().run()
    no_exception(at)
    return at


def test_a_refused_address_in_a_pages_flash_is_not_a_link(env):
    """Thông báo, «Lưu đăng ký» by e-mail to «x; y <a@b.vn>» (refused in the walk): the refusal under the form (and its
    toast, until ux38 dropped it) quote the address; it was a `mailto:` link in Chromium."""
    at = save_email_subscription(env, "x; y <a@b.vn>")
    said = [e.value for e in at.error if "a@b.vn" in e.value] + [t.value for t in at.toast if "a@b.vn" in t.value]
    assert len(said) == 1, [e.value for e in at.error] + [t.value for t in at.toast]
    assert all("`a@b.vn`" in s and not linked(s) for s in said), said
