"""信息报送: each department's counts, against a hand-counted fixture."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from moderation.demo_chain import advance, send_back, submit
from moderation.desk import SubmissionRecord, desk_table
from moderation.models import Department
from pages.models import NewsPage
from tests.helpers import create_item, current_task_state, news_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def counting_department(demo):
    """A new department with its own column mapping and a known set of items:
    2 drafts, 1 in review, 1 returned, 2 published (1 on time, 1 late)."""
    users = demo.users
    department = Department.objects.create(
        name="计数测试股", supervising_leader=users["deputy_a"], sort_order=999
    )
    department.heads.set([users["head_office"]])
    department.staff.set([users["staff_shiwu"]])
    column = demo.columns["gongzuo-dongtai"]
    column.departments.add(department)
    today = timezone.localdate()

    def item(title, formed_days_ago=1):
        page = NewsPage(
            title=title,
            department=department,
            owner=users["staff_shiwu"],
            formed_on=today - datetime.timedelta(days=formed_days_ago),
        )
        column.add_child(instance=page)
        page.save_revision(user=users["staff_shiwu"])
        return page

    item("草稿一"), item("草稿二")
    submit(item("审批中"), users["staff_shiwu"])
    returned = item("退回")
    submit(returned, users["staff_shiwu"])
    send_back(returned, "请修改")
    on_time = item("按时发布")
    submit(on_time, users["staff_shiwu"])
    advance(on_time, 5)
    late = item("超期发布", formed_days_ago=60)
    submit(late, users["staff_shiwu"])
    advance(late, 5)
    return department


def test_counts_match_the_hand_count(counting_department):
    row = next(r for r in desk_table(Department.objects.all()) if r["department"] == counting_department)
    expected = {"drafted": 6, "submitted": 4, "in_review": 1, "returned": 1, "published": 2, "on_time": 1}
    assert row["month"] == expected
    assert row["year"] == expected
    late = SubmissionRecord.objects.get(page__title="超期发布")
    assert late.on_time is False and late.days_late > 0


def test_desk_page_shows_counts_and_exports(login, demo, counting_department):
    client = login("staff_jiuzhu", client=Client())
    response = client.get("/admin/desk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "计数测试股" in html and "社会救助和社会福利" in html  # a column of 社会救助股
    assert "新建" in html
    csv = client.get("/admin/desk/?format=csv").content.decode("utf-8-sig")
    line = next(line for line in csv.splitlines() if line.startswith("计数测试股"))
    assert line.split(",")[1:7] == ["6", "4", "1", "1", "2", "1"]
    xlsx = client.get("/admin/desk/?format=xlsx")
    assert xlsx.content.startswith(b"PK")


def test_formed_on_cannot_pass_the_first_save_and_every_change_is_on_the_approval_form(login, demo):
    client = login("staff_jiuzhu", client=Client())
    column = demo.columns["gongzuo-dongtai"]
    department = demo.departments["社会救助股"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = create_item(
        client, column, department, action=None, title="形成日期测试", formed_on=f"{tomorrow}"
    )
    assert response.status_code == 200
    assert f"信息形成日期不能晚于首次保存日期（{timezone.localdate():%Y-%m-%d}）" in response.content.decode()
    assert not NewsPage.objects.filter(title="形成日期测试").exists()

    create_item(client, column, department, action=None, title="形成日期测试", formed_on="2026-11-20")
    page = NewsPage.objects.get(title="形成日期测试")
    data = news_form_data(
        department, title="形成日期测试", slug=page.slug, formed_on="2026-11-18", event_date="2026-11-18"
    )
    data["action-submit"] = "1"
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    changes = [(c.old_value, c.new_value) for c in page.formed_on_changes.all()]
    assert changes == [
        (None, datetime.date(2026, 11, 20)),
        (datetime.date(2026, 11, 20), datetime.date(2026, 11, 18)),
    ]
    assert current_task_state(page) is not None
    advance(page, 1)
    form = client.get(f"/admin/review/form/{page.pk}/").content.decode()
    assert "由 2026-11-20 改为 2026-11-18" in form
    assert "科室初审确认" in form
