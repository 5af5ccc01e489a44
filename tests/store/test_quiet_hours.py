"""Quiet hours of a notification subscription, in Vietnam time."""

from datetime import datetime, timezone

from store.notify import Subscription, in_quiet_hours


def _at(hour: int, minute: int = 0) -> datetime:  # a Vietnam-time clock reading, as UTC (UTC+7)
    return datetime(2026, 12, 5, (hour - 7) % 24, minute, tzinfo=timezone.utc)


def _sub(a: str, b: str) -> Subscription:
    return Subscription(id=1, username="u", channel="console", address="", quiet_start=a, quiet_end=b)


def test_quiet_hours_across_midnight_and_within_a_day() -> None:
    night, noon = _sub("22:00", "06:00"), _sub("12:00", "13:30")
    assert [in_quiet_hours(night, _at(h)) for h in (21, 22, 3, 6)] == [False, True, True, False]
    assert [in_quiet_hours(noon, _at(h, m)) for h, m in ((11, 59), (12, 0), (13, 29), (13, 30))] == [False, True, True, False]


def test_the_same_start_and_end_is_quiet_all_day() -> None:
    """'00:00–24:00' meant a whole day of quiet and read as never quiet."""
    for a, b in (("00:00", "24:00"), ("07:00", "07:00")):
        assert all(in_quiet_hours(_sub(a, b), _at(h)) for h in range(24))
    assert not in_quiet_hours(_sub("", ""), _at(3))
