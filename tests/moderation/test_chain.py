"""The leadership chain over HTTP, through the real admin forms (issue 3)."""

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import WorkflowState

from moderation.chain import ChainTaskState
from pages.models import NewsPage
from tests.helpers import approve, create_item, current_task_state, send_back

pytestmark = pytest.mark.django_db

STEP_NAMES = ["保密审查及科室初审", "分管领导审批", "意识形态复核", "局长终审", "办公室发布"]
# The right person at each step, per department of the demo organisation.
RIGHT_PEOPLE = {
    "社会救助股": ["head_jiuzhu", "deputy_a", "ideology", "director", "operator"],
    "社会事务股": ["head_shiwu", "deputy_b", "ideology", "director", "operator"],
}
EVERYONE = [
    "director",
    "ideology",
    "deputy_a",
    "deputy_b",
    "head_jiuzhu",
    "staff_jiuzhu",
    "head_yanglao",
    "staff_yanglao",
    "head_shiwu",
    "staff_shiwu",
    "head_office",
    "operator",
    "admin",
    "secadmin",
    "auditor",
]


def _client(login, username):
    return login(username, client=Client())


def _submit(login, demo, department_name, staff, title):
    client = _client(login, staff)
    response = create_item(
        client, demo.columns["gongzuo-dongtai"], demo.departments[department_name], title=title
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = NewsPage.objects.get(title=title)
    assert not page.live
    return page


@pytest.mark.parametrize(
    "department_name,staff", [("社会救助股", "staff_jiuzhu"), ("社会事务股", "staff_shiwu")]
)
def test_item_walks_all_five_steps_by_the_right_people(login, demo, department_name, staff):
    page = _submit(login, demo, department_name, staff, f"{department_name}五步审批测试")
    for step, username in enumerate(RIGHT_PEOPLE[department_name]):
        task_state = current_task_state(page)
        assert task_state.task.name == STEP_NAMES[step]
        assert [u.username for u in task_state.approvers.all()] == [username]
        client = _client(login, username)
        queue = client.get("/admin/review/").content.decode()
        assert page.title in queue
        page.refresh_from_db()
        assert not page.live, "published before the chain completed"
        response = approve(client, task_state, comment=f"{STEP_NAMES[step]}：同意")
        assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert page.live and page.first_published_at is not None
    workflow_state = WorkflowState.objects.for_instance(page).get()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    form = _client(login, staff).get(f"/admin/review/form/{page.pk}/").content.decode()
    for name in STEP_NAMES:
        assert name in form
    assert "谭敏" in form  # the operator who published
    pdf = _client(login, staff).get(f"/admin/review/form/{page.pk}/?format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_every_wrong_person_is_refused_at_every_step(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "审批人矩阵测试")
    right = RIGHT_PEOPLE["社会救助股"]
    for step in range(5):
        task_state = current_task_state(page)
        for username in EVERYONE:
            if username == right[step]:
                continue
            response = approve(_client(login, username), task_state)
            assert response.status_code in (403,), (step, username, response.status_code)
            task_state.refresh_from_db()
            assert task_state.status == "in_progress", (step, username)
        assert "您不是此环节的审批人" in approve(_client(login, "admin"), task_state).content.decode()
        approve(_client(login, right[step]), task_state)
    page.refresh_from_db()
    assert page.live


def test_tampered_task_state_id_in_wagtail_action_url_is_refused(login, demo):
    # deputy_a is the approver of item A at step 2; item B (社会事务股) waits for deputy_b.
    page_a = _submit(login, demo, "社会救助股", "staff_jiuzhu", "篡改测试A")
    page_b = _submit(login, demo, "社会事务股", "staff_shiwu", "篡改测试B")
    approve(_client(login, "head_jiuzhu"), current_task_state(page_a))
    approve(_client(login, "head_shiwu"), current_task_state(page_b))
    state_b = current_task_state(page_b)
    client = _client(login, "deputy_a")
    url = f"/admin/pages/workflow/action/{page_a.pk}/approve/{state_b.pk}/"
    response = client.post(url, {"comment": "同意"})
    assert response.status_code in (403, 400, 302)
    state_b.refresh_from_db()
    assert state_b.status == "in_progress"
    # And through our own review URL.
    response = approve(client, state_b)
    assert response.status_code == 403
    state_b.refresh_from_db()
    assert state_b.status == "in_progress"


def test_head_approval_through_wagtails_own_action_view_confirms_the_review(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "保密审查确认测试")
    task_state = current_task_state(page)
    head = _client(login, "head_jiuzhu")
    url = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    response = head.post(url, {"comment": "同意发布"})
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == "approved" and task_state.confidentiality_confirmed
    assert current_task_state(page).task.name == "分管领导审批"
    # A wrong person through the same view is refused and nothing changes.
    step2 = current_task_state(page)
    response = _client(login, "deputy_b").post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{step2.pk}/", {"comment": "同意"}
    )
    assert response.status_code in (302, 403)
    step2.refresh_from_db()
    assert step2.status == "in_progress"
    form = head.get(f"/admin/review/form/{page.pk}/").content.decode()
    assert "已确认保密审查" in form


def test_send_back_and_resume_at_the_step_that_sent_it_back(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "退回修改测试")
    approve(_client(login, "head_jiuzhu"), current_task_state(page))
    step2 = current_task_state(page)
    response = send_back(_client(login, "deputy_a"), step2, "")
    assert response.status_code == 400  # a comment is required
    mail.outbox.clear()
    response = send_back(_client(login, "deputy_a"), step2, "请补充救助人数的统计口径。")
    assert response.status_code == 302
    workflow_state = WorkflowState.objects.for_instance(page).get()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    # The author is told why, by e-mail and in the admin.
    assert any("退回" in m.subject for m in mail.outbox)
    staff = _client(login, "staff_jiuzhu")
    assert "请补充救助人数的统计口径" in "".join(m.body for m in mail.outbox)
    # The author fixes and resubmits through the edit form: the chain resumes at step 2.
    from tests.helpers import news_form_data

    data = news_form_data(demo.departments["社会救助股"], title="退回修改测试", **{"action-submit": "1"})
    response = staff.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    resumed = current_task_state(page)
    assert resumed.task.name == "分管领导审批"
    assert [u.username for u in resumed.approvers.all()] == ["deputy_a"]
    states = ChainTaskState.objects.filter(workflow_state__object_id=str(page.pk)).order_by("pk")
    assert [s.status for s in states] == ["approved", "rejected", "in_progress"]
    form = staff.get(f"/admin/review/form/{page.pk}/").content.decode()
    assert "请补充救助人数的统计口径" in form


def test_content_locked_while_in_review(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "锁定测试")
    from tests.helpers import news_form_data

    data = news_form_data(demo.departments["社会救助股"], title="锁定测试（偷改）")
    for username in ("staff_jiuzhu", "admin"):
        _client(login, username).post(f"/admin/pages/{page.pk}/edit/", data)
        page.refresh_from_db()
        assert page.get_latest_revision().as_object().title == "锁定测试"


def test_superuser_cannot_publish_mid_chain(login, demo):
    from tests.helpers import news_form_data

    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "超级管理员绕过测试")
    admin = _client(login, "admin")
    data = news_form_data(
        demo.departments["社会救助股"], title="超级管理员绕过测试", **{"action-publish": "1"}
    )
    admin.post(f"/admin/pages/{page.pk}/edit/", data)
    page.refresh_from_db()
    assert not page.live
    # Bulk publish.
    admin.post(
        f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/",
        {"include_descendants": ""},
    )
    page.refresh_from_db()
    assert not page.live
    # Copy with "publish copies".
    column = demo.columns["gongzuo-dongtai"]
    admin.post(
        f"/admin/pages/{page.pk}/copy/",
        {
            "new_title": "复制件",
            "new_slug": "copy-test",
            "new_parent_page": column.pk,
            "publish_copies": "on",
        },
    )
    assert not NewsPage.objects.filter(title="复制件", live=True).exists()
    # Publishing the revision in code is refused too.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        page.get_latest_revision().publish(user=demo.users["admin"])


