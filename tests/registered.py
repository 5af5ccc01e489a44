"""One check for the plugin registries' contract tests: a plugin class left without `@register` is no plugin at all,
and nothing else fails (round 27, ARCHITECTURE.md's recipes followed word by word with a toy kind and a toy channel)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType
from typing import Iterable


def unregistered(package: ModuleType, registered: dict[str, type], key: str, method: str,
                 skip: Iterable[str] = ()) -> list[str]:
    """Classes defined in `package`'s modules (not those named in `skip`, nor modules starting with "_") that carry a
    string `key` attribute and a `method`, yet are not what `registered` holds under that key."""
    out = []
    for mod in pkgutil.iter_modules(package.__path__):
        if mod.name in set(skip) or mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{mod.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and isinstance(vars(cls).get(key), str) and hasattr(cls, method):
                if registered.get(vars(cls)[key]) is not cls:
                    out.append(f"{module.__name__}.{name}")
    return out
