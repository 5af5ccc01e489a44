"""Vietnamese number wording, one copy for the dashboard, reports and alert reasons: 1.234,5 · 37%."""

from __future__ import annotations

from typing import Any


def fmt_num(x: float, decimals: int = 0) -> str:
    """Vietnamese number format: 1.234,5 (dot for thousands, comma for decimals, no trailing zeros)."""
    if decimals <= 0:
        return f"{int(round(x)):,}".replace(",", ".")
    s = f"{x:,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if "," in s:
        s = s.rstrip("0").rstrip(",")
    return s


def number(n: Any, default: str | None = None) -> str:
    """12345 → '12.345'; what is not a number is shown as it is (or as `default`)."""
    try:
        return fmt_num(int(n))
    except (TypeError, ValueError):
        return str(n) if default is None else default


def fmt_rate(x: float) -> str:
    """A rate with sensible precision: 0,03 / 0,3 / 2,5 / 14."""
    if x >= 10:
        return fmt_num(x, 0)
    if x >= 0.1:
        return fmt_num(x, 1)
    return fmt_num(x, 2)


def fmt_pct(share: float) -> str:
    """0.373 → '37%'."""
    return f"{int(round(100 * share))}%"
