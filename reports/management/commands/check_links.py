"""Check every link, image and attachment of published items (external links with a timeout
and bounded concurrency), store the broken ones and print the error-link rate."""

from django.core.management.base import BaseCommand, CommandError

from reports.links import run_check


class Command(BaseCommand):
    help = "检查已发布信息的站内链接、图片、附件和外部链接，记录错误链接并计算错误链接率。"

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10.0, help="外部链接超时秒数（默认 10）")
        parser.add_argument("--concurrency", type=int, default=8, help="同时检查的外部链接数（默认 8）")
        parser.add_argument("--internal-only", action="store_true", help="只检查本站链接（内网演示环境）")

    def handle(self, *args, timeout, concurrency, internal_only=False, **options):
        if timeout <= 0 or concurrency < 1:
            raise CommandError("超时须大于 0，并发数至少为 1。")
        run = run_check(
            timeout=timeout,
            concurrency=concurrency,
            progress_file=self.stderr._out,
            external=not internal_only,
        )
        self.stdout.write(
            f"检查链接 {run.checked} 个，错误链接 {run.broken} 个，错误链接率 {run.error_rate:.2%}。"
        )
