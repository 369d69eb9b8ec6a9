"""Load test: GovPortal's API against a real stock Wagtail 8.0.1 site, same machine, same run.

The stock side is the site of ../shared/bench/stock-wagtail (its README: `make_site.sh DIR`,
`gen_data.py 20000 --site DIR/site` on its own database): Wagtail's PagesAPIViewSet as shipped,
20,000 ArticlePages in 10 columns, stock database search backend.

    DATABASE_URL=<project db> .venv/bin/python benchmarks/api_bench.py \
        --stock-site /tmp/stock/site --stock-db postgres://…/bench_20000 --seconds 5 --rounds 3

Starts three gunicorn servers (3 sync workers each, BENCH_WORKERS x BENCH_THREADS to change;
127.0.0.1 only; DEBUG off on all): stock, GovPortal, and GovPortal with its response cache off
(every request does the full work). Drives each scenario with 8 concurrent connections over a
rotating set of URLs (different offsets, columns and ids, so a response cache alone cannot
carry the result): with wrk (Debian package) when installed, else with Python client threads
(which cap near 1,100 req/s on two cores). Each side is warmed up on the scenario's URLs for
2 s first; sides alternate in each of the rounds and the median round is printed: req/s, p50,
p99, errors, speed-up over stock and the 1-minute load average."""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def start(port, settings, cwd=ROOT, pythonpath=f"{ROOT}:{ROOT / 'benchmarks'}", **extra_env):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings, PYTHONPATH=pythonpath, **extra_env)
    cmd = [
        str(ROOT / ".venv/bin/gunicorn"),
        "benchsite.wsgi" if settings.startswith("benchsite") else "govportal.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        os.environ.get("BENCH_WORKERS", "3"),
        "--threads",
        os.environ.get("BENCH_THREADS", "1"),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, cwd=cwd, env=env)
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v2/pages/?limit=1")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"server on {port} did not start")


def start_stock(port, site, database_url):
    return start(port, "benchsite.settings.bench", cwd=site, pythonpath=site, DATABASE_URL=database_url)


# wrk (Debian package `wrk`, C, event loop) drives the load when installed: it uses a fraction of
# a core, so the server gets the CPU. Each request picks a random URL from the scenario's list.
WRK_SCRIPT = """
local urls = {}
for line in io.lines(os.getenv("WRK_URLS")) do urls[#urls + 1] = line end
local counter = 0
function setup(thread) counter = counter + 1; thread:set("seed", counter) end
function init(args) math.randomseed(seed * 7919 + os.time()) end
function request() return wrk.format("GET", urls[math.random(#urls)]) end
"""
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def load(port, urls, seconds, concurrency=8):
    if shutil.which("wrk"):
        return load_wrk(port, urls, seconds, concurrency)
    return load_threads(port, urls, seconds, concurrency)


