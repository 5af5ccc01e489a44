"""Which pages exist, in what order, for which role. Pure Python, so tests can check it.

A page is a module in dashboard/views/ with `PAGE = {"title", "icon", "order", "min_role"}` and a
`render()` function. Adding a page means adding a module; app.py builds the navigation from this.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass
from types import ModuleType
from typing import Callable, Iterable

from orchestration.accounts import role_allows

log = logging.getLogger("langnghe.dashboard")


@dataclass(frozen=True)
class PageSpec:
    name: str
    title: str
    icon: str
    order: int
    min_role: str
    render: Callable[[], None]


def _spec(mod: ModuleType, name: str) -> PageSpec | None:
    meta = getattr(mod, "PAGE", None)
    render = getattr(mod, "render", None)
    if not isinstance(meta, dict) or not callable(render):
        return None
    return PageSpec(
        name=name,
        title=meta["title"],
        icon=meta.get("icon", ":material/article:"),
        order=int(meta.get("order", 100)),
        min_role=meta.get("min_role", "viewer"),
        render=render,
    )


def discover() -> list[PageSpec]:
    from dashboard import views

    specs = []
    for mod in pkgutil.iter_modules(views.__path__):
        if mod.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"dashboard.views.{mod.name}")
        except Exception:  # one broken page must not take the whole dashboard down
            log.exception("dashboard page %s failed to import; it is left out", mod.name)
            continue
        spec = _spec(module, mod.name)
        if spec:
            specs.append(spec)
    return sorted(specs, key=lambda s: (s.order, s.name))


def pages_for(role: str) -> list[PageSpec]:
    return [s for s in discover() if role_allows(role, s.min_role)]


# The first page's own url_path. Streamlit serves the default page at the root and answers its url_path with
# nothing ("/overview", an old bookmark, showed «Page not found»), so the default page gets a path of its own
# and the page names stay free for landing_page() to answer.
HOME_PATH = "trang-dau"


def path_name(url: str | None) -> str:
    """The page name an address asks for: its last path segment ("" for the root), percent-decoded.
    st.context.url keeps the browser's encoding ("/c%E1%BA%A3nh-b%C3%A1o") while Streamlit matches pages by
    the decoded name ("cảnh-báo"): a hidden page at the encoded name answered nothing, and a Vietnamese typed
    address still showed the English «Page not found»."""
    if not url:
        return ""
    from urllib.parse import unquote, urlsplit

    raw = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    name = unquote(raw).strip()  # st.Page strips a url_path and refuses one that is empty or holds "/"
    return raw if "/" in name else name


def unknown_name(url: str | None, served: Iterable[str]) -> str | None:
    """The name `url` asks for when no page of the navigation answers it (`served`: their url paths), else
    None. Streamlit shows such an address its English «Page not found» dialog over the first page (the text
    is the frontend's, not configurable, docs/DASHBOARD.md); a hidden page at that path lands it instead."""
    name = path_name(url)
    return name if name and name not in set(served) | {HOME_PATH} else None


def landing_notice(name: str, role: str, role_labels: dict[str, str]) -> str | None:
    """What staff who opened /`name` are told on the first page, where they land: nothing for the first page's
    own old address, the role a page needs, or that there is no such page."""
    first = pages_for(role)[0]
    if name == first.name:
        return None
    denied = denied_page(f"/{name}", role)
    if denied is not None:
        return (f"Trang «{denied.title}» cần vai trò {role_labels.get(denied.min_role, denied.min_role)}; tài khoản "
                f"của bạn có vai trò {role_labels.get(role, role)}. Đang mở trang đầu «{first.title}».")
    return (f"Không có trang «/{name}» (địa chỉ cũ hoặc gõ nhầm). Đang mở trang đầu «{first.title}»; các trang "
            "khác ở thanh bên trái.")


def denied_page(url: str | None, role: str) -> PageSpec | None:
    """The page a URL asks for when the role may not see it (an analyst opening /admin), else None:
    Streamlit would silently show the first page instead."""
    name = path_name(url)
    if not name:
        return None
    for s in discover():
        if s.name == name and not role_allows(role, s.min_role):
            return s
    return None
