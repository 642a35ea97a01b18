"""With DEBUG off the portal refuses to run on development secrets: the web server and the
Celery worker do not start without SECRET_KEY and the field keys, `check --deploy` names them,
and no field key is generated on the spot. The demo (DEMO=1) generates its own under VAR_DIR."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from petitions import crypto

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "FIELD_BLIND_INDEX_KEY")


def bare_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """Production's environment as a forgetful operator writes it: no secrets at all."""
    env = {k: v for k, v in os.environ.items() if k not in {*SECRETS, "DEMO", "DEBUG"}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return {**env, "DEBUG": "0", "VAR_DIR": str(tmp_path / "var"), **extra}


def run(command: list[str], env: dict[str, str], timeout: float = 120) -> Any:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_check_deploy_names_the_missing_secrets(tmp_path: Path) -> None:
    result = run([str(VENV_BIN / "python"), "manage.py", "check", "--deploy"], bare_env(tmp_path))
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "councilportal.E010" in out
    for name in SECRETS:
        assert name in out
    assert not (tmp_path / "var" / "field-keys.json").exists()


def test_check_deploy_refuses_the_development_key_of_the_repository(tmp_path: Path) -> None:
    from django.conf import settings

    env = bare_env(
        tmp_path,
        SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY,
        FIELD_ENCRYPTION_KEYS="K" * 43 + "=",
        FIELD_BLIND_INDEX_KEY="an-index-key",
    )
    result = run([str(VENV_BIN / "python"), "manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "councilportal.E011" in result.stdout + result.stderr


def test_gunicorn_refuses_to_start_without_the_secrets(tmp_path: Path) -> None:
    result = run(
        [str(VENV_BIN / "gunicorn"), "councilportal.wsgi", "--bind", "127.0.0.1:0", "-w", "1"],
        bare_env(tmp_path, FIELD_ENCRYPTION_KEYS="K" * 43 + "=", FIELD_BLIND_INDEX_KEY="k"),
    )
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "Refusing to start the web server" in out
    assert "SECRET_KEY is not set" in out


def test_the_celery_worker_refuses_to_start_without_the_field_keys(tmp_path: Path) -> None:
    env = bare_env(tmp_path, SECRET_KEY="a-production-key-" + "z" * 40)
    result = run(
        [str(VENV_BIN / "celery"), "-A", "councilportal", "worker", "--pool=solo", "-Q", "none"],
        env,
        timeout=60,
    )
    assert result.returncode != 0
    out = result.stdout + result.stderr
    assert "Refusing to start the Celery worker" in out
    assert "FIELD_ENCRYPTION_KEYS, FIELD_BLIND_INDEX_KEY are not set" in out
    assert not (tmp_path / "var" / "field-keys.json").exists()


def test_no_field_key_is_generated_with_debug_off_outside_the_demo(
    settings: Any, tmp_path: Path
) -> None:
    settings.DEBUG = False
    settings.DEMO = False
    settings.VAR_DIR = tmp_path
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_BLIND_INDEX_KEY = ""
    crypto.forget_keys()
    try:
        with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
            crypto.encrypt("Nguyễn Văn Tố Cáo")
        assert not (tmp_path / "field-keys.json").exists()
    finally:
        crypto.forget_keys()


def test_the_demo_generates_its_secret_key_once_under_var(tmp_path: Path) -> None:
    env = {k: v for k, v in bare_env(tmp_path).items() if k not in SECRETS}
    env["DEMO"] = "1"
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run([str(VENV_BIN / "python"), "manage.py", "shell", "-v", "0", "-c", show], env)
    second = run([str(VENV_BIN / "python"), "manage.py", "shell", "-v", "0", "-c", show], env)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "var" / "secret-key").read_text().strip()
    assert first.stdout.strip() == second.stdout.strip() == key
    assert len(key) >= 50 and "dev-insecure" not in key
    assert (tmp_path / "var" / "secret-key").stat().st_mode & 0o077 == 0


def test_seed_demo_refuses_with_debug_off_outside_the_demo(settings: Any, db: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    settings.DEMO = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not get_user_model().objects.filter(username="quantri").exists()


def test_seed_demo_runs_when_forced(settings: Any, db: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    settings.DEBUG = False
    settings.DEMO = False
    settings.FIELD_ENCRYPTION_KEYS = [crypto.Fernet.generate_key().decode()]
    settings.FIELD_BLIND_INDEX_KEY = "an-index-key"
    crypto.forget_keys()
    try:
        call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        crypto.forget_keys()
    assert get_user_model().objects.get(username="quantri").is_superuser
