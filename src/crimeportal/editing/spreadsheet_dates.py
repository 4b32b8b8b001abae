"""The months a spreadsheet has turned into dates: what an `end` cell says, and the YYYY-MM it began as.

Excel reads `2019-10` typed in a cell as 1 October 2019, shows it as `Oct-19` (or `01/10/2019`), and saves the
CSV as shown; a cell copied from elsewhere may hold the date's serial number, `43739`. None of these is
accepted as a period (a guess at what was meant could publish a figure against the wrong month), but each is
recognised, so that the message can say what happened and what to type.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_name) if name})
_MONTHS["sept"] = 9

# Oct-19, Oct-2019, October 2019, oct 19
_MONTH_YEAR = re.compile(r"^(?P<month>[A-Za-z]+)[-/ .]+(?P<year>[0-9]{2}|[0-9]{4})$")
# 01/10/2019, 1.10.19, 01-10-2019 (day first, as a UK spreadsheet writes it)
_DAY_MONTH_YEAR = re.compile(r"^(?P<day>[0-9]{1,2})[/.-](?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4}|[0-9]{2})$")
# 2019-10-01, 2019-10-01 00:00:00, 2019/10/01, 2019-10-01T00:00:00
_YEAR_MONTH_DAY = re.compile(r"^(?P<year>[0-9]{4})[-/](?P<month>[0-9]{1,2})[-/](?P<day>[0-9]{1,2})([ T][0-9:.]+)?$")
# 10/2019, 2019/10, 2019-7: a month written another way
_MONTH_SLASH_YEAR = re.compile(r"^(?P<month>[0-9]{1,2})[/.-](?P<year>[0-9]{4})$")
_YEAR_SLASH_MONTH = re.compile(r"^(?P<year>[0-9]{4})[/.-](?P<month>[0-9]{1,2})$")
_SERIAL = re.compile(r"^[0-9]{5}(\.0+)?$")

_SERIAL_EPOCH = date(1899, 12, 30)  # Excel's day 0, allowing for its 29 February 1900
_SERIAL_RANGE = (date(1990, 1, 1), date(2099, 12, 31))  # a serial outside these is a figure, not a date


def _month(year: int, month: int) -> str | None:
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}"


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year  # spreadsheets show 2019 as 19; no portal goes back to 19xx


def meant_month(cell: str) -> str | None:
    """The YYYY-MM a mangled `end` cell most probably began as, or None when it does not look like a date."""
    text = cell.strip()
    if match := _MONTH_YEAR.match(text):
        number = _MONTHS.get(match["month"].lower())
        return _month(_full_year(match["year"]), number) if number else None
    if match := _DAY_MONTH_YEAR.match(text):
        day, month = int(match["day"]), int(match["month"])
        if month > 12 >= day:  # only a US spreadsheet writes the month first
            day, month = month, day
        return _month(_full_year(match["year"]), month) if 1 <= day <= 31 else None
    if match := (_YEAR_MONTH_DAY.match(text) or _YEAR_SLASH_MONTH.match(text) or _MONTH_SLASH_YEAR.match(text)):
        return _month(int(match["year"]), int(match["month"]))
    if _SERIAL.match(text):
        day = _SERIAL_EPOCH + timedelta(days=int(float(text)))
        if _SERIAL_RANGE[0] <= day <= _SERIAL_RANGE[1]:
            return _month(day.year, day.month)
    return None
