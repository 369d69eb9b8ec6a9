"""Reminders and escalation (run periodically by ``manage.py send_reminders``): whoever holds an
item whose publication deadline is near is reminded, the Office is told when it is overdue, and
the Office and the responsible heads are warned of columns about to go stale. Each reminder is
sent once (a Reminder row per kind and key), by e-mail and as an admin notice."""

import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from govportal.accounts.roles import OPERATORS_GROUP
from moderation.chain import ChainTaskState
from moderation.deadlines import Urgency, deadline_for
from moderation.desk import SubmissionRecord
from moderation.notifications import notify
from pages.models import QuestionPage

from .freshness import Level, attention_list
from .models import Reminder

# A question unanswered for more than 3 months fails the inspection (STANDARDS §2); the Office
# hears of it a month before, however the reply deadline was handled.
QUESTION_ALERT_DAYS = 60
PENDING_STATES = [
    SubmissionRecord.State.DRAFT,
    SubmissionRecord.State.IN_REVIEW,
    SubmissionRecord.State.RETURNED,
]


def office_people():
    """Operators and the heads of the General Office: the website working group's office."""
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(groups__name=OPERATORS_GROUP)
        .union(get_user_model().objects.filter(is_active=True, headed_departments__is_general_office=True))
    )


def send_once(kind, key, users, subject, message, url=""):
    """Send (e-mail + admin notice) unless this kind and key was sent before; True if sent."""
    users = [u for u in {u.pk: u for u in users if u is not None}.values() if u.is_active]
    try:
        with transaction.atomic():
            Reminder.objects.create(
                kind=kind,
                key=key,
                subject=subject[:300],
                recipients="、".join(u.display_name for u in users),
            )
            notify(users, subject, message, url)
    except IntegrityError:
        return False
    return True


def freshness_reminders(today=None):
    """One warning per column and level and last update (a new item starts a new cycle)."""
    today = today or timezone.localdate()
    office = office_people()
    sent = 0
    for row in attention_list(today=today):
        heads = [head for department in row.departments for head in department.heads.all()]
        sent += send_once(
            Reminder.Kind.FRESHNESS,
            row.key,
            heads + office,
            f"栏目更新预警：{row.title}（{row.level_label}）",
            freshness_message(row),
            reverse("reports_freshness"),
        )
    return sent


def freshness_message(row):
    if row.level == Level.EMPTY:
        return f"栏目“{row.title}”从未发布信息，属于空白栏目（5 个空白栏目即单项否决），请尽快补充内容。"
    if row.level == Level.STALE:
        return f"栏目“{row.title}”已 {row.days_since} 天未更新，超过 {row.limit} 天的更新时限，请尽快更新。"
    return (
        f"栏目“{row.title}”已 {row.days_since} 天未更新，将于 {row.stale_on:%Y-%m-%d} 超过 {row.limit} 天的"
        f"更新时限（还剩 {row.days_left} 天），请及时报送新信息。"
    )


def deadline_reminders(today=None):
    """Near the deadline: remind whoever holds the item. Overdue: tell the Office too."""
    today = today or timezone.localdate()
    office = office_people()
    sent = 0
    pages = Page.objects.filter(
        pk__in=SubmissionRecord.objects.filter(state__in=PENDING_STATES).values("page_id")
    ).specific()
    for page in pages:
        deadline = deadline_for(page, today)
        if deadline.urgency == Urgency.OK:
            continue
        holders = holders_of(page)
        url = reverse("wagtailadmin_pages:edit", args=[page.pk])
        if deadline.urgency == Urgency.OVERDUE:
            sent += send_once(
                Reminder.Kind.DEADLINE_OVERDUE,
                f"{page.pk}:{deadline.due}",
                holders + office,
                f"已超过发布时限：“{page.title}”",
                f"“{page.title}”（{page.department.name}）{deadline.label}，{deadline.rule}。",
                url,
            )
        else:
            sent += send_once(
                Reminder.Kind.DEADLINE_SOON,
                f"{page.pk}:{deadline.due}",
                holders,
                f"发布时限临近：“{page.title}”",
                f"“{page.title}”{deadline.label}，{deadline.rule}，请及时办理。",
                url,
            )
    return sent


def holders_of(page):
    """Who holds an item now: the approvers of its current step while in review, else its author."""
    workflow_state = WorkflowState.objects.for_instance(page).active().first()
    if workflow_state is not None and workflow_state.current_task_state_id:
        task_state = ChainTaskState.objects.filter(pk=workflow_state.current_task_state_id).first()
        if task_state is not None:
            return list(task_state.approvers.all())
    return [page.owner] if page.owner_id else list(page.department.heads.all())


def question_alerts(today=None):
    """Questions still unanswered QUESTION_ALERT_DAYS after receipt: the Office and the
    department's heads, once per question."""
    today = today or timezone.localdate()
    office = office_people()
    sent = 0
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=QUESTION_ALERT_DAYS), datetime.time.max)
    )
    pending = SubmissionRecord.objects.filter(state__in=PENDING_STATES).values("page_id")
    for question in QuestionPage.objects.filter(pk__in=pending, asked_at__lte=cutoff).select_related(
        "department"
    ):
        days = (today - timezone.localdate(question.asked_at)).days
        sent += send_once(
            Reminder.Kind.QUESTION_UNANSWERED,
            str(question.pk),
            [*question.department.heads.all(), *office],
            f"群众留言已 {days} 天未答复：“{question.title}”",
            f"群众留言“{question.title}”（{question.department.name}）已 {days} 天未答复；"
            "超过 3 个月未答复即为单项否决，请立即办理。",
            reverse("wagtailadmin_pages:edit", args=[question.pk]),
        )
    return sent
