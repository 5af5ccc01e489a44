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
from typing import Callable

ROLES = ("viewer", "analyst", "admin")
log = logging.getLogger("langnghe.dashboard")


@dataclass(frozen=True)
class PageSpec:
    name: str
    title: str
    icon: str
    order: int
    min_role: str
    render: Callable[[], None]


def role_allows(role: str, min_role: str) -> bool:
    return ROLES.index(role) >= ROLES.index(min_role)


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


def denied_page(url: str | None, role: str) -> PageSpec | None:
    """The page a URL asks for when the role may not see it (an analyst opening /admin), else None:
    Streamlit would silently show the first page instead."""
    if not url:
        return None
    from urllib.parse import urlsplit

    name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    for s in discover():
        if s.name == name and not role_allows(role, s.min_role):
            return s
    return None
