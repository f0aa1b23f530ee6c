"""Production: PostgreSQL through DATABASE_URL, HTTPS behind a reverse proxy, secrets from the environment, static
files served by WhiteNoise, JSON logs with the request id (docs/operations.md lists every variable)."""

import os
from pathlib import Path

from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE, logging_config

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# One reverse proxy in front (deploy/nginx.conf): the API's rate limits take the address it appends to
# X-Forwarded-For, never one a client wrote.
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "1"))
# /healthz and /readyz are probed over plain HTTP on the loopback by the proxy or the orchestrator.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# WhiteNoise serves the collected, hashed and compressed static files (``manage.py collectstatic``) right after
# the security middleware; the reverse proxy only forwards.
MIDDLEWARE = [
    *MIDDLEWARE[: MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1 :],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(MEDIA_ROOT)))  # noqa: F405
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", str(STATIC_ROOT)))  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOGGING = logging_config(
    os.environ.get("LOG_FORMAT", "json"),
    os.environ.get("LOG_LEVEL", "INFO"),
    os.environ.get("REQUEST_LOG_LEVEL", "INFO"),
)