def test_failing_mail_backend_keeps_state_consistent(login, demo, settings):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "邮件失败测试")
    settings.EMAIL_BACKEND = "tests.moderation.failing_mail.FailingBackend"
    response = approve(_client(login, "head_jiuzhu"), current_task_state(page))
    assert response.status_code == 302
    task_state = current_task_state(page)
    assert task_state.task.name == "分管领导审批"
    from moderation.notifications import AdminNotification

    assert AdminNotification.objects.filter(
        user=demo.users["deputy_a"], message__contains="邮件失败测试"
    ).exists()


def test_delegation_used_inside_and_refused_outside_its_dates(login, demo):
    import datetime

    from django.utils import timezone

    from moderation.chain import Delegation

    today = timezone.localdate()
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "代为审批测试")
    approve(_client(login, "head_jiuzhu"), current_task_state(page))
    step2 = current_task_state(page)
    # A delegation that has ended does not count.
    Delegation.objects.create(
        principal=demo.users["deputy_a"],
        delegate=demo.users["deputy_b"],
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today - datetime.timedelta(days=1),
        reason="出差",
    )
    assert approve(_client(login, "deputy_b"), step2).status_code == 403
    # Set through the admin screen, for today.
    client = _client(login, "deputy_a")
    response = client.post(
        "/admin/review/delegations/",
        {
            "principal": demo.users["deputy_a"].pk,
            "delegate": demo.users["deputy_b"].pk,
            "starts_on": str(today),
            "ends_on": str(today + datetime.timedelta(days=3)),
            "reason": "参加培训",
        },
    )
    assert response.status_code == 302
    delegate = _client(login, "deputy_b")
    assert page.title in delegate.get("/admin/review/").content.decode()
    assert approve(delegate, step2).status_code == 302
    step2.refresh_from_db()
    assert step2.status == "approved"
    assert step2.finished_by.username == "deputy_b" and step2.acting_for.username == "deputy_a"
    form = client.get(f"/admin/review/form/{page.pk}/").content.decode()
    assert "代王秀兰" in form


