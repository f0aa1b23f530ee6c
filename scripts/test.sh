#!/usr/bin/env bash
# The whole test command: ruff (lint + format), mypy, import-linter, makemigrations --check, bandit, then
# pytest (browser tests included) on SQLite, and again on PostgreSQL when a server answers at
# TEST_DATABASE_URL. Under CI=true a skipped PostgreSQL pass or skipped browser tests fail the run.
# The dependency audit (pip-audit, `make audit`) runs when PyPI's vulnerability database answers; where it does not
# (these development machines reach the package index only), the summary says it was skipped (docs/operations.md).
set -uo pipefail
cd "$(dirname "$0")/.."

VENV_BIN=.venv/bin
QUALITY_ONLY=0
[[ "${1:-}" == "--quality-only" ]] && QUALITY_ONLY=1
TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/}"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
export DJANGO_SETTINGS_MODULE=config.settings.test
SUMMARY=()
FAILED=0

step() {
  local name="$1"; shift
  echo "==> ${name}"
  if "$@"; then
    SUMMARY+=("ok       ${name}")
  else
    SUMMARY+=("ÉCHEC    ${name}")
    FAILED=1
  fi
}

print_summary() {
  echo
  echo "==================== Résumé / summary ===================="
  printf '%s\n' "${SUMMARY[@]}"
  echo "=========================================================="
}

step "ruff check (lint)" "$VENV_BIN/ruff" check .
step "ruff format --check" "$VENV_BIN/ruff" format --check .
step "mypy" "$VENV_BIN/mypy" .
step "import-linter (graphe des apps)" "$VENV_BIN/lint-imports"
step "makemigrations --check" "$VENV_BIN/python" manage.py makemigrations --check --dry-run -v0
# Security lint of the application (configuration and justified skips: [tool.bandit] in pyproject.toml).
step "bandit" "$VENV_BIN/bandit" -c pyproject.toml -r . -q

if [[ $QUALITY_ONLY == 1 ]]; then
  print_summary
  exit $FAILED
fi

# Known vulnerabilities in the locked dependencies: PyPI's JSON API gives them per release (pip-audit's default
# service asks /pypi/<name>/<version>/json; a mirror of the index alone answers 404 there).
if "$VENV_BIN/python" - <<'PY'
import sys, urllib.request
import django
try:
    release = f"https://pypi.org/pypi/django/{django.get_version()}/json"
    with urllib.request.urlopen(release, timeout=5) as answer:  # noqa: S310
        sys.exit(0 if answer.status == 200 else 1)
except Exception:  # noqa: BLE001
    sys.exit(1)
PY
then
  step "pip-audit (dépendances verrouillées)" make --no-print-directory audit
else
  SUMMARY+=("IGNORÉ   pip-audit : la base de vulnérabilités de PyPI ne répond pas d'ici ; lancer make audit là où elle répond")
fi

# Browser tests need Debian's Chromium; never a downloaded browser.
BROWSER_ARGS=()
if [[ ! -x "$CHROMIUM" ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "==> Chromium absent : installation par apt-get (chromium)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  fi
fi
if [[ -x "$CHROMIUM" ]]; then
  export CHROMIUM_PATH="$CHROMIUM"
else
  BROWSER_ARGS=(-m "not browser")
  SUMMARY+=("IGNORÉ   tests navigateur : Chromium absent. Pour les activer : sudo apt-get install -y chromium")
  [[ "${CI:-}" == "true" ]] && FAILED=1
fi

run_pytest() {
  local label="$1"; shift
  echo "==> pytest (${label})"
  "$VENV_BIN/pytest" "${BROWSER_ARGS[@]}" "$@"
  local code=$?
  if [[ $code == 0 ]]; then
    SUMMARY+=("ok       pytest ${label}")
  else
    SUMMARY+=("ÉCHEC    pytest ${label} (code ${code})")
    FAILED=1
  fi
}

unset DATABASE_URL
run_pytest "SQLite" --create-db

# PostgreSQL pass: the same suite against a real server.
PG_BASE="${TEST_DATABASE_URL%/}"
if [[ "$PG_BASE" =~ ^postgres(ql)?://[^/]+$ ]]; then
  PG_URL="${PG_BASE}/contrat_ville"
else
  PG_URL="$TEST_DATABASE_URL"
fi
if "$VENV_BIN/python" - "$PG_URL" <<'PY'
import sys
import dj_database_url, psycopg
cfg = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(host=cfg["HOST"] or "127.0.0.1", port=cfg["PORT"] or 5432, user=cfg["USER"] or "postgres",
                    password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3).close()
except Exception as error:  # noqa: BLE001
    print(f"PostgreSQL injoignable : {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  DATABASE_URL="$PG_URL" run_pytest "PostgreSQL" --create-db
else
  SUMMARY+=("IGNORÉ   pytest PostgreSQL : aucun serveur ne répond à ${TEST_DATABASE_URL}")
  [[ "${CI:-}" == "true" ]] && FAILED=1
fi

print_summary
exit $FAILED
