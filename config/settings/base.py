"""Settings shared by every environment. Secrets and hosts come from the environment."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def url_origin(url: str) -> str:
    """``https://host:port`` of an address, or "" for none."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-demo-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "contrat_ville.core",
    "contrat_ville.ui",
    "contrat_ville.accounts",
    "contrat_ville.territories",
    "contrat_ville.contracts",
    "contrat_ville.participation",
    "contrat_ville.governance",
    "contrat_ville.observation",
    "contrat_ville.diagnostic",
    "contrat_ville.strategy",
    "contrat_ville.funding",
    "contrat_ville.resources",
    "contrat_ville.reporting",
    "contrat_ville.demo",
]

MIDDLEWARE = [
    "contrat_ville.core.request_context.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The second factor (django-otp: request.user.is_verified()), then the sessions' lifetime and the half-open
    # session of a sign-in that still waits for its code (contrat_ville.accounts).
    "django_otp.middleware.OTPMiddleware",
    "contrat_ville.accounts.sessions.SessionExpiryMiddleware",
    "contrat_ville.accounts.two_factor.TwoFactorPendingMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: sees the view's own page and turns ?export=csv|xlsx&tableau=… into that table's file.
    "contrat_ville.reporting.table_exports.TableExportMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "contrat_ville.ui.context_processors.platform",
            ],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Always listed (a session opened by ProConnect names it); it answers only when ProConnect is configured.
    "contrat_ville.accounts.proconnect.ProConnectBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "contracts:contract_list"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failures lock the (e-mail, IP) pair for fifteen minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
AXES_WHITELIST_CALLABLE = "contrat_ville.accounts.proconnect.axes_exempts_proconnect"

# ProConnect, the State's OpenID Connect sign-in (mozilla-django-oidc, contrat_ville.accounts.proconnect). Off, and
# no button on the login page, unless the client id, its secret and the provider's address are all set
# (docs/operations.md). Endpoints follow ProConnect's layout under PROCONNECT_URL (…/api/v2), each one overridable.
PROCONNECT_URL = os.environ.get("PROCONNECT_URL", "").rstrip("/")


def proconnect_endpoint(name: str, path: str) -> str:
    return os.environ.get(name, f"{PROCONNECT_URL}/{path}" if PROCONNECT_URL else "")


OIDC_RP_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = proconnect_endpoint("PROCONNECT_AUTHORIZATION_ENDPOINT", "authorize")
OIDC_OP_TOKEN_ENDPOINT = proconnect_endpoint("PROCONNECT_TOKEN_ENDPOINT", "token")
OIDC_OP_USER_ENDPOINT = proconnect_endpoint("PROCONNECT_USERINFO_ENDPOINT", "userinfo")
OIDC_OP_JWKS_ENDPOINT = proconnect_endpoint("PROCONNECT_JWKS_ENDPOINT", "jwks")
OIDC_OP_LOGOUT_ENDPOINT = proconnect_endpoint("PROCONNECT_END_SESSION_ENDPOINT", "session/end")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = os.environ.get("PROCONNECT_SCOPES", "openid email given_name usual_name siret")
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
OIDC_STORE_ID_TOKEN = True  # the provider's logout (end_session_endpoint) needs it as id_token_hint
OIDC_TIMEOUT = 10  # seconds, for each call to the provider
# ProConnect returns how the person authenticated (the id_token's ``amr``) only when asked: a session it says was
# opened with two factors (``mfa``) passes the platform's second factor (accounts.two_factor).
OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"claims": '{"id_token":{"amr":{"essential":true}}}'}
LOGIN_REDIRECT_URL_FAILURE = "accounts:login"

# API rate limits (django-ninja throttling, ``accounts.api_auth``): anonymous callers by address, signed-in callers
# by account; « nombre/période » with s, min, h or day. Beyond, HTTP 429 in French with Retry-After.
API_THROTTLE_RATES = {
    "anon": os.environ.get("API_THROTTLE_ANON", "120/min"),
    "user": os.environ.get("API_THROTTLE_USER", "1200/min"),
}
# The client's address for the anonymous budget: REMOTE_ADDR here; behind a proxy, prod.py reads X-Forwarded-For.
NINJA_NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

# Sessions end SESSION_COOKIE_AGE seconds after sign-in (8 hours) and after SESSION_IDLE_TIMEOUT seconds without a
# request (30 minutes): contrat_ville.accounts.sessions.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
# Optional TOTP second factor (django-otp): the issuer named in the authenticator app; after a wrong code the next try
# waits 1, 2, 4, 8… seconds (OTP_TOTP_THROTTLE_FACTOR), on top of django-axes' lock of the sign-in.
OTP_TOTP_ISSUER = "Contrats de ville"
OTP_TOTP_THROTTLE_FACTOR = int(os.environ.get("OTP_TOTP_THROTTLE_FACTOR", "1"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# npm packages (Leaflet, axe-core, DSFR Chart…) are installed by `make install`, never committed.
NODE_MODULES_DIR = Path(os.environ.get("NODE_MODULES_DIR", str(BASE_DIR / "node_modules")))
STATICFILES_DIRS = [
    ("vendor/leaflet", NODE_MODULES_DIR / "leaflet" / "dist"),
]

MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"
# Largest file accepted (``core.uploads``): a document attached to an object, a file to import from a page. The
# reverse proxy's body limit (deploy/nginx.conf) must be above both.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_UPLOAD_MAX_BYTES = int(os.environ.get("IMPORT_UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # the sentinel: django-csp writes the request's nonce in its place
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The logout form redirects to ProConnect's end of session, which form-action governs in Chromium.
        "form-action": ["'self'", *filter(None, [url_origin(OIDC_OP_LOGOUT_ENDPOINT)])],
        "base-uri": ["'self'"],
    }
}

# Optional base-map tiles for Leaflet (the machines of this project have no internet: the
# territories' own GeoJSON is drawn alone when this is empty).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")

PLATFORM_NAME = "Plateforme des contrats de ville"
# The address e-mails link to when no request is at hand (the digest runs from a scheduled command).
PLATFORM_URL = os.environ.get("PLATFORM_URL", "http://127.0.0.1:8000").rstrip("/")
DEMO_MODE = env_bool("DEMO_MODE", False)


def logging_config(log_format: str, level: str, request_level: str) -> dict[str, object]:
    """Every record on standard error, with the request id (``core.request_context``): JSON lines in production
    (``LOG_FORMAT=json``), a readable line otherwise. ``django``'s records (the 500 tracebacks of
    ``django.request``) go through the same handler."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "contrat_ville.core.request_context.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "contrat_ville.core.log_formats.JsonFormatter"},
            "human": {"()": "contrat_ville.core.log_formats.HumanFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "human",
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django": {"handlers": [], "level": level, "propagate": True},
            "contrat_ville.requests": {"level": request_level},
        },
    }


# One line per request (``contrat_ville.requests``) only when REQUEST_LOG_LEVEL=INFO (the default in production).
LOGGING = logging_config(
    os.environ.get("LOG_FORMAT", "human"),
    os.environ.get("LOG_LEVEL", "WARNING"),
    os.environ.get("REQUEST_LOG_LEVEL", "WARNING"),
)
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-contrat-ville")

# Convocations are e-mailed; the demo prints them on the console, production sets an SMTP server.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Plateforme des contrats de ville <ne-pas-repondre@contrats-de-ville.example>"
)
