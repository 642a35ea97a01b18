"""`make run` on a machine with nothing set: the demo is served as users will see the portal
(DEBUG off: the styled Vietnamese error pages, never Django's technical page listing the URL
patterns), static files are served, the printed address is the real one, and the demo's
secrets are generated under VAR_DIR because the demo asked for them (DEMO=1)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import requests

from tests.faults.processes import ROOT, free_port, wait_for

NOT_SET = {
    "DEBUG",
    "DEMO",
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "FIELD_BLIND_INDEX_KEY",
    "REDIS_URL",
    "STATIC_MANIFEST",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def test_make_run_serves_the_demo_without_debug_pages_at_the_address_it_prints(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in NOT_SET and not k.startswith("MAKE")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env["VAR_DIR"] = str(tmp_path / "var")
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    log = tmp_path / "make-run.log"
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def serving() -> bool:
            try:
                return requests.get(f"{base}/login/", timeout=5).status_code == 200
            except requests.ConnectionError:
                assert proc.poll() is None, log.read_text()[-3000:]
                return False

        wait_for(serving, 480, "make run to serve the demo")
        output = log.read_text()
        assert f"Demo ready at {base}/" in output
        assert "127.0.0.1:8000" not in output

        missing = requests.get(f"{base}/khong-co-trang-nay/", timeout=30)
        assert missing.status_code == 404
        assert "Không tìm thấy trang" in missing.text
        assert "URLconf" not in missing.text and "DEBUG = True" not in missing.text

        login_page = requests.get(f"{base}/login/", timeout=30).text
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', login_page)
        assert stylesheets
        for path in stylesheets:
            assert requests.get(base + path, timeout=30).status_code == 200, path

        session = requests.Session()
        page = session.get(f"{base}/login/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        answer = session.post(
            f"{base}/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": "chuyenvien.tinh",
                "password": "HungYen@2026",
            },
            headers={"Referer": f"{base}/login/"},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302, answer.text[:2000]

        var = tmp_path / "var"
        assert (var / "secret-key").exists() and (var / "field-keys.json").exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
