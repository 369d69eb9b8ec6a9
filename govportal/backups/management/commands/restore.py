from django.core.management.base import BaseCommand, CommandError

from govportal.backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = "把 backup 生成的备份恢复到空实例（空数据库、空媒体目录）"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 文件")
        parser.add_argument("--force", action="store_true", help="覆盖非空的数据库和媒体目录")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["archive"], force=options["force"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"已恢复 {manifest['created_at']} 的备份。")
