"""Text helpers for Vietnamese: accent- and case-insensitive search keys."""

from __future__ import annotations

import unicodedata

# "đ" is a letter of its own, not "d" plus a mark: NFD leaves it alone, so map it by hand.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


class _NonspacingMarks(dict[int, int | None]):
    """A str.translate table that drops nonspacing marks (category Mn), filled as characters
    are met: one C-level pass per text instead of a Python call per character."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_DROP_MARKS = _NonspacingMarks()


def search_normalise(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse spaces: "Nghị quyết Đất đai" ->
    "nghi quyet dat dai". The same function builds stored keys and the user's query."""
    text = unicodedata.normalize("NFC", text or "").translate(_D_MAP)
    stripped = unicodedata.normalize("NFD", text).translate(_DROP_MARKS)
    return " ".join(stripped.lower().split())
