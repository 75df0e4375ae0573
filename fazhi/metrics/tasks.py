"""Background work of the metrics registry: bringing the rollups up to date after a bulk load."""

from datetime import date

from django.db import transaction
from django_tasks import task

from fazhi.metrics.rollups import rollup_run


@task()
def rollup(*, since: str | None = None) -> dict[str, int]:
    """Redo the rollups for the days changed since the last run, and every day from `since`."""
    run = rollup_run(since=date.fromisoformat(since) if since else None)
    return {"days": run.days, "rows": run.rows}


def rollup_after_load(*, since: date) -> None:
    """Call inside the transaction of a bulk load (an import of history, the demo city): once it
    commits, the worker redoes the rollups from the earliest day the load touched."""
    transaction.on_commit(lambda: rollup.enqueue(since=since.isoformat()))
