"""collectors.base.BodyBudget names what CollectContext.budget gives a kind (IMAP) of collectors/budget.py's ByteBudget
without importing it (budget.py imports base.py for BudgetSpentError; round 26 broke that circle). This holds the
declaration to the class it stands for, since no type checker runs on the project."""

from __future__ import annotations

import inspect

from collectors.base import BodyBudget
from collectors.budget import ByteBudget


def _members(proto: type) -> set[str]:
    return {n for n in vars(proto) if not n.startswith("_")} | set(getattr(proto, "__annotations__", {}))


def test_byte_budget_has_every_member_of_the_protocol_with_its_signature():
    members = _members(BodyBudget)
    assert members == {"total", "try_take", "take_blocking", "give"}
    budget = ByteBudget(1024)
    for name in members - {"total"}:
        declared = inspect.signature(getattr(BodyBudget, name))
        actual = inspect.signature(getattr(ByteBudget, name))
        assert list(declared.parameters) == list(actual.parameters), name
        assert [p.kind for p in declared.parameters.values()] == [p.kind for p in actual.parameters.values()], name
    assert isinstance(budget.total, int)


def test_base_does_not_import_budget():
    """Not even under TYPE_CHECKING: `farm-studio look` and scripts/check_imports.py count that arrow too."""
    import collectors.base as base

    assert "collectors.budget" not in inspect.getsource(base)
