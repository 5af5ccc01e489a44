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


def too_long(text: str | None, limit: int, what: str) -> str | None:
    """«Ghi chú dài 2.001 ký tự: tối đa 2.000 ký tự.» when `text` is longer than `limit` characters, else None: the
    one wording of a length refused (staff's texts, a survey's title, a subscription's address; round 28)."""
    if text is None or len(text) <= limit:
        return None
    return f"{what} dài {number(len(text))} ký tự: tối đa {number(limit)} ký tự."


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
