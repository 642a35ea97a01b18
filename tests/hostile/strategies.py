"""Hostile values: what a careless user, a broken client or an attacker may send."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import strategies as st

# Markers of injected markup: a page that shows one of these raw runs the attacker's code.
SCRIPT = "<script>hostileMarker(1)</script>"
IMG = '"><img src=x onerror=hostileMarker(2)>'
RAW_MARKERS = ("<script>hostileMarker", "<img src=x onerror=hostileMarker")

NASTY = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    SCRIPT,
    IMG,
    "javascript:hostileMarker(3)",
    "'; DROP TABLE councilportal_council; --",
    "1' OR '1'='1",
    '" OR ""="',
    "%s%s%s%n",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "../../../../etc/passwd",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "\u202egnp.exe",  # right-to-left override
    "\u200b\u200c\u200d\ufeff",  # zero-width characters
    "a\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030a",  # stacked combining marks
    "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a",
    "مرحبا بالعالم",
    "שלום",
    "Nghị quyết về việc điều chỉnh dự toán ngân sách năm 2023",
    "Nguyễn Thị Ánh Tuyết",
    "Đắk Lắk – Hưng Yên — “ngoặc kép” ‘đơn’",
    "\U0001f600\U0001f4a9\U0001f1fb\U0001f1f3",
    "\r\n\r\n",
    "\t",
    "\\",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
    "NaN",
]

HUGE = ["x" * 100_000, "Ệ" * 100_000, (SCRIPT + " ") * 3_000]

NUMBERS = [
    "0",
    "-1",
    "-0",
    "1.5",
    "1e309",
    "-1e309",
    "inf",
    "Infinity",
    "NaN",
    "0x10",
    "1_000",
    "²",  # a digit to str.isdigit(), not to int()
    "١٢٣",  # Arabic-Indic digits
    "２０２３",  # full-width digits
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 40,
    "-" + "9" * 40,
]

DATES = [
    "31/02/2023",
    "29/02/2023",
    "29/02/2100",
    "00/00/0000",
    "01/01/0001",
    "31/12/9999",
    "01/01/10000",
    "2023-13-45",
    "2023-02-30",
    "32/13/2023",
    "1/1/1",
    "01/01/1900",
    "today",
]


def number_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUMBERS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
    )


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),  # any code point but surrogates: NUL and controls included
        st.sampled_from(HUGE),
        number_text(),
        st.sampled_from(DATES),
    )


def id_text(foreign_ids: list[str]) -> st.SearchStrategy[str]:
    """Ids that do not exist, or exist in a council the user may not write."""
    choices = ["999999999", "0", "-1", "1.0", "9" * 30, "1; DROP TABLE x", "1\x00"]
    return st.sampled_from(choices + foreign_ids)


BAD_FILES: list[tuple[str, bytes]] = [
    ("empty.pdf", b""),
    ("junk.pdf", b"\x00\x01\x02junk" * 100),
    ("fake.pdf", b"%PDF-1.4\n" + b"\xff" * 1000),  # a PDF header and nothing valid after it
    ("page.html", b"<html><script>hostileMarker(4)</script></html>"),
    ("virus.exe", b"MZ\x90\x00" + b"\x00" * 200),
    ("image.png", b"GIF89a" + b"\x00" * 50),  # a name that lies about the content
    ("scan.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50),
    ("not-a-zip.docx", b"PK\x03\x04broken zip"),
    ("../../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("a" * 400 + ".pdf", b"%PDF-1.4\n%%EOF\n"),
    ("\u202egnp.pdf", b"%PDF-1.4\n%%EOF\n"),
    ("nul\x00name.pdf", b"%PDF-1.4\n%%EOF\n"),
    ('"><img src=x onerror=hostileMarker(5)>.pdf', b"%PDF-1.4\n%%EOF\n"),
    ("bảng kê.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ("no-extension", b"%PDF-1.4\n%%EOF\n"),
]


def bad_file() -> st.SearchStrategy[SimpleUploadedFile]:
    return st.one_of(
        st.sampled_from(BAD_FILES),
        st.tuples(st.text(min_size=1, max_size=30), st.binary(max_size=2_000)),
    ).map(lambda pair: SimpleUploadedFile(pair[0], pair[1]))


MISSING = object()


def field_values(
    kind: str, baseline: list[str], options: list[str], foreign_ids: list[str]
) -> st.SearchStrategy[Any]:
    """What one field of a form carries: left out, one value or the field repeated; a value is
    the page's own (valid-looking), one of its choices, or hostile."""
    if kind == "file":
        return st.one_of(st.just(MISSING), bad_file(), st.lists(bad_file(), min_size=2, max_size=2))
    scalars: list[st.SearchStrategy[str]] = [hostile_text(), id_text(foreign_ids)]
    if options:
        scalars.append(st.sampled_from(options))
    if baseline:
        scalars.append(st.sampled_from(baseline))
    value = st.one_of(*scalars)
    kept = st.just(list(baseline)) if baseline else st.just(MISSING)
    return st.one_of(
        kept,
        st.just(MISSING),
        value.map(lambda v: [v]),
        st.lists(value, min_size=2, max_size=3),
    )
