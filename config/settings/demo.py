"""``make demo``: the platform as it runs in production (no debug pages, the French error pages), on SQLite, with
the demo accounts listed on the login page. Static files are served by ``runserver --insecure``."""

from config.settings.base import env_bool
from config.settings.dev import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
DEMO_MODE = True

# As in production: generated documents are built by a worker (``manage.py db_worker``, started by ``make demo``
# next to the server), never in the web request.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The server and the worker write to the same SQLite file: WAL lets one read while the other writes, IMMEDIATE
# transactions take the write lock up front (no « database is locked » on upgrade), and a writer waits up to 20 s.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