def load_wrk(port, urls, seconds, concurrency):
    with tempfile.TemporaryDirectory() as tmp:
        script, url_file = Path(tmp, "rotate.lua"), Path(tmp, "urls.txt")
        script.write_text(WRK_SCRIPT)
        url_file.write_text("\n".join(urls) + "\n")
        out = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(concurrency),
                "-d",
                f"{max(1, round(seconds))}s",
                "--latency",
                "--timeout",
                "10s",  # wrk's own 2 s would cut off (and count as errors) the slowest requests
                "-s",
                str(script),
                f"http://127.0.0.1:{port}",
            ],
            env=dict(os.environ, WRK_URLS=str(url_file)),
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def latency(label):
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * UNITS[unit]

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency("50%"),
        "p99": latency("99%"),
        "errors": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def load_threads(port, urls, seconds, concurrency):
    latencies, errors, stop = [], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def worker(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            url = rng.choice(urls)
            t0 = time.perf_counter()
            try:
                conn.request("GET", url)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    n = len(latencies)
    return {
        "rps": n / seconds,
        "p50": latencies[n // 2] * 1000 if n else 0,
        "p99": latencies[int(n * 0.99)] * 1000 if n else 0,
        "errors": errors[0],
    }


STOCK_IDS = """
import json
from news.models import ArticlePage, ColumnPage
print(json.dumps({
    "columns": list(ColumnPage.objects.order_by("path").values_list("pk", flat=True)),
    "articles": list(ArticlePage.objects.order_by("?").values_list("pk", flat=True)[:2000]),
}))
"""


def stock_ids(site, database_url):
    """Column and article ids of the stock site (its own Django, in a subprocess)."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="benchsite.settings.bench", DATABASE_URL=database_url)
    out = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", STOCK_IDS],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


SEARCH = "%E9%A2%84%E7%AE%97"  # 预算


def scenarios(stock):
    """{scenario: (GovPortal URLs, stock URLs)}: the same kind of request on each side."""
    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govportal.settings.dev")
    import django

    django.setup()
    from pages.models import ColumnPage, NewsPage

    columns = list(
        ColumnPage.objects.filter(kind__in=["news", "notices", "disclosure", "policies"]).values_list(
            "pk", flat=True
        )
    )
    ids = list(NewsPage.objects.live().order_by("?").values_list("pk", flat=True)[:2000])
    rng = random.Random(1)
    offsets = [rng.randrange(0, 1000) for _ in range(200)]
    article = "type=news.ArticlePage&fields=date,intro&limit=20"
    return {
        "listing": (
            [f"/api/v2/pages/?type=pages.NewsPage&limit=20&offset={o}" for o in offsets],
            [f"/api/v2/pages/?{article}&offset={o}" for o in offsets],
        ),
        "child_of": (
            [f"/api/v2/pages/?child_of={c}&limit=20&offset={o}" for c in columns for o in offsets[:50]],
            [
                f"/api/v2/pages/?{article}&child_of={c}&order=-date&offset={o}"
                for c in stock["columns"]
                for o in offsets[:50]
            ],
        ),
        "detail": ([f"/api/v2/pages/{i}/" for i in ids], [f"/api/v2/pages/{i}/" for i in stock["articles"]]),
        "search 预算": (
            [f"/api/v2/pages/?search={SEARCH}&limit=20&offset={o}" for o in range(0, 200, 20)],
            [f"/api/v2/pages/?{article}&search={SEARCH}&offset={o}" for o in range(0, 200, 20)],
        ),
    }


def median_run(runs):
    """Median of each measure over the rounds; errors summed."""
    middle = len(runs) // 2
    return {
        "rps": sorted(r["rps"] for r in runs)[middle],
        "p50": sorted(r["p50"] for r in runs)[middle],
        "p99": sorted(r["p99"] for r in runs)[middle],
        "errors": sum(r["errors"] for r in runs),
    }


# "no cache": GovPortal with its response cache off (GOVPORTAL_API_CACHE_ENTRIES=0),
# i.e. every request does the full work (version check, catalogue queries, serialisation).
SIDES = ("stock", "govportal", "no cache")
PORTS = {"stock": 8102, "govportal": 8101, "no cache": 8103}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stock-site", required=True, help="DIR/site made by stock-wagtail/make_site.sh")
    parser.add_argument("--stock-db", required=True, help="DATABASE_URL of the stock site's data")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=1, help="alternating rounds per scenario (median)")
    parser.add_argument("--only", default="", help="scenarios by first word: listing,child_of,detail,search")
    args = parser.parse_args()
    urls = scenarios(stock_ids(args.stock_site, args.stock_db))
    if args.only:
        urls = {k: v for k, v in urls.items() if k.split()[0] in args.only.split(",")}
    servers = {
        "stock": start_stock(PORTS["stock"], args.stock_site, args.stock_db),
        "govportal": start(PORTS["govportal"], "api_bench_settings"),
        "no cache": start(PORTS["no cache"], "api_bench_settings", GOVPORTAL_API_CACHE_ENTRIES="0"),
    }
    rows = []
    try:
        for name, (project_urls, stock_urls) in urls.items():
            side_urls = {"stock": stock_urls, "govportal": project_urls, "no cache": project_urls}
            results = {"load": os.getloadavg()[0]}
            runs = {side: [] for side in SIDES}
            for side in SIDES:
                load(PORTS[side], side_urls[side], 2)  # warm up: steady state, not the first misses
            # Sides alternate in every round, so a burst of noise on the shared cores hits all
            # of them alike; the table shows the median round of each side.
            for _ in range(args.rounds):
                for side in SIDES:
                    runs[side].append(load(PORTS[side], side_urls[side], args.seconds))
            for side in SIDES:
                results[side] = median_run(runs[side])
            results["load"] = f"{results['load']:.1f}-{os.getloadavg()[0]:.1f}"
            rows.append((name, results))
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait()
    from django.db import connection

    print(
        f"database: {connection.vendor}; load average (1 min) before-after each scenario in the last column"
    )
    print(
        f"{'scenario':18} {'side':10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'speed-up':>9}"
        f" {'load':>9}"
    )
    for name, results in rows:
        for side in SIDES:
            r = results[side]
            speed = r["rps"] / results["stock"]["rps"] if results["stock"]["rps"] else 0
            print(
                f"{name:18} {side:10} {r['rps']:8.1f} {r['p50']:8.1f} {r['p99']:8.1f} {r['errors']:7d} {speed:8.1f}x"
                f" {results['load']:>9}"
            )


if __name__ == "__main__":
    main()
