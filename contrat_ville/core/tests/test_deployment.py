"""The production settings and the files of deploy/ (docs/operations.md)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_check_deploy_without_any_warning(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ALLOWED_HOSTS", "LOG_FORMAT", "DJANGO_SETTINGS_MODULE"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": "m8Zq3-Lr7V0pKx2N_w9TfYc4Hs6Ud1Ej5Ga8Bo0Ri3Wn7Pl2Kv9Xt4Qy6Mz1Ce5Ju",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "ALLOWED_HOSTS": "contrats-de-ville.example.fr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_gunicorn_configuration_logs_the_request_id(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert "%({x-request-id}o)s" in config["access_log_format"]


def test_the_crontab_runs_only_commands_that_exist():
    commands = get_commands()
    scheduled = [
        line.split("$M ", 1)[1].split()[0]
        for line in (ROOT / "deploy" / "crontab").read_text().splitlines()
        if "$M " in line and not line.startswith("#")
    ]
    assert {"send_awaiting_digest", "send_final_report_reminders", "export_all"} <= set(scheduled)
    assert all(command in commands for command in scheduled), scheduled
