"""Who may touch which column and item, exercised over HTTP through the real Wagtail admin.

Staff of a department see and feed only the columns mapped to it and touch only their own
department's items — checked on every admin URL, not only hidden in the menus; operators reach
every column; the column mapping screen is the Office's."""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from pages.models import ColumnPage, DisclosurePage, LeaderProfilePage, NewsPage, NoticePage

pytestmark = pytest.mark.django_db

OWN = "社会救助股"
OTHER = "社会事务股"


def form_data(response, form_id=None):
    """The values a browser would submit from the page's form (defaults and current values)."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.find("form", id=form_id) if form_id else soup.find("form", method=_is_post)
    assert form is not None, "no form on the page"
    data = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name or element.has_attr("disabled"):
            continue
        if element.name == "textarea":
            text = element.text
            data[name] = text[1:] if text.startswith("\n") else text
        elif element.name == "select":
            options = element.find_all("option")
            chosen = [o.get("value", o.text) for o in options if o.has_attr("selected")]
            if element.has_attr("multiple"):
                data[name] = chosen
            else:
                data[name] = chosen[0] if chosen else (options[0].get("value", "") if options else "")
        else:
            kind = element.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                continue
            if kind in ("checkbox", "radio"):
                if element.has_attr("checked"):
                    data.setdefault(name, []).append(element.get("value", "on"))
                continue
            data[name] = element.get("value", "")
    return data


def _is_post(method):
    return method and method.lower() == "post"


def page_form_data(response):
    """The page editor's form as a browser submits it (its StreamFields are built by script)."""
    data = form_data(response, "page-edit-form")
    for field in ("attachments",):
        data.setdefault(f"{field}-count", "0")
    return data


def field_errors(response, name):
    """The error text shown next to one field of a Wagtail admin form."""
    soup = BeautifulSoup(response.content, "html.parser")
    found = soup.find(id=lambda i: i and (i.endswith(f"-child-{name}-errors") or i == f"{name}-errors"))
    if found is None:
        field = soup.find(attrs={"name": name})
        wrapper = field.find_parent(class_="w-field") if field else None
        found = wrapper.find(class_="error-message") if wrapper else None
    return found.get_text(" ", strip=True) if found else ""


