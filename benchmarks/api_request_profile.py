"""Time of one API request in one process, through the WSGI application as gunicorn calls it
(no HTTP server, no client): what the project's own code and Django cost per request, with the
response cache off. Compare builds by alternating runs (the machine's speed drifts):

    DATABASE_URL=postgres://…/gp20k .venv/bin/python benchmarks/api_request_profile.py detail
    DATABASE_URL=postgres://…/gp20k .venv/bin/python benchmarks/api_request_profile.py listing --profile

Prints milliseconds per request over --requests requests (after 300 to warm up), rotating
over 2,000 public items (detail) or offsets 0–980 of the news listing (listing); --profile
adds cProfile's top functions."""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["detail", "listing"])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "api_bench_settings"
    os.environ["GOVPORTAL_API_CACHE_ENTRIES"] = "0"
    import govportal.wsgi
    from govportal.api.models import PublicDocument

    ids = list(PublicDocument.objects.filter(is_item=True).values_list("page_id", flat=True)[:2000])

    def url(i):
        if args.kind == "detail":
            return f"/api/v2/pages/{ids[i % len(ids)]}/", ""
        return "/api/v2/pages/", f"type=pages.NewsPage&offset={(i * 20) % 1000}&limit=20"

    def call(i):
        path, query = url(i)
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status = []
        b"".join(govportal.wsgi.application(environ, lambda s, h, *a: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}?{query}: {status[0]}")

    for i in range(300):
        call(i)
    started = time.perf_counter()
    for i in range(args.requests):
        call(i)
    print(f"{args.kind}: {(time.perf_counter() - started) / args.requests * 1000:.3f} ms per request")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.requests):
            call(i)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
