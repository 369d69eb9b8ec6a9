"""Send the due reminders once: deadlines near or past, columns about to go stale. Run it
periodically (``make run`` loops it; production: cron or a systemd timer, see README)."""

from django.core.management.base import BaseCommand

from reports.reminders import deadline_reminders, freshness_reminders, question_alerts


class Command(BaseCommand):
    help = "发送发布时限提醒、超期通报和栏目更新预警（每条只发送一次）。"

    def handle(self, *args, **options):
        deadlines = deadline_reminders()
        questions = question_alerts()
        columns = freshness_reminders()
        self.stdout.write(
            f"发布时限提醒 {deadlines} 条，久未答复留言通报 {questions} 条，栏目更新预警 {columns} 条。"
        )
