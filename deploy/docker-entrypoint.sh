#!/bin/sh
# Entry point of the image: `web` (gunicorn), `worker` (task worker), `manage <command…>`, or any command.
set -e
case "$1" in
  web) exec gunicorn -c deploy/gunicorn.conf.py config.wsgi:application ;;
  worker) exec python manage.py db_worker --queue-name '*' --interval 2 --no-reload ;;
  manage) shift; exec python manage.py "$@" ;;
  *) exec "$@" ;;
esac
