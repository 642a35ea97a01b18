"""The verdict of `.ci/audit` on pip-audit's JSON report: a run that could not look a package
up must say so and must not exit 0, so that an offline run never passes for a clean audit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VERDICT = ROOT / ".ci" / "audit_verdict.py"


def verdict(tmp_path: Path, dependencies: list[dict[str, Any]]) -> subprocess.CompletedProcess[str]:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"dependencies": dependencies, "fixes": []}))
    return subprocess.run(
        [sys.executable, str(VERDICT), str(report)], capture_output=True, text=True
    )


def not_found(name: str, version: str) -> dict[str, Any]:
    return {
        "name": name,
        "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})",
    }


def test_a_report_where_nothing_was_audited_fails_and_says_so(tmp_path: Path) -> None:
    result = verdict(tmp_path, [not_found("django", "5.2.8"), not_found("celery", "5.5.3")])
    assert result.returncode == 2, result.stdout
    assert "NOT AUDITED" in result.stdout
    assert "0 of 2 audited" in result.stdout
    assert "No known vulnerabilities" not in result.stdout + result.stderr


def test_a_partly_audited_report_fails_and_names_what_was_not_audited(tmp_path: Path) -> None:
    clean = {"name": "django", "version": "5.2.8", "vulns": []}
    result = verdict(tmp_path, [clean, not_found("celery", "5.5.3")])
    assert result.returncode == 2, result.stdout
    assert "celery 5.5.3" in result.stdout
    assert "1 of 2 audited" in result.stdout


def test_a_fully_audited_clean_report_passes(tmp_path: Path) -> None:
    result = verdict(tmp_path, [{"name": "django", "version": "5.2.8", "vulns": []}])
    assert result.returncode == 0, result.stdout
    assert "1 of 1 audited, none with a known vulnerability" in result.stdout


def test_a_vulnerable_package_fails_with_its_advisory(tmp_path: Path) -> None:
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["5.2.9"], "aliases": [], "description": ""}
    result = verdict(tmp_path, [{"name": "django", "version": "5.2.8", "vulns": [vuln]}])
    assert result.returncode == 1, result.stdout
    assert "VULNERABLE django 5.2.8: PYSEC-2099-1 (fixed in 5.2.9)" in result.stdout


def test_an_unreadable_report_fails(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("")
    result = subprocess.run(
        [sys.executable, str(VERDICT), str(report)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "NOT AUDITED" in result.stdout
