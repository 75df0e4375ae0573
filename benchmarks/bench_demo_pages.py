"""Time the demo city's main pages as each role sees them (SQLite, the README's first command).

Build the city first (`fazhi demo --no-serve`), then:
    .venv/bin/python benchmarks/bench_demo_pages.py [--runs 3]
Each page is fetched through Django's test client, logged in as the demo account; the median is
printed. Compare rows within one run: the machine is shared.
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from fazhi.demo.data import DEMO_PASSWORD  # noqa: E402

PAGES = {
    "cgj": ["/", "/cases/inbox/", "/hotline/", "/metrics/", "/legal/", "/suggestions/", "/assessment/"],
    "hubin01": ["/hotline/", "/cases/"],
    "hotline1": ["/hotline/intake/", "/hotline/queue/", "/hotline/hotspots/"],
    "fazhiban": ["/cases/", "/legal/", "/reports/annual/", "/reports/annual/late/", "/assessment/"],
    "fushizhang": ["/metrics/"],
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    for username, urls in PAGES.items():
        client = Client(HTTP_HOST="127.0.0.1")
        if not client.login(username=username, password=DEMO_PASSWORD):
            raise SystemExit(f"cannot log in as {username}: build the demo city first")
        for url in urls:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url, follow=True)
                times.append(time.perf_counter() - started)
            print(
                f"{username:11} {url:24} {response.status_code}  median {statistics.median(times) * 1000:8.0f} ms"
            )


if __name__ == "__main__":
    main()
