"""gunicorn settings of the platform (docs/operations.md): ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Every value comes from the environment, with a default fit for a small server.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: 2 x cores + 1 by default; each holds one database connection (CONN_MAX_AGE).
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # the PDF and spreadsheet exports of a whole contract
graceful_timeout = 30
keepalive = 5
# Recycling guards against slow memory growth; each recycle drops the worker's kept-alive connections and empties
# its page cache, so it must stay rare under load (docs/benchmarks.md, « The platform under load »).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Heartbeat files in memory rather than on a possibly slow disk (the location gunicorn recommends); they hold no
# data, hence no risk in a shared temporary directory (ruff S108, bandit B108).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108

# Logs on standard error (journald or the container collects them). The access line carries the request id that
# core.request_context sets on the response (``X-Request-ID``), the same as in the application's JSON lines.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s referer="%(f)s" agent="%(a)s"'
