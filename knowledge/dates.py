"""Dates as the user reads them, in Dutch or English ("1 januari 2020" / "1 January 2020").

One place for the month names: the answers' validity warnings and the calculators' working
lines both write dates, independent of the process locale (a server's locale must not change
what the assistant says). Kept free of heavy imports: the calculators load it too.
"""
from __future__ import annotations

import datetime as dt

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")


def format_date(d: dt.date, language: str = "nl") -> str:
    """'1 januari 2020' (English '1 January 2020')."""
    return f"{d.day} {(MONTHS_EN if language == 'en' else MONTHS_NL)[d.month - 1]} {d.year}"
