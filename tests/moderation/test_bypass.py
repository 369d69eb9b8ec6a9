"""先审查后公开 by construction (issue 10): the holes found by trying every route as an attacker,
each tried again over HTTP and checked in the database afterwards."""

import datetime
import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, Task, WorkflowState

from govportal.accounts.roles import LEADERS_GROUP
from moderation.chain import ChainClearance, ChainRouting, ChainTaskState, Delegation
from moderation.desk import SubmissionRecord
from moderation.models import BureauLeadership
from moderation.withdrawal import Withdrawal
from pages.models import NewsPage
from tests.helpers import approve, current_task_state, news_form_data, send_back
from tests.moderation.test_chain import RIGHT_PEOPLE, _client, _submit, _to_step_five

pytestmark = pytest.mark.django_db

JUNK = "这是已撤回的内部初稿，含内部意见。"


def _api_action(client, page, action, body=None):
    return client.post(
        f"/admin/api/main/pages/{page.pk}/action/{action}/",
        data=json.dumps(body or {}),
        content_type="application/json",
    )


def _at_step_two(login, demo, title):
    page = _submit(login, demo, "社会救助股", "staff_jiuzhu", title)
    approve(_client(login, "head_jiuzhu"), current_task_state(page))
    assert current_task_state(page).task.name == "分管领导审批"
    return page


def test_admin_api_page_actions_are_not_mounted(login, demo):
    page = _at_step_two(login, demo, "管理接口发布测试")
    live = NewsPage.objects.live().filter(department=demo.departments["社会救助股"]).first()
    for username in ("admin", "operator", "staff_jiuzhu"):
        client = _client(login, username)
        for target in (page, live):
            for action in (
                "publish",
                "revert_to_page_revision",
                "unpublish",
                "delete",
                "create_alias",
                "move",
            ):
                assert _api_action(client, target, action).status_code == 404
    page.refresh_from_db()
    live.refresh_from_db()
    assert not page.live and live.live
    assert current_task_state(page).task.name == "分管领导审批"