def test_organisation_change_does_not_reroute_an_item_in_review(login, demo):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "路由快照测试")
    approve(_client(login, "head_jiuzhu"), current_task_state(page))
    department = demo.departments["社会救助股"]
    department.supervising_leader = demo.users["deputy_b"]
    department.save()
    step2 = current_task_state(page)
    assert [u.username for u in step2.approvers.all()] == ["deputy_a"]
    # The administrator reassigns with a recorded reason.
    admin = _client(login, "admin")
    response = admin.post(
        f"/admin/review/{step2.pk}/reassign/",
        {"approvers": [demo.users["deputy_b"].pk], "reason": "分管调整"},
    )
    assert response.status_code == 302
    assert [u.username for u in step2.approvers.all()] == ["deputy_b"]
    from wagtail.models import PageLogEntry

    assert PageLogEntry.objects.filter(page=page, action="govportal.reassign").exists()


def test_only_administrator_withdraws_with_reason(login, demo):
    page = NewsPage.objects.live().filter(department=demo.departments["社会救助股"]).first()
    # Wagtail's own unpublish route takes no reason: refused for everyone, the administrator too.
    for username in ("operator", "admin"):
        _client(login, username).post(f"/admin/pages/{page.pk}/unpublish/", {"reason": "过期"})
        page.refresh_from_db()
        assert page.live
    assert (
        _client(login, "operator").post(f"/admin/withdraw/{page.pk}/", {"reason": "过期"}).status_code == 403
    )
    admin = _client(login, "admin")
    response = admin.post(f"/admin/withdraw/{page.pk}/", {"reason": ""})
    assert response.status_code == 400 and "请填写理由" in response.content.decode()
    page.refresh_from_db()
    assert page.live
    assert admin.post(f"/admin/withdraw/{page.pk}/", {"reason": "信息已过期"}).status_code == 302
    page.refresh_from_db()
    assert not page.live
    from wagtail.models import PageLogEntry

    entry = PageLogEntry.objects.get(page=page, action="govportal.withdraw")
    assert entry.data["reason"] == "信息已过期"


