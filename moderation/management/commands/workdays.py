"""``workdays``: the official working-day calendar on the command line (DESIGN.md §2)."""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from moderation.calendar import (
    CalendarImportError,
    calendar_status,
    import_calendar,
    read_calendar_file,
    working_days_after,
    working_days_between,
)


def _date(value):
    try:
        if len(value) == 10:
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise CommandError(f"日期“{value}”无效，应为 YYYY-MM-DD（如 2026-10-09）")


def _int(value):
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"工作日数“{value}”无效，应为整数（可为负数）") from None


class Command(BaseCommand):
    help = (
        "Official working days: `add YYYY-MM-DD N` (N<0: before), `between A B`, "
        "`import FILE` (lines `year,YYYY` and `YYYY-MM-DD,holiday|workday,名称`), `status`."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,between,import,status}")
        add = sub.add_parser("add", help="the date N working days after (N<0: before) a date")
        add.add_argument("date")
        # A string so that a negative N is not taken for an option.
        add.add_argument("n")
        between = sub.add_parser("between", help="working days after A up to and including B")
        between.add_argument("a")
        between.add_argument("b")
        imp = sub.add_parser("import", help="load a year's official holidays and make-up days")
        imp.add_argument("file")
        sub.add_parser("status", help="list the loaded years")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def handle_add(self, date, n, **options):
        try:
            day, provisional = working_days_after(_date(date), _int(n))
        except OverflowError:
            raise CommandError("结果超出可表示的日期范围") from None
        self.stdout.write(f"{day:%Y-%m-%d}" + (" provisional" if provisional else ""))

    def handle_between(self, a, b, **options):
        count, _ = working_days_between(_date(a), _date(b))
        self.stdout.write(str(count))

    def handle_import(self, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            years = import_calendar(read_calendar_file(path), source=f"文件 {path.name}")
        except CalendarImportError as error:
            raise CommandError(f"{path.name} 未导入：{error}") from None
        self.stdout.write(f"已导入 {'、'.join(str(y) for y in years)} 年的节假日与调休安排（{path.name}）")

    def handle_status(self, **options):
        rows = calendar_status()
        if not rows:
            self.stdout.write("尚未载入任何年度的工作日安排")
            return
        for row in rows:
            self.stdout.write(
                f"{row.year}  节假日 {row.holidays} 天  调休上班 {row.workdays} 天  "
                f"来源：{row.source or '后台录入'}  载入时间：{row.loaded_at:%Y-%m-%d %H:%M}"
            )
