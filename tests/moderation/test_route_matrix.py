"""Every admin route × every role, as an attacker would: after each request the database must
still keep the chain's promises (issue 10). The routes come from the census (tests/routes.py),
not from a list of the ones we remember, so a new route is attacked as soon as it is listed.

Three targets: an item in review at step 2, a published item whose edit is in review at step 2,
and a published item at rest. Each role runs in its own test (rolled back), so the legitimate
approver of step 2 may advance an item one step — never far enough to publish it."""

import re

import pytest
from django.test import Client
from wagtail.models import Page, Revision, Task, WorkflowState

from moderation.chain import ChainClearance
from moderation.demo_chain import author_for
from pages.models import NewsPage
from tests.helpers import approve, current_task_state, news_form_data
from tests.moderation.test_chain import EVERYONE, _client, _submit
from tests.routes import ROUTES

pytestmark = pytest.mark.django_db

# Routes that act on pages or the chain are attacked by every role, with every target.
ATTACKED_BY_ALL = {"page-policy", "chain-task", "chain-views", "workflow-config"}
# The rest (read screens, other models) by these roles, against the first target.
# secadmin and auditor hold the 三员分立 screens nobody else reaches, so they try every route too.
SAMPLE_ROLES = {"admin", "operator", "staff_jiuzhu", "deputy_a", "secadmin", "auditor"}
EDIT_VARIANTS = ["action-publish", "action-submit", "action-restart-workflow", "action-cancel-workflow", ""]
BULK_ACTIONS = ["publish", "unpublish", "delete", "move", "copy"]
WORKFLOW_ACTIONS = ["approve", "reject", "publish"]


def _targets(login, demo):
    in_review = _submit(login, demo, "社会救助股", "staff_jiuzhu", "矩阵测试：审批中")
    approve(_client(login, "head_jiuzhu"), current_task_state(in_review))
    live = NewsPage.objects.live().filter(department__name__in=["社会救助股", "社会事务股"]).order_by("pk")
    edited, at_rest = live[0], live[1]
    department = edited.department
    author, head = author_for(department), department.heads.get()
    data = news_form_data(department, title=edited.title + "（修改稿）", **{"action-submit": "1"})
    assert _client(login, author.username).post(f"/admin/pages/{edited.pk}/edit/", data).status_code == 302
    approve(_client(login, head.username), current_task_state(edited))
    for page in (in_review, edited):
        assert current_task_state(page).task.name == "分管领导审批"
    return [in_review, edited, at_rest]


def _state(page):
    row = Page.objects.filter(pk=page.pk).values("live", "live_revision_id", "path").first()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    in_review = (
        WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_IN_PROGRESS).exists()
    )
    return row, revisions, in_review


def _world():
    return (
        Page.objects.filter(live=True).count(),
        Page.objects.exclude(alias_of=None).count(),
        ChainClearance.objects.count(),
    )


# The administrator's own duties (RULES §1, §3): moving items, and withdrawing a published one
# with a reason. Nothing else may change what is public.
ADMINISTRATOR_MAY = {
    "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/": {"moved"},
    "admin/pages/<int:page_to_move_id>/set_position/": {"moved"},
    "admin/withdraw/<int:page_id>/": {"withdrawn"},
}


def _problems(targets, before, world):
    """(kind, message) for every promise broken since `before`."""
    problems = []
    for index, page in enumerate(targets):
        row, revisions, in_review = _state(page)
        was_row, was_revisions, was_in_review = before[index]
        if row is None:
            problems.append(("deleted", f"target {index} deleted"))
            continue
        if row["live_revision_id"] != was_row["live_revision_id"] or row["live"] != was_row["live"]:
            kind = "withdrawn" if was_row["live"] and not row["live"] else "published"
            problems.append((kind, f"target {index} publication changed {was_row} -> {row}"))
        if row["path"] != was_row["path"]:
            problems.append(("moved", f"target {index} moved"))
        # (The author may withdraw a submission, 撤回报送; after that, drafts are theirs again.)
        if was_in_review and in_review and revisions != was_revisions:
            problems.append(("revision", f"target {index} in review got a new revision"))
    live, aliases, clearances = _world()
    if live > world[0] or aliases != world[1] or clearances != world[2]:
        problems.append(("published", f"site changed {world} -> {_world()}"))
    return problems


