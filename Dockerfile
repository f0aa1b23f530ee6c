# Image of the platform (docs/operations.md § Conteneur). NOT BUILT in this project's CI: the development machines
# have no Docker engine. Build: `docker build -t contrat-ville .`; the same environment variables as for systemd.
#   docker run --env-file contrat-ville.env -p 8000:8000 contrat-ville            (web)
#   docker run --env-file contrat-ville.env contrat-ville worker                  (task worker)
#   docker run --env-file contrat-ville.env contrat-ville manage migrate --noinput

# --- 1. Python dependencies (uv, pinned by uv.lock) and npm assets -------------------------------------------------
FROM python:3.11-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
COPY . .
# Static files collected, hashed and compressed at build time (WhiteNoise serves them).
RUN SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    DJANGO_SETTINGS_MODULE=config.settings.prod .venv/bin/python manage.py collectstatic --noinput

# --- 2. Runtime: system libraries of WeasyPrint, no compiler, no npm, a user without privileges ----------------------
FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin contrat-ville
WORKDIR /app
COPY --from=build --chown=root:root /app /app
RUN mkdir -p /app/var/media && chown -R contrat-ville:contrat-ville /app/var
ENV PATH="/app/.venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.prod \
    PYTHONUNBUFFERED=1 \
    GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_FORWARDED_ALLOW_IPS=*
USER contrat-ville
EXPOSE 8000
VOLUME ["/app/var/media"]
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
COPY --chmod=755 deploy/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["web"]
