"""Channels register by name; a second module claiming a name is an error, not an override."""

from __future__ import annotations

import importlib
import pkgutil

from notify.base import Channel

_REGISTRY: dict[str, type] = {}
_loaded = False


class DuplicateChannel(RuntimeError):
    pass


def register(cls: type) -> type:
    name = getattr(cls, "name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{cls.__name__} has no string `name`")
    if name in _REGISTRY and _REGISTRY[name] is not cls:
        raise DuplicateChannel(f"notification channel {name!r} is registered by {_REGISTRY[name].__module__} already")
    _REGISTRY[name] = cls
    return cls


def load_all() -> None:
    """Import every module of notify/channels/, once (as collectors.registry does): every lookup called it, and
    listing the folder again cost 0.2 ms a call, three calls an outbox message (round 28)."""
    global _loaded
    if _loaded:
        return
    from notify import channels

    for mod in pkgutil.iter_modules(channels.__path__):
        importlib.import_module(f"notify.channels.{mod.name}")
    _loaded = True


def names() -> list[str]:
    load_all()
    return sorted(_REGISTRY)


def get(name: str) -> Channel:
    load_all()
    try:
        return _REGISTRY[name]()
    except KeyError:
        raise KeyError(f"không có kênh thông báo «{name}»") from None


def labels() -> dict[str, str]:
    """Each channel's Vietnamese label, in the order the Thông báo page offers them: a channel that reaches no one
    (`demo = True`: the console) last, so the form's first choice is one that delivers. It was first by its name,
    and a subscription saved with an e-mail address under «Màn hình máy chủ (demo)» printed on the server's console
    and reached nobody (round 25's walk)."""
    load_all()
    ordered = sorted(_REGISTRY.items(), key=lambda kv: (bool(getattr(kv[1], "demo", False)), kv[0]))
    return {n: getattr(c, "label", n) for n, c in ordered}
