"""Calendar arithmetic the regelingen rely on.

"Binnen drie maanden", "na een dienstverband van 11 maanden", "10 werkdagen": months are
calendar months (31 January + 1 month = 28/29 February, the last day of the shorter
month), weeks are 7 days, werkdagen are Monday–Friday minus the holidays the user gives.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(d: date, months: int) -> date:
    """Add calendar months, clamping to the last day of a shorter month."""
    total = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def add(d: date, amount: int, unit: str) -> date:
    """Add ``amount`` of ``unit`` (dagen, weken, maanden, jaren); negative goes back."""
    if unit in ("dag", "dagen"):
        return d + timedelta(days=amount)
    if unit in ("week", "weken"):
        return d + timedelta(weeks=amount)
    if unit in ("maand", "maanden"):
        return add_months(d, amount)
    if unit in ("jaar", "jaren"):
        return add_years(d, amount)
    raise ValueError(f"unknown unit {unit!r}")


def is_werkdag(d: date, feestdagen: frozenset[date] | set[date] = frozenset()) -> bool:
    return d.weekday() < 5 and d not in feestdagen


def nth_werkdag(start: date, n: int, feestdagen: frozenset[date] | set[date] = frozenset(),
                count_start: bool = True) -> date:
    """The n-th working day counted from ``start``.

    With ``count_start`` the start day itself is day 1 when it is a working day;
    otherwise counting begins the next day.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    d = start if count_start else start + timedelta(days=1)
    counted = 0
    while True:
        if is_werkdag(d, feestdagen):
            counted += 1
            if counted == n:
                return d
        d += timedelta(days=1)


def full_months_between(start: date, end: date) -> tuple[int, int]:
    """Whole calendar months from ``start`` to ``end`` and the days left over.

    ``(18, 0)`` for 1-3-2025 → 1-9-2026; ``(13, 10)`` for 1-1-2025 → 11-2-2026.
    ``end`` before ``start`` gives ``(0, 0)``.
    """
    if end <= start:
        return 0, 0
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    rest = (end - add_months(start, months)).days
    return months, rest


def first_of_month_on_or_after(d: date) -> date:
    if d.day == 1:
        return d
    return add_months(date(d.year, d.month, 1), 1)


def first_of_month_on_or_before(d: date) -> date:
    return date(d.year, d.month, 1)
