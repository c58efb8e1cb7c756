"""Ids that readers send (in a URL, a form field), checked before they reach the database.

Rows are numbered by 64-bit integers: a larger number overflows SQLite's and PostgreSQL's
integers (a 500, not a "not found"), and "1.5", "1e3" or "abc" are no id at all.
"""

import re

MAX_ID = 2**63 - 1
_ID = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id `value` spells, or None when it is not a positive number the database can hold."""
    text = str(value)
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter:
    """`<id:name>` in a URL pattern: like `<int:name>`, but only numbers the database can hold."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(f"{value} is no row id")  # Django then tries the next pattern
        return number

    def to_url(self, value) -> str:
        return str(value)
