from django.core.management.base import BaseCommand, CommandError

from govportal.backups.archive import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库（PostgreSQL 用 pg_dump，SQLite 在线复制）和媒体文件，写成一个 .tar.gz"

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="backups", help="备份文件存放目录（默认 backups/）")

    def handle(self, *args, **options):
        try:
            path = create_backup(options["dir"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
