"""`python -m frontend [--host H] [--port P]` serves the public site;
`python -m frontend export DIR` writes it as static files."""

import argparse
import logging
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m frontend", description="政务网站公众前台")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workers", type=int, default=1)
    commands = parser.add_subparsers(dest="command")
    export = commands.add_parser("export", help="把整个网站导出为静态文件")
    export.add_argument("directory")
    export.add_argument("--concurrency", type=int, default=8)
    export.add_argument("--quiet", action="store_true", help="不显示进度条")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    if args.command == "export":
        from .export import run_export

        return run_export(args.directory, concurrency=args.concurrency, progress=not args.quiet)

    import uvicorn

    from .config import Settings

    if not Settings.from_env().purge_secret:
        # The CMS signs purge calls with this secret; without it a deployment would either run
        # with no purge or with a guessable one. `make run` passes the CMS's generated file.
        parser.exit(
            2,
            "未设置 GOVPORTAL_PURGE_SECRET（或 GOVPORTAL_PURGE_SECRET_FILE），前台拒绝启动。"
            "请设置与 CMS 相同的清除缓存密钥。\n",
        )

    uvicorn.run(
        "frontend.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="warning",
        proxy_headers=False,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
