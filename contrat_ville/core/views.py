from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "injoignable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _migrations_pending() -> list[str]:
    """The migrations the code has and the database has not applied (``app.name``)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _tasks_backend_problem() -> str | None:
    """Why the task backend cannot take tasks, or ``None``. The database backend's table must answer."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if isinstance(backend, DatabaseBackend):
        from django_tasks_db.models import DBTaskResult

        try:
            DBTaskResult.objects.exists()
        except DatabaseError:
            return "la file des tâches (base de données) est injoignable"
    problems = [message.msg for message in backend.check() if message.is_serious()]
    return "; ".join(problems) or None


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the platform can serve: database reachable, every migration applied, task backend usable; 503 with
    the French reason otherwise (for the orchestrator: do not send traffic yet)."""
    checks: dict[str, str] = {}
    problems: list[str] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "injoignable"
        problems.append("la base de données est injoignable")
    if checks["database"] == "ok":
        pending = _migrations_pending()
        checks["migrations"] = "ok" if not pending else "en attente"
        if pending:
            problems.append(
                f"{len(pending)} migration(s) non appliquée(s) ({', '.join(pending[:5])}) : lancez manage.py migrate"
            )
        tasks_problem = _tasks_backend_problem()
        checks["tasks"] = "ok" if tasks_problem is None else "injoignable"
        if tasks_problem:
            problems.append(tasks_problem)
    if problems:
        return JsonResponse({"status": "error", **checks, "detail": " ; ".join(problems)}, status=503)
    return JsonResponse({"status": "ok", **checks})
