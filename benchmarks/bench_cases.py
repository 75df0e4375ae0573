"""Case engine at volume: do the workbench, the case list and the reminder sweep stay flat?

Builds a fresh database with N, then 10×N cases (30% open) spread over 50 units and compares the
time of the same reads on each (ratios, since these machines are noisy).

    .venv/bin/python benchmarks/bench_cases.py --cases 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench .venv/bin/python benchmarks/bench_cases.py

Cases are bulk-inserted (this measures reads, not the write path); their clocks come from the
real deadline engine on the seeded calendar.
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


def timed(fn, repeat: int = 7) -> float:
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
    units = []
    for i in range(50):
        unit = Unit.objects.create(name=f"基准测试单位{i}", kind=Unit.Kind.DEPARTMENT, region=region)
        unit.path = f"/{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    handler = User.objects.create(username="bench_handler", password_changed_at=timezone.now())
    Membership.objects.create(user=handler, unit=units[0], role=Role.HANDLER)
    supervisor = User.objects.create(username="bench_supervisor", password_changed_at=timezone.now())
    Membership.objects.create(user=supervisor, unit=units[1], role=Role.SUPERVISOR, scope="all")
    return units, handler, supervisor


def add_cases(units, start: int, n_cases: int) -> None:
    from django.utils import timezone

    from fazhi.cases.models import Case, CaseType
    from fazhi.core.deadlines import due_date

    hotline = CaseType.objects.get(code="hotline")
    rng = random.Random(start)
    today = timezone.localdate()
    now = timezone.now()
    batch = []
    for i in range(start, start + n_cases):
        received = today - timedelta(days=rng.randint(0, 300))
        batch.append(
            Case(
                number=f"BENCH-{i:08d}",
                case_type=hotline,
                title=f"基准诉求{i}",
                handling_unit=units[i % 50],
                status=Case.Status.OPEN if rng.random() < 0.3 else Case.Status.CLOSED,
                received_at=now - (today - received),
                start_date=received,
                due_date=due_date(start=received, period="5wd"),
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)


def measure(handler, supervisor) -> dict[str, float]:
    from django.core.paginator import Paginator
    from django.db import transaction
    from django.utils import timezone

    from fazhi.cases import selectors
    from fazhi.cases.services import reminders_sweep

    today = timezone.localdate()

    def workbench():
        page = Paginator(selectors.cases_on_workbench(handler), 50).get_page(1)
        [selectors.clock_of(c, today=today) for c in page.object_list]

    def supervisor_overdue_list():
        cases = (
            selectors.cases_visible_to(supervisor)
            .filter(selectors.overdue_filter())
            .order_by("due_date", "id")
        )
        list(Paginator(cases.select_related("case_type", "handling_unit"), 50).get_page(1).object_list)

    def first_sweep():
        with transaction.atomic():
            reminders_sweep(today=today)
            transaction.set_rollback(True)

    first = timed(first_sweep, repeat=3)
    reminders_sweep(today=today)
    return {
        "first reminder sweep (ms)": first,
        "daily reminder sweep after it (ms)": timed(lambda: reminders_sweep(today=today)),
        "workbench first page (ms)": timed(workbench),
        "supervisor overdue list first page (ms)": timed(supervisor_overdue_list),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["FAZHI_VAR_DIR"] = tempfile.mkdtemp(prefix="fazhi-bench-")
    import django

    django.setup()
    units, handler, supervisor = build_registers()
    add_cases(units, 0, args.cases)
    small = measure(handler, supervisor)
    add_cases(units, args.cases, args.cases * 9)
    large = measure(handler, supervisor)
    print(f"{'measure':45} {args.cases:>10} {args.cases * 10:>10}  ratio")
    for key in small:
        print(f"{key:45} {small[key]:10.1f} {large[key]:10.1f}  {large[key] / small[key]:5.2f}")


if __name__ == "__main__":
    main()
