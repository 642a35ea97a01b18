"""Reading real PDFs with poppler's tools (pdftotext, pdffonts, pdfinfo)."""

from __future__ import annotations

import subprocess
import tempfile
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
