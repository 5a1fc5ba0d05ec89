"""Production mode refuses to start with the embedded defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests in the same worker; production never has it.
        if k
        not in (
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "CREDENCE_DEBUG",
            "CREDENCE_KEY_ENCRYPTION_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_the_default_secret_key():
    result = _start(CREDENCE_DEBUG="false", ALLOWED_HOSTS="credence.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_empty_allowed_hosts():
    result = _start(CREDENCE_DEBUG="false", SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_the_default_key_encryption_key():
    result = _start(CREDENCE_DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="credence.example.org")
    assert result.returncode != 0
    assert "CREDENCE_KEY_ENCRYPTION_KEY" in result.stderr


def test_production_starts_when_configured():
    result = _start(
        CREDENCE_DEBUG="false",
        SECRET_KEY="a-real-secret-" + "x" * 40,
        ALLOWED_HOSTS="credence.example.org",
        CREDENCE_KEY_ENCRYPTION_KEY="another-real-secret-" + "y" * 40,
    )
    assert result.returncode == 0, (result.stdout, result.stderr)
