"""Reading real PDFs with poppler's tools (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _with_file(content: bytes, args: list[str]) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        return subprocess.run(
            [*args, handle.name, *(["-"] if args[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        ).stdout


def pdf_text(
    content: bytes, first: int | None = None, last: int | None = None, *, layout: bool = True
) -> str:
    args = ["pdftotext", "-layout" if layout else "-raw", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    return _with_file(content, args)


def pdf_fonts(content: bytes) -> str:
    return _with_file(content, ["pdffonts"])


def pdf_info(content: bytes) -> dict[str, str]:
    out = _with_file(content, ["pdfinfo"])
    return {
        k.strip(): v.strip()
        for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)
    }


def read(path: Path) -> bytes:
    return path.read_bytes()


@dataclass(frozen=True)
class Word:
    """One word of a page as pdftotext -bbox places it (points, origin top left)."""

    page: int
    page_width: float
    page_height: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str

    @property
    def height(self) -> float:
        return self.y_max - self.y_min


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def pdf_words(content: bytes) -> list[Word]:
    """Every word with its box, page by page (`pdftotext -bbox`)."""
    out = _with_file(content, ["pdftotext", "-bbox", "-enc", "UTF-8"])
    words: list[Word] = []
    page, width, height = 0, 0.0, 0.0
    for line in out.splitlines():
        if m := _PAGE.search(line):
            page, width, height = page + 1, float(m[1]), float(m[2])
        elif m := _WORD.search(line):
            words.append(
                Word(
                    page,
                    width,
                    height,
                    float(m[1]),
                    float(m[2]),
                    float(m[3]),
                    float(m[4]),
                    html.unescape(m[5]),
                )
            )
    return words


def pdf_rules(content: bytes, page: int = 1, dpi: int = 144) -> list[tuple[float, float, float]]:
    """The horizontal rules drawn on a page, as (y, x_min, x_max) in points: runs of dark pixels
    at least 20 pt long in one pixel row of the page rendered by pdftoppm (glyphs never make
    such runs)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        image = subprocess.run(
            ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", handle.name],
            check=True,
            capture_output=True,
        ).stdout
    magic, width, height, _depth, pixels = image.split(maxsplit=4)
    assert magic == b"P5"
    w, h = int(width), int(height)
    scale = 72 / dpi
    shortest = 20 / scale
    rules = []
    for row in range(h):
        line = pixels[row * w : (row + 1) * w]
        start = None
        for x in range(w + 1):
            dark = x < w and line[x] < 128
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                if x - start >= shortest:
                    rules.append((row * scale, start * scale, x * scale))
                start = None
    return rules
