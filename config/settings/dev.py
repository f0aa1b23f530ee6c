"""Local development and the demo: SQLite by default, debug on."""

import os

from config.settings.base import *  # noqa: F403
from config.settings.base import BASE_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
DEMO_MODE = env_bool("DEMO_MODE", True)

# The demo writes e-mails (convocations) to files instead of sending them: see var/emails/.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "emails"
