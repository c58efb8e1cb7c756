"""Small text helpers for imported articles: sentences, summaries, tags."""

import re


# Country and region names that make useful tags; matched as whole words in title and opening.
PLACES = [
    "Afghanistan", "Argentina", "Australia", "Bolivia", "Brazil", "Canada", "Chile", "China",
    "Colombia", "Cuba", "Ecuador", "Egypt", "France", "Germany", "Guatemala", "Haiti", "Honduras",
    "India", "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Japan", "Kenya", "Lebanon",
    "Mexico", "New Zealand", "Nicaragua", "Nigeria", "North Korea", "Pakistan", "Palestine",
    "Panama", "Paraguay", "Peru", "Philippines", "Poland", "Russia", "Saudi Arabia", "Serbia",
    "South Africa", "South Korea", "Spain", "Sri Lanka", "Sudan", "Syria", "Taiwan", "Thailand",
    "Turkey", "Ukraine", "United Kingdom", "United States", "Uruguay", "Venezuela", "Zimbabwe",
    "European Union", "United Nations",
]
_PLACE_PATTERNS = [(place, re.compile(rf"\b{re.escape(place)}\b")) for place in PLACES]
# "New Mexico" and "Gulf of Mexico" are not Mexico.
_PLACE_PATTERNS[PLACES.index("Mexico")] = ("Mexico", re.compile(r"(?<!New )(?<!Gulf of )\bMexico\b"))
_PLACE_PATTERNS += [
    (place, re.compile(rf"(?<![\w.]){re.escape(alias)}(?!\w)"))
    for alias, place in [("U.S.", "United States"), ("USA", "United States"), ("UK", "United Kingdom"), ("U.K.", "United Kingdom")]
]


def place_tags(*texts: str, limit: int = 3) -> list[str]:
    found: list[str] = []
    for text in texts:
        for place, pattern in _PLACE_PATTERNS:
            if place not in found and pattern.search(text):
                found.append(place)
    return found[:limit]