def _kwargs(pattern, page, demo, other_column):
    task_state = current_task_state(page)
    workflow_state = WorkflowState.objects.for_instance(page).order_by("-pk").first()
    first_revision = Revision.objects.filter(object_id=str(page.pk)).order_by("pk").first()
    values = {
        "page_id": page.pk,
        "parent_page_id": page.pk,
        "page_to_move_id": page.pk,
        "destination_id": other_column.pk,
        "page_pk": page.pk,
        "revision_id": first_revision.pk,
        "task_state_id": task_state.pk if task_state else 0,
        "task_id": Task.objects.order_by("pk").first().pk,
        "workflow_state_id": workflow_state.pk if workflow_state else 0,
        "workflow_pk": 1,
        "content_type_app_name": "pages",
        "content_type_model_name": "newspage",
        "app_label": "wagtailcore",
        "model_name": "page",
        "app_name": "pages",
        "pk": page.pk,
        "action": "publish",
        "action_name": "approve",
    }
    if "/add/" in pattern and "parent_page_id" in pattern:
        values["parent_page_id"] = page.get_parent().pk
    if pattern.startswith("admin/settings/"):
        values["model_name"] = "siteidentity"
    if pattern.startswith("admin/workflows/tasks/add/"):
        values.update(app_label="moderation", model_name="departmentheadtask")
    names = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
    url = pattern
    for converter, name in names:
        value = values.get(name, 1 if converter == "int" else "x")
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
    return "/" + url.replace("^", "").replace("$", "")


def _variants(url, pattern, thorough):
    if "<str:action>" in pattern:
        return [(url.replace("/publish/", f"/{a}/"), {}) for a in BULK_ACTIONS]
    if "<slug:action_name>" in pattern:
        return [(url.replace("/approve/", f"/{a}/"), {}) for a in WORKFLOW_ACTIONS]
    if pattern.endswith("/edit/") or "/add/" in pattern:
        names = EDIT_VARIANTS if thorough else ["action-publish", ""]
        return [(url, {name: "1"} if name else {}) for name in names]
    return [(url, {})]


def _payload(page, demo, other_column, extra):
    data = news_form_data(page.department, title="矩阵篡改标题")
    data.update(
        {
            "action": "approve",
            "approve-comment": "同意",
            "approve-confidentiality_confirmed": "on",
            "reject-comment": "退回",
            "comment": "同意",
            "reason": "矩阵测试",
            "new_title": "矩阵副本",
            "new_slug": "matrix-copy",
            "new_parent_page": str(other_column.pk),
            "publish_copies": "on",
            "alias": "on",
            "copy_subpages": "on",
            "include_descendants": "on",
            "restriction_type": "none",
            "move_to": str(other_column.pk),
            "position": "0",
            "approvers": str(demo.users["deputy_b"].pk),
        }
    )
    data.update(extra)
    return data


@pytest.mark.parametrize("username", EVERYONE)
def test_no_route_gets_around_the_chain(login, demo, username):
    targets = _targets(login, demo)
    other_column = demo.columns["shizheng-yaowen"]
    client = login(username, client=Client(raise_request_exception=False))
    attempts, failures = 0, []
    for pattern, guard in sorted(ROUTES.items()):
        if guard == "session":
            continue  # the user's own session: logging out would end the attack
        if guard not in ATTACKED_BY_ALL and username not in SAMPLE_ROLES:
            continue
        for index, page in enumerate(targets if guard in ATTACKED_BY_ALL else targets[:1]):
            base = _kwargs(pattern, page, demo, other_column)
            for url, extra in _variants(base, pattern, thorough=username in SAMPLE_ROLES):
                before, world = [_state(t) for t in targets], _world()
                query = f"?id={page.pk}&next=/admin/"
                # GET once per route (target 0, plain URL); POST every target and variant.
                methods = ("get", "post") if index == 0 and not extra else ("post",)
                for method in methods:
                    if method == "get":
                        response = client.get(url + query)
                    else:
                        response = client.post(url + query, _payload(page, demo, other_column, extra))
                    attempts += 1
                    label = f"{method.upper()} {url} as {username} (target {index}, {extra})"
                    if response.status_code >= 500:
                        failures.append(f"{label}: {response.status_code}")
                    allowed = ADMINISTRATOR_MAY.get(pattern, set()) if username == "admin" else set()
                    failures += [
                        f"{label}: {m}"
                        for kind, m in _problems(targets, before, world)
                        if kind not in allowed
                    ]
                    before, world = [_state(t) for t in targets], _world()
    print(f"{username}: {attempts} requests")
    assert attempts > 100
    assert not failures, "\n".join(failures[:40])


def test_anonymous_requests_change_nothing(demo):
    client = Client()
    page = NewsPage.objects.live().first()
    for pattern, guard in ROUTES.items():
        if guard == "session":
            continue
        url = _kwargs(pattern, page, demo, demo.columns["shizheng-yaowen"])
        response = client.post(url, {"action-publish": "1", "reason": "x"})
        assert response.status_code < 500, url
    page.refresh_from_db()
    assert page.live
