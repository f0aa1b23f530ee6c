"""The project served by gunicorn for the HTTP benchmarks (``observation.py``, ``dashboard.py``): one way to start
it on a free loopback port with the benchmark settings, wait until it answers, and stop it."""

from __future__ import annotations

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "benchmarks.bench_settings"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bare_answers(port: int) -> bool:
    """Whether the server answers its bare view (``/bench/bare/``) with a 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/bench/bare/", headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status == 200
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn_served(
    database_url: str, log_path: Path, *, options: list[str], environment: Mapping[str, str] | None = None
) -> Iterator[int]:
    """gunicorn with ``options`` (workers, worker class…) serving the project on a free port, DEBUG off; yields the
    port once the bare view answers, stops the server on exit."""
    port = free_port()
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=SETTINGS_MODULE, DEBUG="false")
    env |= {"PYTHONPATH": str(ROOT), **(environment or {})}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), *options, "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)]
    command += ["--log-level", "warning", "config.wsgi:application"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError):
                    if bare_answers(port):
                        break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"le serveur n'a pas démarré, voir {log_path}")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