def is_denied(response):
    """Wagtail answers a forbidden admin URL with 403, or a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302
        and (response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/"))
    )


def _items(column, department, model=None):
    model = model or NoticePage
    return model.objects.child_of(column).filter(department=department)


@pytest.fixture
def notices(demo):
    return demo.columns["tongzhi-gonggao"]


@pytest.fixture
def foreign_notice(demo, notices):
    """A 社会事务股 notice in the shared column 通知公告."""
    return _items(notices, demo.departments[OTHER]).first()


@pytest.fixture
def own_notice(demo, notices):
    return _items(notices, demo.departments[OWN]).first()


def _add_url(model, column):
    return f"/admin/pages/add/pages/{model._meta.model_name}/{column.pk}/"


# -- Creating: only in the department's columns ---------------------------------------------


@pytest.mark.parametrize(
    "slug,model",
    [("shehui-jiuzhu", DisclosurePage), ("gongzuo-dongtai", NewsPage), ("tongzhi-gonggao", NoticePage)],
)
def test_staff_can_open_the_add_form_in_their_columns(login, demo, slug, model):
    client = login("staff_jiuzhu")
    response = client.get(_add_url(model, demo.columns[slug]))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "slug,model",
    [
        ("danwei-lingdao", LeaderProfilePage),
        ("shizheng-yaowen", NewsPage),
        ("jiage-shoufei", DisclosurePage),
    ],
)
def test_staff_cannot_create_in_other_columns(login, demo, slug, model):
    client = login("staff_jiuzhu")
    column = demo.columns[slug]
    before = column.get_children().count()
    assert is_denied(client.get(_add_url(model, column)))
    assert is_denied(client.post(_add_url(model, column), {"title": "越权新建", "slug": "yuequan"}))
    assert is_denied(client.get(f"/admin/pages/{column.pk}/add_subpage/"))
    assert column.get_children().count() == before


def test_add_subpage_chooser_of_own_column(login, notices):
    client = login("staff_jiuzhu")
    response = client.get(f"/admin/pages/{notices.pk}/add_subpage/")
    # A column with a single item type goes straight to its form.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert response["Location"] == _add_url(NoticePage, notices)


def test_staff_department_choice_is_only_their_own(login, demo, notices):
    client = login("staff_jiuzhu")
    response = client.get(_add_url(NoticePage, notices))
    select = BeautifulSoup(response.content, "html.parser").find("select", attrs={"name": "department"})
    offered = [option.text.strip() for option in select.find_all("option") if option.get("value")]
    assert offered == [OWN]


def test_operator_department_choice_is_the_columns_departments(login, demo, notices):
    client = login("operator")
    response = client.get(_add_url(NoticePage, notices))
    select = BeautifulSoup(response.content, "html.parser").find("select", attrs={"name": "department"})
    offered = {option.text.strip() for option in select.find_all("option") if option.get("value")}
    assert offered == {d.name for d in notices.departments.all()}


def test_staff_create_an_item_through_the_add_form(login, demo, notices):
    client = login("staff_jiuzhu")
    url = _add_url(NoticePage, notices)
    data = page_form_data(client.get(url))
    data.update(
        title="关于做好2026年冬季困难群众救助工作的通知",
        slug="dongji-jiuzhu-2026",
        notice_kind="result",
        event_date="2026-11-20",
        summary="部署冬季困难群众救助工作。",
    )
    response = client.post(url, data)
    assert response.status_code == 302, field_errors(response, "title")
    page = NoticePage.objects.get(title="关于做好2026年冬季困难群众救助工作的通知")
    assert page.get_parent().pk == notices.pk
    assert page.department == demo.departments[OWN]
    assert page.owner == demo.users["staff_jiuzhu"]
    assert page.index_number == ""  # 索引号 is given at first publication
    assert not page.live, "staff save drafts; publication is the chain's"
    assert page.revisions.count() == 1
    # The author can open the new draft again.
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 200


def test_staff_cannot_file_an_item_under_another_department(login, demo, notices):
    client = login("staff_jiuzhu")
    url = _add_url(NoticePage, notices)
    data = page_form_data(client.get(url))
    data.update(
        title="冒用其他部门名义的通知",
        slug="maoyong",
        notice_kind="result",
        event_date="2026-11-20",
        department=str(demo.departments[OTHER].pk),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "department")
    assert not NoticePage.objects.filter(title="冒用其他部门名义的通知").exists()


def test_bad_input_is_answered_in_chinese_next_to_the_field(login, demo, notices):
    client = login("staff_jiuzhu")
    url = _add_url(NoticePage, notices)
    before = NoticePage.objects.count()
    data = page_form_data(client.get(url))
    data.update(
        title="",
        slug="bad-input",
        notice_kind="result",
        event_date="2026-13-45",
        summary="用户已经写好的内容概述",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "必" in field_errors(response, "title")  # 必填/必需字段
    assert "日期" in field_errors(response, "event_date")
    # What the user typed is kept.
    assert "用户已经写好的内容概述" in response.content.decode()
    assert NoticePage.objects.count() == before


def test_a_typed_address_is_ignored_the_system_gives_a_short_one(login, demo, notices, own_notice):
    client = login("staff_jiuzhu")
    url = _add_url(NoticePage, notices)
    data = page_form_data(client.get(url))
    data.update(title="重复网址", slug=own_notice.slug, notice_kind="result", event_date="2026-11-20")
    response = client.post(url, data)
    assert response.status_code == 302
    page = NoticePage.objects.get(title="重复网址")
    assert page.slug == f"t{timezone.localdate():%Y%m%d}_{page.pk}"


# -- Another department's item: refused on every URL ------------------------------------------


def _foreign_urls(page, destination):
    pk = page.pk
    revision = page.latest_revision_id
    return [
        f"/admin/pages/{pk}/edit/",
        f"/admin/pages/{pk}/delete/",
        f"/admin/pages/{pk}/move/",
        f"/admin/pages/{pk}/move/{destination.pk}/confirm/",
        f"/admin/pages/{pk}/copy/",
        f"/admin/pages/{pk}/unpublish/",
        f"/admin/pages/{pk}/history/",
        f"/admin/pages/{pk}/revisions/{revision}/view/",
        f"/admin/pages/{pk}/view_draft/",
    ]


def test_foreign_item_cannot_be_opened_by_url(login, demo, foreign_notice):
    client = login("staff_jiuzhu")
    destination = demo.columns["gongzuo-dongtai"]
    for url in _foreign_urls(foreign_notice, destination):
        response = client.get(url)
        assert is_denied(response) or response.status_code == 404, (url, response.status_code)
        assert foreign_notice.title not in response.content.decode(), url


def test_foreign_item_cannot_be_changed_by_post(login, demo, notices, foreign_notice):
    operator = login("operator", client=Client())
    data = page_form_data(operator.get(f"/admin/pages/{foreign_notice.pk}/edit/"))
    client = login("staff_jiuzhu")
    pk = foreign_notice.pk
    before = (foreign_notice.title, foreign_notice.latest_revision_id, foreign_notice.live)
    children = notices.get_children().count()

    attempts = [
        (f"/admin/pages/{pk}/edit/", dict(data, title="被篡改的标题")),
        (f"/admin/pages/{pk}/delete/", {}),
        (f"/admin/pages/{pk}/move/{notices.pk}/confirm/", {}),
        (
            f"/admin/pages/{pk}/copy/",
            {"new_title": "复制的通知", "new_slug": "fuzhi", "new_parent_page": str(notices.pk)},
        ),
        (f"/admin/pages/{pk}/unpublish/", {}),
        (f"/admin/pages/{pk}/lock/", {}),
        (f"/admin/pages/{pk}/revisions/{foreign_notice.latest_revision_id}/revert/", {}),
    ]
    for url, payload in attempts:
        response = client.post(url, payload)
        assert is_denied(response) or response.status_code in (404, 405), (url, response.status_code)

    foreign_notice.refresh_from_db()
    assert (foreign_notice.title, foreign_notice.latest_revision_id, foreign_notice.live) == before
    assert not foreign_notice.locked
    assert notices.get_children().count() == children


def test_foreign_item_actions_through_the_admin_api_are_refused(login, foreign_notice):
    client = login("staff_jiuzhu")
    for action in ("delete", "unpublish", "copy", "move", "publish"):
        payload = {"destination_page_id": foreign_notice.get_parent().pk}
        response = client.post(
            f"/admin/api/main/pages/{foreign_notice.pk}/action/{action}/",
            json.dumps(payload),
            content_type="application/json",
        )
        assert response.status_code in (403, 404, 405), (action, response.status_code)
    foreign_notice.refresh_from_db()
    assert foreign_notice.live


def test_own_item_can_be_edited(login, own_notice):
    client = login("staff_jiuzhu")
    url = f"/admin/pages/{own_notice.pk}/edit/"
    data = page_form_data(client.get(url))
    data["title"] = own_notice.title + "（修订）"
    response = client.post(url, data)
    assert response.status_code == 302
    own_notice.refresh_from_db()
    assert own_notice.get_latest_revision_as_object().title.endswith("（修订）")


# -- Listings: staff see only their department's items -----------------------------------------


def test_explorer_of_a_shared_column_lists_only_own_items(login, demo, notices):
    client = login("staff_jiuzhu")
    html = client.get(f"/admin/pages/{notices.pk}/").content.decode()
    for page in NoticePage.objects.child_of(notices):
        shown = page.title in html
        assert shown == (page.department.name == OWN), page.title


def test_explorer_shows_operators_every_item(login, notices):
    client = login("operator")
    html = client.get(f"/admin/pages/{notices.pk}/").content.decode()
    for page in NoticePage.objects.child_of(notices):
        assert page.title in html


def test_search_and_admin_api_hide_other_departments_items(login, demo, notices, foreign_notice):
    client = login("staff_jiuzhu")
    # The query is echoed in the search box: look for the result rows' links instead.
    link = f"/admin/pages/{foreign_notice.pk}/"
    for url in (
        "/admin/pages/search/",
        f"/admin/pages/{notices.pk}/",
        "/admin/pages/usage/pages/noticepage/",
    ):
        response = client.get(url, {"q": foreign_notice.title})
        assert response.status_code in (200, 302), url
        assert link not in response.content.decode(), url
    # …while their own department's items are found.
    own = NoticePage.objects.child_of(notices).filter(department=demo.departments[OWN]).first()
    found = client.get("/admin/pages/search/", {"q": own.title}).content.decode()
    assert f"/admin/pages/{own.pk}/" in found
    api = client.get("/admin/api/main/pages/", {"child_of": notices.pk, "limit": 100})
    titles = [item["title"] for item in api.json()["items"]]
    assert foreign_notice.title not in titles
    assert any(title for title in titles)
    assert client.get(f"/admin/api/main/pages/{foreign_notice.pk}/").status_code == 404


def test_explorer_of_a_foreign_item_is_refused(login, foreign_notice):
    client = login("staff_jiuzhu")
    response = client.get(f"/admin/pages/{foreign_notice.pk}/")
    assert is_denied(response) or response.status_code == 404
    assert foreign_notice.title not in response.content.decode()


def test_columns_of_other_departments_show_no_items(login, demo):
    client = login("staff_jiuzhu")
    leaders = demo.columns["danwei-lingdao"]
    html = client.get(f"/admin/pages/{leaders.pk}/").content.decode()
    for page in leaders.get_children():
        assert page.title not in html


# -- Structure pages are the Office's --------------------------------------------------------


def test_staff_cannot_edit_columns_or_index_pages(login, demo, notices):
    client = login("staff_jiuzhu")
    structure = [demo.home, notices.get_parent(), notices.get_parent().get_parent(), notices]
    for page in structure:
        assert is_denied(client.get(f"/admin/pages/{page.pk}/edit/")), page.title
        assert is_denied(client.post(f"/admin/pages/{page.pk}/edit/", {"title": "改名"})), page.title
        assert is_denied(client.get(f"/admin/pages/{page.pk}/delete/")), page.title
        assert is_denied(client.get(f"/admin/pages/{page.pk}/move/")), page.title
    notices.refresh_from_db()
    assert notices.title == "通知公告"


def test_operator_reaches_every_column(login, demo):
    client = login("operator")
    for column in ColumnPage.objects.all():
        assert client.get(f"/admin/pages/{column.pk}/").status_code == 200, column.title
        models = [m for m in column.specific.creatable_subpage_models() if m.can_create_at(column)]
        assert models, column.title
        assert client.get(_add_url(models[0], column)).status_code == 200, column.title


# -- The column mapping screen (栏目分工) -------------------------------------------------------

MAPPING_URL = "/admin/columns/mapping/"


@pytest.mark.parametrize("username", ["staff_jiuzhu", "head_jiuzhu", "deputy_a", "director"])
def test_mapping_screen_is_refused_to_others(login, demo, username):
    client = login(username)
    leaders = demo.columns["danwei-lingdao"]
    assert is_denied(client.get(MAPPING_URL))
    response = client.post(MAPPING_URL, {f"column-{leaders.pk}": [str(demo.departments[OWN].pk)]})
    assert is_denied(response)
    assert OWN not in {d.name for d in leaders.departments.all()}


@pytest.mark.parametrize("username", ["operator", "admin"])
def test_mapping_screen_is_open_to_operators_and_administrators(login, username):
    assert login(username).get(MAPPING_URL).status_code == 200


def test_ticking_and_unticking_a_column_for_a_department(login, demo):
    operator = login("operator")
    staff = login("staff_jiuzhu", client=Client())
    leaders = demo.columns["danwei-lingdao"]
    own = demo.departments[OWN]
    key = f"column-{leaders.pk}"
    add_url = _add_url(LeaderProfilePage, leaders)
    assert is_denied(staff.get(add_url))

    data = form_data(operator.get(MAPPING_URL))
    data[key] = data.get(key, []) + [str(own.pk)]
    assert operator.post(MAPPING_URL, data).status_code == 302
    assert own in leaders.departments.all()
    assert staff.get(add_url).status_code == 200
    # Nothing else in the mapping changed.
    assert form_data(operator.get(MAPPING_URL)) | {"csrfmiddlewaretoken": ""} == data | {
        "csrfmiddlewaretoken": ""
    }

    data[key] = [v for v in data[key] if v != str(own.pk)]
    assert operator.post(MAPPING_URL, data).status_code == 302
    assert own not in leaders.departments.all()
    assert is_denied(staff.get(add_url))
    assert demo.departments["办公室"] in leaders.departments.all()


@pytest.mark.parametrize("username", ["operator", "admin"])
def test_the_explorer_opens_at_the_sites_home(login, username):
    response = login(username).get("/admin/pages/")
    home = Site.objects.get(is_default_site=True).root_page
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{home.pk}/"
