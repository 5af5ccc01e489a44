"""Collector kinds register by name; a second module claiming a name is an error, not an override.

Adding a kind = adding a module in collectors/ that decorates its class with `@register` (the class names its
`kind`, a Vietnamese `label` and a one-line `description` for staff; `describe()` lists them).
`load_all()` imports every module of the package once, so nothing else needs editing.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading

from collectors.base import Collector

_REGISTRY: dict[str, type[Collector]] = {}
LOAD_ERRORS: dict[str, str] = {}  # module → error; a broken module disables only its own kind
_loaded = False
_load_lock = threading.Lock()
log = logging.getLogger("langnghe.collectors")
_INFRA = {"base", "registry", "http", "encoding", "textutil", "runner"}


class DuplicateKind(RuntimeError):
    pass


def register(cls: type[Collector]) -> type[Collector]:
    kind = getattr(cls, "kind", None)
    if not kind or not isinstance(kind, str):
        raise TypeError(f"{cls.__name__} has no string `kind`")
    existing = _REGISTRY.get(kind)
    if existing is not None and existing is not cls:
        raise DuplicateKind(f"collector kind {kind!r} is registered by {existing.__module__} already")
    _REGISTRY[kind] = cls
    return cls


def load_all() -> None:
    """Import every collector module once. Import errors are kept in LOAD_ERRORS, not raised."""
    global _loaded
    if _loaded:
        return
    import collectors

    with _load_lock:
        if _loaded:
            return
        for mod in pkgutil.iter_modules(collectors.__path__):
            if mod.name in _INFRA or mod.name.startswith("_"):
                continue
            try:
                importlib.import_module(f"collectors.{mod.name}")
            except DuplicateKind:
                raise
            except Exception as exc:
                LOAD_ERRORS[mod.name] = f"{type(exc).__name__}: {exc}"
                log.error("collector module %s failed to import: %s", mod.name, exc)
        _loaded = True


def get(kind: str) -> Collector:
    load_all()
    try:
        return _REGISTRY[kind]()
    except KeyError:
        raise KeyError(f"unknown collector kind {kind!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def kinds() -> list[str]:
    load_all()
    return sorted(_REGISTRY)


def describe() -> dict[str, tuple[str, str]]:
    """kind → (Vietnamese label, one-line description), each from the kind's own class (a subclass never shows
    its parent's words: google_news is not described as rss); a kind without them shows its name and "".
    The Nguồn tin page lists them for staff adding a source."""
    load_all()
    out = {}
    for kind in sorted(_REGISTRY):
        own = vars(_REGISTRY[kind])
        out[kind] = (str(own.get("label") or kind), " ".join(str(own.get("description") or "").split()))
    return out
