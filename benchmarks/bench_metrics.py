"""Metrics at volume: does the cockpit stay flat with rollups while the raw rows grow tenfold?

Builds a fresh database with N, then 10×N 12345 requests received over the past year (each a
hotline case with its lead unit, most signed, replied and called back) spread over 50 units, and
times on each:

- the cockpit page (领导驾驶舱) and a unit page, rendered through Django with rollups fresh;
- one value from the REST API with rollups fresh;
- every registered figure for the year computed from raw rows (what the pages would cost
  without rollups), and the same figures from rollups;
- a full rollup, and an incremental one after 100 requests changed.

    .venv/bin/python benchmarks/bench_metrics.py --requests 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench_metrics \\
        .venv/bin/python benchmarks/bench_metrics.py --requests 20000

Rows are bulk-inserted (this measures reads and rollups, not the write path). Ratios inside one
run are what to read: these machines are shared and noisy.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
os.environ.setdefault("FAZHI_ENV", "test")

UNITS = 50
BATCH = 5000


def timed(fn, repeat: int) -> float:
    fn()  # warm caches
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def build_registers():
    from django.core.management import call_command
    from django.utils import timezone

    from fazhi.org.models import Membership, Region, Role, Unit, User

    call_command("migrate", verbosity=0)
    region = Region.objects.create(code="379900", name="明湖市", level=2)
    government = Unit.objects.create(name="基准测试市人民政府", kind=Unit.Kind.GOVERNMENT, region=region)
    government.path = f"/{government.pk}/"
    government.save(update_fields=["path"])
    units = []
    for i in range(UNITS + 1):
        unit = Unit.objects.create(
            name="基准测试12345中心" if i == UNITS else f"基准测试单位{i}",
            kind=Unit.Kind.DEPARTMENT,
            region=region,
            parent=government,
        )
        unit.path = f"{government.path}{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    centre = units.pop()
    leader = User.objects.create(username="bench_leader", password_changed_at=timezone.now())
    Membership.objects.create(user=leader, unit=government, role=Role.LEADER, scope="all")
    operator = User.objects.create(username="bench_operator", password_changed_at=timezone.now())
    Membership.objects.create(user=operator, unit=centre, role=Role.OPERATOR, scope="all")
    return region, units, centre, leader, operator


def add_requests(region, units, centre, operator, start: int, n: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from fazhi.cases.models import Case, CaseType, CaseUnit
    from fazhi.hotline.models import Callback, Category, Channel, Reply, RequestType, Ticket

    hotline = CaseType.objects.get(code="hotline")
    leaves = list(Category.objects.filter(level=Category.Level.THIRD).values_list("pk", flat=True))
    rng = random.Random(start)
    now = timezone.now()
    phones = [f"1390000{k:04d}" for k in range(2000)]
    for first in range(start, start + n, BATCH):
        size = min(BATCH, start + n - first)
        with transaction.atomic():
            plans, cases = [], []
            for i in range(first, first + size):
                received = now - timedelta(days=rng.randint(0, 364), seconds=rng.randint(0, 86_399))
                day = timezone.localtime(received).date()
                closed = rng.random() < 0.8
                closed_at = received + timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 8))
                closed = closed and closed_at < now
                unit = units[i % UNITS]
                plans.append((received, unit, closed, closed_at))
                cases.append(
                    Case(
                        number=f"BM-{i:09d}",
                        case_type=hotline,
                        title=f"基准诉求{i}",
                        handling_unit=unit,
                        status=Case.Status.CLOSED if closed else Case.Status.OPEN,
                        received_at=received,
                        start_date=day,
                        due_date=day + timedelta(days=7),
                        closed_at=closed_at if closed else None,
                    )
                )
            Case.objects.bulk_create(cases)
            CaseUnit.objects.bulk_create(
                CaseUnit(case=case, unit=plan[1], role="lead", assigned_at=plan[0])
                for case, plan in zip(cases, plans, strict=True)
            )
            tickets = [
                Ticket(
                    case=case,
                    centre=centre,
                    request_type=RequestType.COMPLAINT,
                    category_id=rng.choice(leaves),
                    channel=Channel.PHONE,
                    caller_phone=rng.choice(phones),
                    region=region,
                    content="基准测试诉求内容",
                    received_at=plan[0],
                    signed_at=plan[0] + timedelta(hours=rng.randint(1, 40)) if rng.random() < 0.9 else None,
                    created_by=operator,
                )
                for case, plan in zip(cases, plans, strict=True)
            ]
            Ticket.objects.bulk_create(tickets)
            replies = [
                Reply(
                    ticket=ticket,
                    unit=plan[1],
                    text="已到现场核实处理",
                    actions="现场核查并整改",
                    contacted_caller=True,
                    replied_at=plan[3],
                    replied_by=operator,
                )
                for ticket, plan in zip(tickets, plans, strict=True)
                if plan[2]
            ]
            Reply.objects.bulk_create(replies)
            Callback.objects.bulk_create(
                Callback(
                    ticket=reply.ticket,
                    reply=reply,
                    satisfaction=rng.choice(Callback.Satisfaction.values),
                    resolution=rng.choice(Callback.Resolution.values),
                    called_by=operator,
                    called_at=reply.replied_at + timedelta(days=1),
                )
                for reply in replies
                if rng.random() < 0.7
            )


def settle() -> None:
    """Date the loaded rows' change stamps a day back, as if loaded yesterday and rolled up since:
    the incremental run then sees only what changes after the full one."""
    from django.utils import timezone

    from fazhi.cases.models import Case
    from fazhi.core.models import CalendarDay
    from fazhi.hotline.models import Ticket

    yesterday = timezone.now() - timedelta(days=1)
    for model in (Case, Ticket, CalendarDay):
        model.objects.update(updated_at=yesterday)


def touch_requests(n: int) -> None:
    """What an hour brings: n open requests answered and closed."""
    from django.utils import timezone

    from fazhi.cases.models import Case

    for case in Case.objects.filter(status=Case.Status.OPEN).order_by("?")[:n]:
        case.status, case.closed_at = Case.Status.CLOSED, timezone.now()
        case.save(update_fields=["status", "closed_at", "updated_at"])


def measure(leader, *, repeat: int, raw_repeat: int) -> dict[str, float]:
    from django.test import Client, override_settings
    from django.utils import timezone

    from fazhi.metrics import compute
    from fazhi.metrics.models import MetricRollup
    from fazhi.metrics.registry import registry
    from fazhi.metrics.rollups import rollup_run

    today = timezone.localdate()
    start = today - timedelta(days=364)
    period = f"{start:%Y-%m-%d}~{today:%Y-%m-%d}"
    client = Client()
    client.force_login(leader)
    unit_id = leader.memberships.first().unit.children.order_by("pk").first().pk

    def full():
        rollup_run(full=True)

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return get

    def figures(source):
        return lambda: compute.figures(
            registry.all(), units=compute.EVERYTHING, start=start, end=today, source=source
        )

    settle()
    results = {"full rollup (ms)": timed(full, repeat=1)}
    touch_requests(100)
    results["incremental rollup after 100 changes (ms)"] = timed(lambda: rollup_run(), repeat=1)
    results["rollup rows"] = MetricRollup.objects.count()
    fresh = compute.source_now()
    assert fresh.cutoff == today
    results["cockpit page, rollups (ms)"] = timed(page(f"/metrics/?period={period}"), repeat)
    results["unit page, rollups (ms)"] = timed(page(f"/metrics/unit/{unit_id}/?period={period}"), repeat)
    results["API value, rollups (ms)"] = timed(
        page(f"/api/v1/metrics/hotline.ontime_rate?start={start}&end={today}"), repeat
    )
    results["all figures, rollups (ms)"] = timed(figures(fresh), repeat)
    results["all figures, raw rows (ms)"] = timed(figures(compute.RAW), raw_repeat)
    with override_settings(FAZHI_METRICS_ROLLUP_MAX_AGE_MINUTES=0):
        results["cockpit page, raw rows (ms)"] = timed(page(f"/metrics/?period={period}"), raw_repeat)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=5000, help="N; the second round has 10×N")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--raw-repeat", type=int, default=1)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["FAZHI_VAR_DIR"] = tempfile.mkdtemp(prefix="fazhi-bench-metrics-")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    region, units, centre, leader, operator = build_registers()
    started = time.perf_counter()
    add_requests(region, units, centre, operator, 0, args.requests)
    print(f"loaded {args.requests} requests in {time.perf_counter() - started:.0f} s", flush=True)
    small = measure(leader, repeat=args.repeat, raw_repeat=args.raw_repeat)
    started = time.perf_counter()
    add_requests(region, units, centre, operator, args.requests, args.requests * 9)
    print(f"loaded {args.requests * 9} more in {time.perf_counter() - started:.0f} s", flush=True)
    large = measure(leader, repeat=args.repeat, raw_repeat=args.raw_repeat)
    engine = django.db.connection.vendor
    print(f"\n{engine}: {'measure':45} {args.requests:>10} {args.requests * 10:>10}  ratio")
    for key in small:
        print(
            f"{engine}: {key:45} {small[key]:10.0f} {large[key]:10.0f}  {large[key] / max(small[key], 1):5.2f}"
        )


if __name__ == "__main__":
    main()
