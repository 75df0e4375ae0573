"""12345 hotline at city scale, on PostgreSQL: intake cost, list pages, Chinese search, routing.

Builds the demo city (registers through the services) in a fresh database, bulk-loads N requests
of generated history (`fazhi.hotline.history`: the same path as the XLSX import), measures,
loads up to factor×N and measures again, in one run. The city keeps its yearly volume: the first N
requests are the year ending today, the rest are earlier years (factor×N is factor years of
history), so the open requests are the same at both sizes and the history behind them grows:

- intake through the service layer (`ticket_register`, K requests) against plain SQL inserts of
  the same rows (case, ticket, case unit, timeline entry, notice, audit event) in one transaction;
- a unit's open-request list, first page sorted by due date, and its count, at N and factor×N;
- search in request text (`icontains`, served by the pg_trgm GIN index of migration 0005);
- routing suggestion latency per request (`routing.suggest_route`, texts not in the history).

    .venv/bin/python benchmarks/bench_hotline.py --requests 100000 --factor 10

It drops and re-creates the database named by --database on the local PostgreSQL server.
"""

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

CHUNK = 10_000
SEARCHES = ("暖气不热", "拖欠工资", "井盖", "油烟")


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


def measure(users) -> dict[str, float]:
    from django.core.paginator import Paginator

    from fazhi.cases.selectors import clock_of
    from fazhi.hotline import selectors
    from fazhi.hotline.models import Ticket

    results = {}
    for label, user in users.items():
        for state in ("unsigned", "handling"):

            def page(user=user, state=state):
                tickets = selectors.tickets_list(user, state=state)
                rows = Paginator(tickets, 50).get_page(1)
                [clock_of(t.case) for t in rows.object_list if t.case_id]

            results[f"{label}: open list ({state}), first page + count (ms)"] = timed(page)

        def first_page(user=user):
            list(selectors.tickets_list(user)[:50])

        results[f"{label}: all requests, first page by due date (ms)"] = timed(first_page)
    operator = users["centre operator"]
    for word in SEARCHES:

        def search(word=word):
            list(selectors.tickets_list(operator, q=word).order_by("-received_at", "-id")[:50])

        def count(word=word):
            Ticket.objects.filter(content__icontains=word).count()

        results[f"search “{word}”, first 50 (ms)"] = timed(search, repeat=3)
        results[f"search “{word}”, count all (ms)"] = timed(count, repeat=3)
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
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="fazhi_bench_hotline")
    args = parser.parse_args()
    fresh_database(args.server, args.database)
    os.environ["DATABASE_URL"] = f"{args.server}/{args.database}"
    import django

    django.setup()
    from fazhi.org.models import User

    started = time.perf_counter()
    build_city()
    rate_small = load(args.requests, first_seed=1)
    users = {
        "city unit (市城管局 handler)": User.objects.get(username="cgj"),
        "street (湖滨区明湖路街道 handler)": User.objects.get(username="hubin01"),
        "centre operator": User.objects.get(username="hotline1"),
    }
    small = measure(users)
    p50, p95 = routing_latency()
    log(f"measured at {args.requests}")
    # The city keeps its yearly volume; 10× the requests is 10 years of history behind today's.
    rate_large = load(
        args.requests * (args.factor - 1), first_seed=1000, years_back=tuple(range(1, args.factor))
    )
    large = measure(users)
    intake = intake_ratio(args.intake)
    total = time.perf_counter() - started

    big = args.requests * args.factor
    print(f"\n| measure | {args.requests:,} | {big:,} | ratio |\n|---|---:|---:|---:|")
    for key in small:
        print(f"| {key} | {small[key]:.1f} | {large[key]:.1f} | {large[key] / small[key]:.2f} |")
    print(f"\nbulk load: {rate_small:.0f} requests/s up to N, {rate_large:.0f} requests/s up to {big:,}")
    print(f"routing suggestion per request at N: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    print(
        "intake at "
        + f"{big:,}: "
        + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in intake.items())
    )
    print(f"whole run: {total / 60:.1f} min")


if __name__ == "__main__":
    main()
