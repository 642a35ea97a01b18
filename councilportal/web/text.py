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


# Vietnamese alphabetical order (letters with a breve, circumflex or horn are letters of their
# own: a < ă < â, d < đ, o < ô < ơ, u < ư); tones (ngang, huyền, hỏi, ngã, sắc, nặng) only
# break ties. Each letter becomes two digits: digits sort alike in every database collation
# (SQLite's binary order, PostgreSQL's linguistic ones), so one column sorts the same way on
# both.
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_LETTER_CODE = {letter: f"{n:02d}" for n, letter in enumerate(_ALPHABET, start=10)}
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def _letters_and_tones(text: str) -> tuple[str, str]:
    letters, tones = [], []
    for word in text.lower().split():
        tone = "0"
        for char in word:
            decomposed = unicodedata.normalize("NFD", char)
            base = "".join(c for c in decomposed if c not in _TONES)
            tone = next((_TONES[c] for c in decomposed if c in _TONES), tone)
            letters.append(_LETTER_CODE.get(unicodedata.normalize("NFC", base), "99"))
        letters.append("00")  # between words: before any letter
        tones.append(tone)
    return "".join(letters), "".join(tones)


def name_sort_key(full_name: str) -> str:
    """A key that sorts people as Vietnamese lists do: by the given name (the last word), then
    the full name, in Vietnamese alphabetical order ("Hồng Hạnh" before "Hồng Hương")."""
    words = (full_name or "").split()
    given = words[-1] if words else ""
    given_letters, given_tones = _letters_and_tones(given)
    full_letters, full_tones = _letters_and_tones(" ".join(words))
    return f"{given_letters}{given_tones}9{full_letters}9{full_tones}"
