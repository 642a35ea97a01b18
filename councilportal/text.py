"""Text helpers for Vietnamese: accent- and case-insensitive search keys."""

from __future__ import annotations

import unicodedata

# "đ" is a letter of its own, not "d" plus a mark: NFD leaves it alone, so map it by hand.
_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def search_normalise(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics and collapse spaces: "Nghị quyết Đất đai" ->
    "nghi quyet dat dai". The same function builds stored keys and the user's query."""
    text = unicodedata.normalize("NFC", text or "").translate(_D_MAP)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
