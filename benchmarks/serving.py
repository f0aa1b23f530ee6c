"""The project served by gunicorn for the HTTP benchmarks (``observation.py``, ``dashboard.py``, ``load.py``): build
the demo, sign a user in as the login view does, start gunicorn on a free loopback port and wait until it answers,
load one URL with autocannon, and stop.

Every step runs ``manage.py`` or gunicorn in a subprocess with ``DJANGO_SETTINGS_MODULE`` = ``settings_module``
(the benchmark settings by default, ``config.settings.prod`` for ``load.py``) and the given environment.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "benchmarks.bench_settings"
AUTOCANNON_CLIENT = ROOT / "benchmarks" / "autocannon_client.js"


def django_env(
    database_url: str, *, settings_module: str = SETTINGS_MODULE, environment: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a subprocess of the project on ``database_url``."""
    env = dict(os.environ, DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE=settings_module)
    return env | {"PYTHONPATH": str(ROOT), **(environment or {})}


def manage(
    database_url: str,
    *command: str,
    settings_module: str = SETTINGS_MODULE,
    environment: Mapping[str, str] | None = None,
) -> None:
    """``manage.py *command``; its output is shown only if it fails."""
    env = django_env(database_url, settings_module=settings_module, environment=environment)
    done = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(command)} a échoué :\n{done.stdout}\n{done.stderr}")


def build_demo(
    database_url: str, *, settings_module: str = SETTINGS_MODULE, environment: Mapping[str, str] | None = None
) -> None:
    """Migrate ``database_url`` and load the demo into it."""
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        manage(database_url, *command, settings_module=settings_module, environment=environment)


def session_of(
    database_url: str,
    email: str,
    *,
    settings_module: str = SETTINGS_MODULE,
    environment: Mapping[str, str] | None = None,
) -> str:
    """A signed-in session of ``email``, created the way the login view creates one (its hash depends on the
    ``SECRET_KEY``: give the server's settings and environment)."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from contrat_ville.accounts.models import User\n"
        f"user = User.objects.get(email={email!r})\n"
        "session = SessionStore()\n"
        "session[SESSION_KEY] = str(user.pk)\n"
        "session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'\n"
        "session[HASH_SESSION_KEY] = user.get_session_auth_hash()\n"
        "session.create()\n"
        "print(session.session_key)\n"
    )
    env = django_env(database_url, settings_module=settings_module, environment=environment)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def get(
    port: int, path: str, cookie: str = "", headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One GET on the loopback server: status, headers (lower-case names, every ``Set-Cookie`` joined), body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        sent = {"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {}), **(headers or {})}
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        received = {name.lower(): value for name, value in response.getheaders()}
        if "set-cookie" in received:
            received["set-cookie"] = "; ".join(value for name, value in response.getheaders() if name == "Set-Cookie")
        return response.status, received, response.read()
    finally:
        connection.close()


def browser_cookie(port: int, path: str, session_key: str, headers: Mapping[str, str] | None = None) -> str:
    """The cookies a browser holds after its first visit: the session and the CSRF cookie the page set."""
    status, received, _body = get(port, path, f"sessionid={session_key}", headers)
    if status != 200:
        raise RuntimeError(f"{path} : {status} pour l'utilisateur connecté")
    cookies = received.get("set-cookie", "").split("; ")
    csrf = next((part.split("=", 1)[1] for part in cookies if part.startswith("csrftoken=")), "")
    return f"sessionid={session_key}; csrftoken={csrf}" if csrf else f"sessionid={session_key}"


def autocannon(
    port: int,
    path: str,
    cookie: str,
    *,
    connections: int,
    duration: int,
    headers: Mapping[str, str] | None = None,
    warm_up: int = 2,
) -> dict[str, Any]:
    """``warm_up`` seconds of load (not kept), then ``duration`` seconds under ``connections`` connections with
    autocannon (npm, ``node_modules``): requests/s, latency p50/p95/p97.5/p99/max in ms over every answer, requests,
    non-2xx answers and socket errors (``benchmarks/autocannon_client.js``)."""
    if not (ROOT / "node_modules" / "autocannon").exists():
        raise FileNotFoundError("autocannon introuvable dans node_modules (lancez « make install »)")
    sent = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
    arguments = [f"http://127.0.0.1:{port}{path}", str(connections)]
    header_arguments = [f"{name}={value}" for name, value in sent.items()]
    client = ["node", str(AUTOCANNON_CLIENT), *arguments]
    if warm_up:
        subprocess.run([*client, str(warm_up), *header_arguments], capture_output=True, check=True)
    done = subprocess.run([*client, str(duration), *header_arguments], capture_output=True, text=True, check=True)
    return dict(json.loads(done.stdout))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(port: int, path: str) -> bool:
    """Whether the server answers ``path`` with a 200."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status == 200
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn_served(
    database_url: str,
    log_path: Path,
    *,
    options: list[str],
    environment: Mapping[str, str] | None = None,
    settings_module: str = SETTINGS_MODULE,
    ready_path: str = "/bench/bare/",
    log_level: str = "warning",
) -> Iterator[int]:
    """gunicorn with ``options`` (workers, worker class…) serving the project on a free port, DEBUG off; yields the
    port once ``ready_path`` answers (the benchmark settings' bare view by default), stops the server on exit."""
    port = free_port()
    environment = {"DEBUG": "false", **(environment or {})}
    env = django_env(database_url, settings_module=settings_module, environment=environment)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), *options, "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)]
    command += ["--log-level", log_level, "config.wsgi:application"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError):
                    if answers(port, ready_path):
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


def postgres_recreate(server_url: str, database: str, *, drop_only: bool = False) -> str:
    """Drop ``database`` on the PostgreSQL server of ``server_url`` (``postgres://user@host:port``) and, unless
    ``drop_only``, create it empty; returns its URL."""
    import psycopg

    base = server_url.split("?", 1)[0].rstrip("/")
    scheme, rest = base.split("://", 1)
    host = rest.split("/", 1)[0]
    with psycopg.connect(f"{scheme}://{host}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {database}")
    return f"{scheme}://{host}/{database}"


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes (``/proc/loadavg``)."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])
