"""12345 hotline at city scale, on PostgreSQL: intake cost, list pages, KPI page, Chinese search, routing.

Builds the demo city (registers through the services) in a fresh database and loads N requests of
generated history through `fazhi.hotline.history.tickets_load_history` (the XLSX import's path,
COPY per table on PostgreSQL): the year ending today, whose recent requests are still open.
Measures; then grows the history to factor×N and measures again, in one run. The city keeps its
yearly volume, so the open requests are the same at both sizes and only the history behind them
grows: the year before is loaded through the same loader (all closed), and the years before that
are SQL copies of it shifted by whole 52-week years (`clone_year`: INSERT … SELECT per table, new
ids, case numbers and tracking codes) — the loader runs at a few hundred requests a second on this
machine, the copies at tens of thousands. Measured:

- intake through the service layer (`ticket_register`, K requests) against plain SQL inserts of
  the same rows (case, ticket, case unit, timeline entry, notice, audit events) in one transaction;
- a unit's open-request list (first page by due date, exact count), the full list newest first
  (count capped at 10 000, `selectors.CappedPaginator`), at N and factor×N;
- the unit KPI page (`/metrics/unit/<id>/`, a year, monthly rollups fresh after `rollup_run`);
- search in request text: 2 characters from the bigram GIN index, 3+ from the trigram one;
- routing suggestion latency per request (`routing.suggest_route`, texts not in the history).

    .venv/bin/python benchmarks/bench_hotline.py --requests 100000 --factor 10

It drops and re-creates the database named by --database on the local PostgreSQL server, and
refuses to grow the history when the disk would fall below --min-free-gb.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

CHUNK = 10_000
SEARCHES = ("暖气不热", "拖欠工资", "井盖", "油烟")
YEAR_DAYS = 364  # 52 weeks: a copied year keeps its weekdays
BYTES_PER_REQUEST = 10_000  # database and indexes per request, with margin (docs/performance.md)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def timed(fn, repeat: int = 7) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def fresh_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_city():
    from django.core.management import call_command

    from fazhi.demo.city import build_city

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build_city(progress=False, hotline_history=0)
    log(f"city registers built in {time.perf_counter() - started:.1f} s")


def _units():
    from fazhi.demo import data
    from fazhi.org.models import Unit

    names = {spec.name: spec.key for spec in data.CITY_UNITS}
    return {names[u.name]: u for u in Unit.objects.filter(name__in=names)}


def load(count: int, *, first_seed: int, years_back: tuple[int, ...] = (0,)) -> float:
    """Generate and bulk-load `count` requests, chunk by chunk over the years `years_back` before
    this one (0: the year ending today, whose recent requests are still open; earlier years are
    closed); return requests per second of the load itself."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from fazhi.hotline.history import history_rows, tickets_load_history
    from fazhi.org.models import User

    actor = User.objects.get(username="hotline1")
    units = _units()
    generating = loading = 0.0
    done, seed = 0, first_seed
    while done < count:
        n = min(CHUNK, count - done)
        started = time.perf_counter()
        year = years_back[(done // CHUNK) % len(years_back)]
        today = timezone.localdate() - timedelta(days=366 * year)
        rows = history_rows(
            actor=actor, count=n, seed=seed, today=today, units=units, rng=random.Random(seed)
        )
        generating += time.perf_counter() - started
        started = time.perf_counter()
        tickets_load_history(actor=actor, rows=rows, source=f"benchmark seed {seed}")
        loading += time.perf_counter() - started
        done += n
        seed += 1
        log(f"  loaded {done}/{count} ({n / (time.perf_counter() - started):.0f}/s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"generated in {generating:.0f} s, loaded in {loading:.0f} s")
    return count / loading


CLONED = ("Case", "Ticket", "CaseUnit", "TimelineEntry", "TicketReturn", "Reply", "Callback", "ReopenRequest")


def _cloned_models():
    from django.apps import apps

    return [
        apps.get_model("cases" if name in ("Case", "CaseUnit", "TimelineEntry") else "hotline", name)
        for name in CLONED
    ]


def max_ids() -> dict:
    return {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in _cloned_models()}


def clone_year(source: dict, years: int) -> int:
    """Copy the requests whose ids lie in `source` (model -> (lo, hi)), with their whole course,
    `years` × 52 weeks earlier: one INSERT … SELECT per table, ids shifted past the table's end,
    references between copied tables shifted alike, dates moved, unique numbers made new."""
    from django.db import connection, models

    days = years * YEAR_DAYS
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        offsets = {}
        for model, (lo, _hi) in source.items():
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {qn(model._meta.db_table)}")
            offsets[model] = cursor.fetchone()[0] + 1 - lo
        copied = 0
        for model, (lo, hi) in source.items():
            columns, values = [], []
            for field in model._meta.concrete_fields:
                column = qn(field.column)
                columns.append(column)
                if field.primary_key:
                    values.append(f"{column} + {offsets[model]}")
                elif field.is_relation and field.related_model in offsets:
                    values.append(f"{column} + {offsets[field.related_model]}")
                elif isinstance(field, models.DateTimeField):
                    values.append(f"{column} - interval '{days} days'")
                elif isinstance(field, models.DateField):
                    values.append(f"{column} - {days}")
                elif field.unique and field.name == "number":
                    values.append(f"{column} || '-{years}'")
                elif field.unique and field.name == "tracking_code":
                    values.append(f"upper(substr(md5({column} || '-{years}'), 1, 14))")
                else:
                    assert not field.unique, f"{model.__name__}.{field.name} is unique"
                    values.append(column)
            table = qn(model._meta.db_table)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {table} "
                f"WHERE id BETWEEN %s AND %s",
                [lo, hi],
            )
            copied += cursor.rowcount
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {table}))",
                [model._meta.db_table],
            )
    return copied