def _to_step_five(login, demo, title):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", title)
    for username in RIGHT_PEOPLE["社会救助股"][:4]:
        approve(_client(login, username), current_task_state(page))
    assert current_task_state(page).task.name == "办公室发布"
    return page


def test_operator_typesets_at_step_five_and_the_difference_is_shown(login, demo):
    from tests.helpers import news_form_data

    page = _to_step_five(login, demo, "排版差异测试")
    director_revision = page.get_latest_revision()
    operator = _client(login, "operator")
    data = news_form_data(demo.departments["社会救助股"], title="排版差异测试", topic="assistance")
    response = operator.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision().pk != director_revision.pk
    approve(operator, current_task_state(page), comment="已排版")
    page.refresh_from_db()
    assert page.live and page.topic == "assistance"
    form = operator.get(f"/admin/review/form/{page.pk}/").content.decode()
    assert "查看差异" in form and f"{director_revision.pk}" in form


def test_future_go_live_schedules_instead_of_publishing(login, demo):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    page = _to_step_five(login, demo, "定时发布测试")
    revision = page.get_latest_revision()
    content = revision.content
    go_live = timezone.now() + datetime.timedelta(hours=2)
    content["go_live_at"] = go_live.isoformat()
    revision.content = content
    revision.save()
    NewsPage.objects.filter(pk=page.pk).update(go_live_at=go_live)
    approve(_client(login, "operator"), current_task_state(page))
    page.refresh_from_db()
    assert not page.live
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    # Later, the scheduler publishes the cleared revision.
    from wagtail.models import Revision

    past = timezone.now() - datetime.timedelta(minutes=1)
    content["go_live_at"] = past.isoformat()
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=past, content=content)
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live


def test_published_item_changed_later_goes_through_the_chain_again(login, demo):
    from tests.helpers import news_form_data

    page = _to_step_five(login, demo, "修改已发布信息测试")
    approve(_client(login, "operator"), current_task_state(page))
    page.refresh_from_db()
    assert page.live
    staff = _client(login, "staff_jiuzhu")
    data = news_form_data(demo.departments["社会救助股"], title="修改已发布信息测试（更正）")
    staff.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-publish": "1"})
    page.refresh_from_db()
    assert page.title == "修改已发布信息测试"
    response = staff.post(f"/admin/pages/{page.pk}/edit/", {**data, "action-submit": "1"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "修改已发布信息测试" and page.live
    assert current_task_state(page).task.name == "保密审查及科室初审"


def test_approvers_are_told_in_the_admin_and_can_mark_messages_read(login, demo):
    from moderation.notifications import AdminNotification

    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", "站内消息测试")
    head = _client(login, "head_jiuzhu")
    dashboard = head.get("/admin/").content.decode()
    assert "站内消息测试" in dashboard and "消息提醒" in dashboard
    # Only the head of the item's department is told, not every head.
    assert not AdminNotification.objects.filter(
        user=demo.users["head_shiwu"], message__contains="站内消息测试"
    ).exists()
    head.post("/admin/notifications/read/")
    assert not AdminNotification.objects.filter(user=demo.users["head_jiuzhu"], read_at__isnull=True).exists()
    assert page.title not in head.get("/admin/").content.decode().split("消息提醒")[-1].split("</section>")[0]
