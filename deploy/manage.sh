#!/usr/bin/env bash
# Runs `manage.py <arguments>` with the production environment (/etc/contrat-ville.env): for cron and operators.
#   deploy/manage.sh migrate --noinput
set -euo pipefail
APP_DIR="${APP_DIR:-/srv/contrat-ville}"
ENV_FILE="${ENV_FILE:-/etc/contrat-ville.env}"
set -a
# shellcheck disable=SC1090
[[ -r "$ENV_FILE" ]] && . "$ENV_FILE"
set +a
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.prod}"
cd "$APP_DIR"
exec "$APP_DIR/.venv/bin/python" manage.py "$@"