def rollups(*, full: bool) -> float:
    """A rollup run, as `fazhi metrics rollup` does it: full on the first size; at the large size
    the run the nightly job would make after the load (the days changed since the last run; the
    copied years are not redone, the KPI page reads the last year's monthly rows)."""
    from fazhi.metrics.rollups import rollup_run

    started = time.perf_counter()
    rollup_run(full=full)
    return time.perf_counter() - started


def kpi_leader():
    """A leader of the city (scope all) who opens a unit's KPI page, as bench_metrics does."""
    from django.utils import timezone

    from fazhi.org.models import Membership, Role, Unit, User

    leader, _ = User.objects.get_or_create(
        username="bench_leader", defaults={"password_changed_at": timezone.now()}
    )
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    Membership.objects.get_or_create(user=leader, unit=root, role=Role.LEADER, defaults={"scope": "all"})
    return leader


def measure(users) -> dict[str, float]:
    from datetime import timedelta

    from django.core.paginator import Paginator
    from django.test import Client
    from django.utils import timezone

    from fazhi.cases.selectors import clock_of
    from fazhi.hotline import selectors
    from fazhi.org.models import Unit

    results = {}
    for label, user in users.items():
        for state in ("unsigned", "handling"):

            def page(user=user, state=state):
                tickets = selectors.tickets_list(user, state=state)
                rows = Paginator(tickets, 50).get_page(1)  # open lists: exact count
                [clock_of(t.case) for t in rows.object_list if t.case_id]

            results[f"{label}: open list ({state}), first page + count (ms)"] = timed(page)

        def full_list(user=user):
            rows = selectors.CappedPaginator(selectors.tickets_list(user), 50).get_page(1)
            [clock_of(t.case) for t in rows.object_list if t.case_id]

        results[f"{label}: all requests, first page + capped count (ms)"] = timed(full_list)
    operator = users["centre operator"]
    for word in SEARCHES:

        def search(word=word):
            list(selectors.tickets_list(operator, q=word)[:50])

        def count(word=word):
            selectors.tickets_list(operator, q=word).count()

        results[f"search “{word}”, first 50 newest (ms)"] = timed(search, repeat=3)
        results[f"search “{word}”, count all (ms)"] = timed(count, repeat=3)
    client = Client()
    client.force_login(kpi_leader())
    unit = Unit.objects.get(memberships__user__username="cgj")
    today = timezone.localdate()
    period = f"{today - timedelta(days=364):%Y-%m-%d}~{today:%Y-%m-%d}"

    def kpi():
        response = client.get(f"/metrics/unit/{unit.pk}/?period={period}")
        assert response.status_code == 200, response.status_code

    results["unit KPI page (市城管局, a year, rollups) (ms)"] = timed(kpi)
    return results


