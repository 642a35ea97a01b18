"""The operator's commands read dates as every form and file of the portal writes them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command


def test_activity_report_accepts_dd_mm_yyyy_dates(world: Any, tmp_path: Path) -> None:
    output = tmp_path / "report.pdf"
    out = io.StringIO()
    call_command(
        "activity_report",
        "--council", "P", "--from", "01/12/2022", "--to", "01/03/2023",
        "--output", str(output),
        stdout=out,
    )  # fmt: skip
    assert output.read_bytes().startswith(b"%PDF")
    assert "01/12/2022–01/03/2023" in out.getvalue()
    # ISO dates still work; nonsense is a clear error naming both forms.
    call_command(
        "activity_report", "--council", "P", "--from", "2022-12-01", "--to", "2023-03-01",
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command(
            "activity_report", "--council", "P", "--from", "31/02/2023", "--to", "01/03/2023",
            "--output", str(output), stdout=io.StringIO(),
        )  # fmt: skip
