"""Checks every generated sentence must pass, written apart from the code that writes them.

- a quantifier ("most of", "few of", ...) agrees with the share written after it, as a
  percentage or as a count ("4 of the 640 ...");
- no causal wording (:data:`CAUSAL_WORDS`, listed here, not imported);
- no quantifier outside the chosen set ("rarely", "a majority", a bare "most");
- "0%" only where a figure behind the sentence is exactly zero.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Words that claim a cause. Kept here, apart from onatool's own list, so the test can fail.
CAUSAL_WORDS = (
    "led to", "leads to", "caused", "causes", "because of the programme", "improved by",
    "drove", "drives", "driven by", "resulted in", "results in", "as a result of", "thanks to",
    "due to the programme", "impact of the programme", "effect of the programme", "brought about",
)

#: Quantifier words and the shares (as whole percentages shown) they may describe.
QUANTIFIER_RANGES = {
    "none of": (0, 0),
    "few of": (0, 9),  # "under 1%" and "0 of" a base with something in it read as few
    "fewer than half of": (10, 49),
    "half of": (50, 50),
    "most of": (51, 89),
    "almost all of": (90, 100),  # "over 99%" reads as almost all
    "all of": (100, 100),
}
_WORDS = sorted(QUANTIFIER_RANGES, key=len, reverse=True)
_QUANTIFIER = re.compile(r"\b(" + "|".join(re.escape(w) for w in _WORDS) + r")\b", re.IGNORECASE)
_SHARE = re.compile(
    r"(?P<count>\d[\d,]*) of (?:the )?(?P<base>\d[\d,]*)\b"
    r"|(?P<under>under 1%)|(?P<over>over 99%)|(?P<pct>\d+)%"
)
# "a few" (a small number of people) and "most often" / "the most" (superlatives) are not
# shares; a bare "few" or "most" is.
_LOOSE = re.compile(r"\b((?<!\bthe )most(?! often)|majority|almost all|nearly all|rarely|seldom|hardly|(?<!\ba )few|half)\b",
                    re.IGNORECASE)


def shown_share(match: re.Match) -> tuple[float, float]:
    """The whole-percentage range a share expression stands for."""
    if match.group("count") is not None:
        count, base = (int(match.group(g).replace(",", "")) for g in ("count", "base"))
        exact = 100 * count / base
        low = round(exact)
        # A count is exact: "few" covers any positive count under 10%, "none" only zero.
        return (exact, exact) if 0 < exact < 1 or 99 < exact < 100 else (low, low)
    if match.group("under"):
        return (0.01, 0.99)
    if match.group("over"):
        return (99.01, 99.99)
    value = int(match.group("pct"))
    return (value, value)


def check_quantifiers(text: str) -> int:
    """Assert every quantifier in ``text`` agrees with the first share after it; count them."""
    found = 0
    for match in _QUANTIFIER.finditer(text):
        words = match.group(1).lower()
        share = _SHARE.search(text, match.end())
        assert share, f"a quantifier with no share after it: {text}"
        low, high = shown_share(share)
        lo, hi = QUANTIFIER_RANGES[words]
        if words == "none of":
            assert high == 0, text
        elif words == "all of":
            assert low == 100, text
        elif words == "few of":
            assert low > 0 and high <= 9.5, text
        elif words == "almost all of":
            assert low >= 89.5 and high < 100, text
        else:
            assert lo - 0.5 <= low and high <= hi + 0.5, text
        found += 1
    loose = _LOOSE.findall(text)
    assert len(loose) <= found, f"a quantifier not chosen from its number: {text}"
    return found


def check_not_causal(text: str) -> None:
    """Assert ``text`` claims no cause."""
    lowered = text.lower()
    for words in CAUSAL_WORDS:
        assert words not in lowered, f"causal wording {words!r}: {text}"


def check_zero_percent(text: str, values: Iterable[float]) -> None:
    """Assert "0%" appears only when some figure behind ``text`` is exactly zero."""
    if re.search(r"(?<![\d.])0%", text):
        assert any(v == 0 for v in values), f"0% shown where nothing is zero: {text}"