def routing_latency(samples: int = 200) -> tuple[float, float]:
    from fazhi.hotline import routing
    from fazhi.hotline.history import history_rows
    from fazhi.org.models import User

    actor = User.objects.get(username="hotline1")
    rows = history_rows(
        actor=actor, count=samples, seed=987_654, today=None, units=_units(), rng=random.Random(9)
    )
    times = []
    for row in rows:
        started = time.perf_counter()
        routing.suggest_route(text=row.content, region=row.region)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)]


def intake_ratio(k: int) -> dict[str, float]:
    """ticket_register for k requests vs plain SQL inserting the rows it wrote, both in one transaction."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from fazhi.cases.models import Case, CaseUnit, Notice, TimelineEntry
    from fazhi.core.models import AuditEvent
    from fazhi.hotline import services
    from fazhi.hotline.history import history_rows
    from fazhi.hotline.models import Ticket
    from fazhi.org.models import User

    actor = User.objects.get(username="hotline1")
    rows = history_rows(actor=actor, count=k, seed=555, today=None, units=_units(), rng=random.Random(5))
    marks = {m: m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0 for m in
             (Case, Ticket, CaseUnit, TimelineEntry, Notice, AuditEvent)}  # fmt: skip
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        started = time.perf_counter()
        for row in rows:
            services.ticket_register(
                actor=actor,
                content=row.content,
                request_type=row.request_type,
                category=row.category,
                region=row.region,
                channel=row.channel,
                address=row.address,
                caller_name=row.caller_name,
                caller_phone=row.caller_phone,
                received_at=row.received_at,
                lead_unit=row.lead_unit,
            )
        service = time.perf_counter() - started
    written = {}
    with connection.cursor() as cursor:  # the stored values (ciphertext for the caller), not decrypted
        for model, mark in marks.items():
            cursor.execute(f"SELECT * FROM {model._meta.db_table} WHERE id > %s ORDER BY id", [mark])
            names = [c.name for c in cursor.description]
            written[model] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    tables = [(m._meta.db_table, m) for m in (Case, Ticket, CaseUnit, TimelineEntry, Notice, AuditEvent)]
    # The same rows again with fresh unique values, one INSERT each, in one transaction.
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        new_case: dict[int, int] = {}
        for case in written[Case]:
            old = case.pop("id")
            case["number"] += "-sql"
            cols = list(case)
            cursor.execute(
                f"INSERT INTO {tables[0][0]} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) RETURNING id",
                [_adapt(case[c]) for c in cols],
            )
            new_case[old] = cursor.fetchone()[0]
        for table, model in tables[1:]:
            for values in written[model]:
                values.pop("id")
                if "case_id" in values and values["case_id"] in new_case:
                    values["case_id"] = new_case[values["case_id"]]
                if model is Ticket:
                    values["tracking_code"] = values["tracking_code"][::-1] + "S"
                if model is Notice:
                    values["key"] += ":sql"
                if model is AuditEvent:
                    values["hash"] = values["hash"][::-1]
                cols = list(values)
                cursor.execute(
                    f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})",
                    [_adapt(values[c]) for c in cols],
                )
        plain = time.perf_counter() - started
    rows_written = sum(len(v) for v in written.values())
    kinds = Counter(_query_kind(q["sql"]) for q in queries.captured_queries)
    log("service queries per request: " + ", ".join(f"{kind} {n / k:.1f}" for kind, n in kinds.most_common()))
    return {
        "requests": k,
        "service ms/request": service * 1000 / k,
        "plain SQL ms/request": plain * 1000 / k,
        "ratio": service / plain,
        "queries/request (service)": len(queries) / k,
        "rows/request": rows_written / k,
    }


def _query_kind(sql: str) -> str:
    words = sql.split()
    verb = words[0].upper() if words else "?"
    for marker in ("FROM", "INTO", "UPDATE"):
        if marker in words:
            return f"{verb} {words[words.index(marker) + 1].strip(chr(34))}"
    return verb


def _adapt(value):
    from psycopg.types.json import Jsonb

    return Jsonb(value) if isinstance(value, dict | list) else value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=100_000, help="N: requests in the first measurement")
    parser.add_argument("--factor", type=int, default=10, help="the second measurement is at factor × N")
    parser.add_argument("--intake", type=int, default=300, help="requests registered through the service")
    parser.add_argument("--min-free-gb", type=float, default=20, help="stop before the disk falls below this")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="fazhi_bench_hotline")
    args = parser.parse_args()
    big = args.requests * args.factor
    free_after = (shutil.disk_usage("/").free - big * BYTES_PER_REQUEST) / 1e9
    if free_after < args.min_free_gb:
        sys.exit(
            f"{big:,} requests need ~{big * BYTES_PER_REQUEST / 1e9:.0f} GB; only {free_after:.0f} GB would be left"
        )
    fresh_database(args.server, args.database)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    import django

    django.setup()
    from django.db import connection

    from fazhi.org.models import User

    started = time.perf_counter()
    build_city()
    rate_small = load(args.requests, first_seed=1)
    rollup_small = rollups(full=True)
    users = {
        "city unit (市城管局 handler)": User.objects.get(username="cgj"),
        "street (湖滨区明湖路街道 handler)": User.objects.get(username="hubin01"),
        "centre operator": User.objects.get(username="hotline1"),
    }
    small = measure(users)
    log(f"at {args.requests:,}: {small} (rollup {rollup_small:.1f} s, load {rate_small:.0f}/s)")
    p50, p95 = routing_latency()
    log(f"routing p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    log(f"measured at {args.requests}")
    # The city keeps its yearly volume; factor × the requests is factor years of history behind today's.
    before = max_ids()
    rate_large = load(args.requests, first_seed=1000, years_back=(1,))
    after = max_ids()
    source = {m: (before[m] + 1, after[m]) for m in after if after[m] > before[m]}
    copying = time.perf_counter()
    copied = 0
    for years in range(1, args.factor - 1):
        copied += clone_year(source, years)
        log(f"  copied year -{years + 1}: {copied:,} rows so far")
    copying = time.perf_counter() - copying
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rollup_large = rollups(full=False)
    large = measure(users)
    log(f"at {big:,}: {large} (rollup {rollup_large:.1f} s, load {rate_large:.0f}/s, copies {copying:.0f} s)")
    intake = intake_ratio(args.intake)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    total = time.perf_counter() - started

    print(f"\n| measure | {args.requests:,} | {big:,} | ratio |\n|---|---:|---:|---:|")
    for key in small:
        print(f"| {key} | {small[key]:.1f} | {large[key]:.1f} | {large[key] / small[key]:.2f} |")
    print(
        f"\nbulk load (COPY loader): {rate_small:.0f} requests/s (year 0), {rate_large:.0f} requests/s (year -1)"
    )
    print(f"SQL copies of year -1: {args.factor - 2} years, {copied:,} rows in {copying:.0f} s")
    print(f"rollup run: full {rollup_small:.1f} s at N, incremental {rollup_large:.1f} s at {big:,}")
    print(f"database size at {big:,}: {size / 1e9:.1f} GB ({size / big:.0f} bytes per request)")
    print(f"routing suggestion per request at N: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        "intake at "
        + f"{big:,}: "
        + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in intake.items())
    )
    print(f"whole run: {total / 60:.1f} min")


if __name__ == "__main__":
    main()