def test_revert_while_in_review_is_refused_everywhere(login, demo):
    # The author saves a first draft with an internal remark, then the clean text is submitted.
    staff = _client(login, "staff_jiuzhu")
    column = demo.columns["gongzuo-dongtai"]
    data = news_form_data(demo.departments["社会救助股"], title="恢复版本测试")
    data["body"] = json.dumps(
        {
            "blocks": [
                {
                    "key": "a",
                    "type": "unstyled",
                    "text": JUNK,
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }  # fmt: skip
    )
    assert staff.post(f"/admin/pages/add/pages/newspage/{column.pk}/", data).status_code == 302
    page = NewsPage.objects.get(title="恢复版本测试")
    junk_revision = page.get_latest_revision()
    submitted = news_form_data(demo.departments["社会救助股"], title="恢复版本测试", **{"action-submit": "1"})
    assert staff.post(f"/admin/pages/{page.pk}/edit/", submitted).status_code == 302
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    for username in ("staff_jiuzhu", "head_jiuzhu", "operator", "admin"):
        client = _client(login, username)
        client.post(f"/admin/pages/{page.pk}/revisions/{junk_revision.pk}/revert/", {})
        revert_form = news_form_data(demo.departments["社会救助股"], title="恢复版本测试")
        revert_form["body"] = data["body"]
        revert_form["revision"] = str(junk_revision.pk)
        client.post(f"/admin/pages/{page.pk}/edit/", revert_form)
        _api_action(client, page, "revert_to_page_revision", {"revision_id": junk_revision.pk})
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    page.refresh_from_db()
    assert current_task_state(page).revision_id == page.latest_revision_id
    assert JUNK not in json.dumps(page.get_latest_revision().content, ensure_ascii=False)
    # In code, too: the model refuses a revision while the item is locked in review.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        page.specific.save_revision(user=demo.users["admin"])


def test_bulk_unpublish_and_delete_are_refused(login, demo):
    live = list(NewsPage.objects.live().filter(department=demo.departments["社会救助股"])[:2])
    ids = "&".join(f"id={p.pk}" for p in live)
    for username in ("admin", "operator"):
        client = _client(login, username)
        for action in ("unpublish", "delete", "publish", "move"):
            client.post(f"/admin/bulk/wagtailcore/page/{action}/?{ids}", {"include_descendants": "on"})
    for page in live:
        page.refresh_from_db()
        assert page.live


def test_withdraw_keeps_every_record_and_the_form_prints(login, demo):
    page = NewsPage.objects.live().filter(department=demo.departments["社会救助股"]).first()
    states = ChainTaskState.objects.filter(workflow_state__object_id=str(page.pk)).count()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    assert states >= 5
    admin = _client(login, "admin")
    # Outright deletion of a published item is refused on every route, the administrator's too.
    admin.post(f"/admin/pages/{page.pk}/delete/", {})
    admin.post(f"/admin/bulk/wagtailcore/page/delete/?id={page.pk}", {})
    assert NewsPage.objects.filter(pk=page.pk).exists()
    response = admin.post(f"/admin/withdraw/{page.pk}/", {"reason": "政策已调整，信息失效"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert ChainTaskState.objects.filter(workflow_state__object_id=str(page.pk)).count() == states
    assert Revision.objects.filter(object_id=str(page.pk)).count() == revisions
    assert ChainRouting.objects.filter(workflow_state__object_id=str(page.pk)).exists()
    assert SubmissionRecord.objects.get(page_id=page.pk).published_at is not None
    assert Withdrawal.objects.get(page=page).reason == "政策已调整，信息失效"
    form = admin.get(f"/admin/review/form/{page.pk}/")
    assert form.status_code == 200 and "已撤回" in form.content.decode()
    assert admin.get(f"/admin/review/form/{page.pk}/?format=pdf").status_code == 200
    # The public API no longer serves it.
    assert Client().get(f"/api/v2/pages/{page.pk}/").status_code == 404
    # Publishing the same cleared revision again needs a new pass through the chain.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        page.get_latest_revision().publish(user=demo.users["admin"])
    # Purge only after the retention period.
    response = admin.post(f"/admin/withdraw/{page.pk}/purge/", {"reason": "清理"})
    assert response.status_code == 403 and "未满保存期限" in response.content.decode()
    assert NewsPage.objects.filter(pk=page.pk).exists()
    Withdrawal.objects.filter(page=page).update(
        withdrawn_at=timezone.now() - datetime.timedelta(days=365 * 3 + 2)
    )
    assert (
        _client(login, "operator").post(f"/admin/withdraw/{page.pk}/purge/", {"reason": "x"}).status_code
        == 403
    )
    assert admin.post(f"/admin/withdraw/{page.pk}/purge/", {"reason": "保存期满清理"}).status_code == 302
    assert not NewsPage.objects.filter(pk=page.pk).exists()
    assert PageLogEntry.objects.filter(page_id=page.pk, action="govportal.purge").exists()


def test_a_never_submitted_draft_can_be_deleted_by_its_department(login, demo):
    staff = _client(login, "staff_jiuzhu")
    column = demo.columns["gongzuo-dongtai"]
    data = news_form_data(demo.departments["社会救助股"], title="草稿删除测试")
    assert staff.post(f"/admin/pages/add/pages/newspage/{column.pk}/", data).status_code == 302
    page = NewsPage.objects.get(title="草稿删除测试")
    assert staff.post(f"/admin/pages/{page.pk}/delete/", {}).status_code == 302
    assert not NewsPage.objects.filter(pk=page.pk).exists()


def test_the_author_never_acts_on_a_step(login, demo):
    # The head drafts an item of their own department: they cannot approve step 1.
    page = _submit(login, demo, "社会救助股", "head_jiuzhu", "负责人自拟稿件")
    task_state = current_task_state(page)
    response = approve(_client(login, "head_jiuzhu"), task_state)
    assert response.status_code == 403
    assert "您是该稿件的作者，不能审批本稿件" in response.content.decode()
    assert page.title not in _client(login, "head_jiuzhu").get("/admin/review/").content.decode()
    task_state.refresh_from_db()
    assert task_state.status == "in_progress"


def test_self_approval_by_delegation_and_reassignment_is_refused(login, demo):
    page = _at_step_two(login, demo, "自审测试")
    step2 = current_task_state(page)
    admin = _client(login, "admin")
    response = admin.post(
        f"/admin/review/{step2.pk}/reassign/",
        {"approvers": [demo.users["staff_jiuzhu"].pk], "reason": "分管领导出差"},
    )
    assert "是该稿件的作者或修改过待审内容" in response.content.decode()
    assert [u.username for u in step2.approvers.all()] == ["deputy_a"]
    # A delegation to the author exists (made for other work): it does not let them approve.
    today = timezone.localdate()
    Delegation.objects.create(
        principal=demo.users["deputy_a"],
        delegate=demo.users["staff_jiuzhu"],
        starts_on=today,
        ends_on=today,
        reason="出差",
    )
    response = approve(_client(login, "staff_jiuzhu"), step2)
    assert response.status_code == 403
    step2.refresh_from_db()
    assert step2.status == "in_progress"
    # Delegation to an account that cannot act in the admin is refused with the reason.
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user("outsider", password=demo.password, last_name="钱")
    response = _client(login, "deputy_a").post(
        "/admin/review/delegations/",
        {
            "principal": demo.users["deputy_a"].pk,
            "delegate": outsider.pk,
            "starts_on": str(today),
            "ends_on": str(today),
            "reason": "培训",
        },
    )
    assert "没有后台访问权限" in response.content.decode()
    assert not Delegation.objects.filter(delegate=outsider).exists()


def test_changed_resubmission_restarts_at_step_one_with_the_difference(login, demo):
    page = _at_step_two(login, demo, "修改后重审测试")
    approve(_client(login, "deputy_a"), current_task_state(page))
    send_back(_client(login, "ideology"), current_task_state(page), "表述需调整。")
    changed = news_form_data(
        demo.departments["社会救助股"], title="修改后重审测试（修订）", **{"action-submit": "1"}
    )
    assert _client(login, "staff_jiuzhu").post(f"/admin/pages/{page.pk}/edit/", changed).status_code == 302
    task_state = current_task_state(page)
    assert task_state.task.name == "保密审查及科室初审"
    review = _client(login, "head_jiuzhu").get(f"/admin/review/{task_state.pk}/").content.decode()
    assert "与本环节上次审批的版本相比" in review and "（修订）" in review
    # Every step runs again in order, each approver seeing the change.
    steps = ["保密审查及科室初审", "分管领导审批", "意识形态复核", "局长终审"]
    for username, step in zip(RIGHT_PEOPLE["社会救助股"][:4], steps, strict=True):
        task_state = current_task_state(page)
        assert task_state.task.name == step
        approve(_client(login, username), task_state)
    assert current_task_state(page).task.name == "办公室发布"
    assert PageLogEntry.objects.filter(page=page, action="govportal.restart_changed").exists()


def test_step_five_text_change_goes_back_to_the_director(login, demo):
    page = _to_step_five(login, demo, "发布前改字测试")
    operator = _client(login, "operator")
    data = news_form_data(demo.departments["社会救助股"], title="发布前改字测试（操作员改）")
    assert operator.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    response = approve(operator, current_task_state(page))
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    task_state = current_task_state(page)
    assert task_state.task.name == "局长终审"
    review = _client(login, "director").get(f"/admin/review/{task_state.pk}/").content.decode()
    assert "操作员改" in review
    approve(_client(login, "director"), task_state)
    assert current_task_state(page).task.name == "办公室发布"
    approve(operator, current_task_state(page))
    page.refresh_from_db()
    assert page.live and page.title == "发布前改字测试（操作员改）"


def test_step_five_typesetting_is_published_with_the_diff(login, demo):
    page = _to_step_five(login, demo, "发布前排版测试")
    operator = _client(login, "operator")
    data = news_form_data(demo.departments["社会救助股"], title="发布前排版测试", topic="assistance")
    assert operator.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    approve(operator, current_task_state(page))
    page.refresh_from_db()
    assert page.live and page.topic == "assistance"


def test_step_five_changes_are_scanned(login, demo):
    page = _to_step_five(login, demo, "发布前扫描测试")
    operator = _client(login, "operator")
    data = news_form_data(demo.departments["社会救助股"], title="发布前扫描测试")
    data["body"] = json.dumps(
        {
            "blocks": [
                {
                    "key": "a",
                    "type": "unstyled",
                    "text": "联系人身份证号 11010519491231002X",
                    "depth": 0,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                }
            ],
            "entityMap": {},
        }  # fmt: skip
    )
    assert operator.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    response = approve(operator, current_task_state(page))
    assert response.status_code == 403 and "自动检查发现" in response.content.decode()
    page.refresh_from_db()
    assert not page.live
    assert not ChainClearance.objects.filter(revision__object_id=str(page.pk)).exists()


def test_disabled_steps_do_not_shorten_the_chain(login, demo):
    # Even if someone switches the ideology and Director steps off in the workflow settings,
    # the operator's approval clears nothing without them.
    Task.objects.filter(name__in=["意识形态复核", "局长终审"]).update(active=False)
    page = _at_step_two(login, demo, "停用环节测试")
    approve(_client(login, "deputy_a"), current_task_state(page))
    task_state = current_task_state(page)
    assert task_state.task.name == "办公室发布"
    response = approve(_client(login, "operator"), task_state)
    assert response.status_code == 403 and "审批流程不完整" in response.content.decode()
    page.refresh_from_db()
    assert not page.live


def test_aliases_of_items_are_refused(login, demo):
    page = NewsPage.objects.live().filter(department=demo.departments["社会救助股"]).first()
    other = demo.columns["shizheng-yaowen"] if "shizheng-yaowen" in demo.columns else page.get_parent()
    count = NewsPage.objects.count()
    admin = _client(login, "admin")
    admin.post(
        f"/admin/pages/{page.pk}/copy/",
        {"new_title": "别名", "new_slug": "alias-test", "new_parent_page": other.pk, "alias": "on"},
    )
    assert not NewsPage.objects.filter(alias_of=page).exists()
    assert NewsPage.objects.filter(live=True, title="别名").count() == 0
    assert NewsPage.objects.count() <= count + 1


def test_a_leader_appointed_in_the_admin_acts_without_any_group_change(login, demo):
    from django.contrib.auth import get_user_model

    newcomer = get_user_model().objects.create_user(
        "new_leader", password=demo.password, last_name="孙", first_name="立新", must_change_password=False
    )
    assert not newcomer.has_perm("wagtailadmin.access_admin")
    department = demo.departments["社会救助股"]
    department.supervising_leader = newcomer
    department.save()
    newcomer = get_user_model().objects.get(pk=newcomer.pk)
    assert newcomer.groups.filter(name=LEADERS_GROUP).exists()
    page = _at_step_two(login, demo, "新任分管领导测试")
    client = Client()
    assert (
        client.post("/admin/login/", {"username": "new_leader", "password": demo.password}).status_code == 302
    )
    assert page.title in client.get("/admin/review/").content.decode()
    assert approve(client, current_task_state(page)).status_code == 302
    # Taking the role away removes the access.
    department.supervising_leader = demo.users["deputy_a"]
    department.save()
    assert not Group.objects.get(name=LEADERS_GROUP).user_set.filter(pk=newcomer.pk).exists()


def test_an_inactive_account_cannot_be_given_a_role(login, demo):
    director = demo.users["director"]
    director.is_active = False
    director.save()
    leadership = BureauLeadership.load()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        leadership.full_clean()
    assert "账号已停用" in str(refused.value)


def test_stalled_steps_are_listed_for_the_administrator(login, demo):
    page = _at_step_two(login, demo, "停滞环节测试")
    deputy = demo.users["deputy_a"]
    deputy.is_active = False
    deputy.save()
    dashboard = _client(login, "admin").get("/admin/").content.decode()
    assert "无人可办理的审批环节" in dashboard and page.title in dashboard


def test_heads_manage_their_own_staff_only(login, demo):
    head = _client(login, "head_jiuzhu")
    jiuzhu, yanglao = demo.departments["社会救助股"], demo.departments["养老服务股"]
    newcomer = demo.users["staff_shiwu"]
    response = head.post("/admin/review/department/", {"department": jiuzhu.pk, "add": newcomer.pk})
    assert response.status_code == 302
    assert jiuzhu.staff.filter(pk=newcomer.pk).exists()
    # Another department's id in the form is refused.
    response = head.post("/admin/review/department/", {"department": yanglao.pk, "add": newcomer.pk})
    assert response.status_code == 403
    assert not yanglao.staff.filter(pk=newcomer.pk).exists()
    assert _client(login, "staff_jiuzhu").get("/admin/review/department/").status_code == 403


def test_workflow_state_is_untouched_by_a_refused_action(login, demo):
    page = _at_step_two(login, demo, "拒绝不改状态测试")
    before = WorkflowState.objects.for_instance(page).get()
    response = approve(_client(login, "deputy_b"), current_task_state(page))
    assert response.status_code == 403
    after = WorkflowState.objects.for_instance(page).get()
    assert (before.status, before.current_task_state_id) == (after.status, after.current_task_state_id)
