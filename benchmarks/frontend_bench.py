"""Throughput of the public front end against stock Wagtail rendering the same pages from
Django templates (benchmarks/frontend_stock/), on the same data in the same run.

    .venv/bin/python benchmarks/frontend_bench.py [--seconds 10] [--concurrency 8] [--items N]

Builds a fresh SQLite database (migrate + seed_demo, plus --items generated news items), then
starts: the CMS API (gunicorn, 4 workers, feeding the front end), stock Wagtail (gunicorn,
1 worker, 8 threads) and the front end (uvicorn, 1 worker). Each page is loaded for --seconds
at the given concurrency; the front end is measured with its in-process cache warm (how it
runs) and with the cache disabled (every request calls the API)."""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import free_port, wait_for  # noqa: E402


async def _get(reader, writer, request):
    """One keep-alive HTTP/1.1 GET on an open connection: (status, body length)."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    elif b"chunked" in head.lower():
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def load(url, seconds, concurrency):
    """Closed-loop load: `concurrency` keep-alive connections, each sending one request after
    the other. A bare asyncio client, so the load generator is not what is being measured."""
    parts = urlsplit(url)
    target = quote(parts.path, safe="/%") + (f"?{parts.query}" if parts.query else "")
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept-Encoding: gzip\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode()
    latencies, errors = [], 0
    deadline = time.perf_counter() + seconds

    async def worker():
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                status = await _get(reader, writer, request)
                latencies.append(time.perf_counter() - started)
                errors += status != 200
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "n": len(latencies),
        "errors": errors,
    }


def start(args, env, log):
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--items", type=int, default=0, help="extra generated items (seed_demo --items)")
    options = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="fe-bench-"))
    py = sys.executable
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.frontend_stock.settings",
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "GOVPORTAL_MEDIA_ROOT": str(tmp / "media"),
        "PYTHONPATH": str(ROOT),
    }
    print("准备数据库 …", flush=True)
    subprocess.run([py, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    seed = [py, "manage.py", "seed_demo"] + (["--items", str(options.items)] if options.items else [])
    subprocess.run(seed, cwd=ROOT, env=env, check=True, capture_output=True)

    api_port, stock_port, site_port, raw_port = free_port(), free_port(), free_port(), free_port()
    api_url = f"http://127.0.0.1:{api_port}/api/v2/"
    log = open(tmp / "servers.log", "w")
    gunicorn = [py, "-m", "gunicorn", "govportal.wsgi:application", "--log-level", "warning"]
    processes = [
        start([*gunicorn, "-b", f"127.0.0.1:{api_port}", "-w", "4"], env, log),
        start([*gunicorn, "-b", f"127.0.0.1:{stock_port}", "-w", "1", "--threads", "8"], env, log),
    ]
    site_env = {**os.environ, "GOVPORTAL_API_URL": api_url}
    processes.append(start([py, "-m", "frontend", "--port", str(site_port)], site_env, log))
    raw_env = {**site_env, "GOVPORTAL_CACHE_TTL": "-1"}  # every request asks the API
    processes.append(start([py, "-m", "frontend", "--port", str(raw_port)], raw_env, log))
    try:
        wait_for(f"{api_url}site/", processes[0])
        wait_for(f"http://127.0.0.1:{stock_port}/", processes[1])
        wait_for(f"http://127.0.0.1:{site_port}/wuzhangai/", processes[2])
        wait_for(f"http://127.0.0.1:{raw_port}/wuzhangai/", processes[3])
        item = httpx.get(f"{api_url}pages/", params={"type": "pages.NewsPage", "limit": 1}).json()["items"][0]
        pages = {"home": "/", "column": "/yaowen/gongzuo-dongtai/", "item": item["meta"]["html_path"]}
        rows = []
        for name, path in pages.items():
            results = {}
            for label, port in (
                ("stock", stock_port),
                ("frontend", site_port),
                ("frontend-nocache", raw_port),
            ):
                url = f"http://127.0.0.1:{port}{path}"
                assert httpx.get(url).status_code == 200, url
                asyncio.run(load(url, 1, options.concurrency))  # warm up
                results[label] = asyncio.run(load(url, options.seconds, options.concurrency))
            rows.append((name, results))
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(10)

    print(f"\nconcurrency {options.concurrency}, {options.seconds:.0f} s per measurement\n")
    print(
        "| page | stock Wagtail req/s | p99 ms | front end req/s | p99 ms | speed-up | front end, no cache req/s | p99 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        s, f, n = r["stock"], r["frontend"], r["frontend-nocache"]
        print(
            f"| {name} | {s['rps']:.0f} | {s['p99']:.1f} | {f['rps']:.0f} | {f['p99']:.1f} | "
            f"{f['rps'] / s['rps']:.1f}× | {n['rps']:.0f} | {n['p99']:.1f} |"
        )
    errors = sum(r[k]["errors"] for _, r in rows for k in r)
    print(f"\nerrors: {errors}")


if __name__ == "__main__":
    main()
