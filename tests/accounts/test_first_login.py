"""First-login password change, end to end through the real admin forms (RULES §5)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.pages.test_permissions import form_data, is_denied

pytestmark = pytest.mark.django_db

CHANGE_URL = "/admin/password/"
NEW_PASSWORD = "Kp#minzheng-2026"


def _first_login(username, password):
    client = Client()
    response = client.post("/admin/login/", {"username": username, "password": password})
    assert response.status_code == 302, f"login failed for {username}"
    return client


def _change(client, old, new, confirm=None):
    return client.post(
        CHANGE_URL,
        {"old_password": old, "new_password1": new, "new_password2": confirm or new, "next": "/admin/"},
    )


def _errors(response):
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/pages/", "/admin/api/main/pages/", "/admin/users/", "/admin/account/"]
)
def test_demo_account_must_change_password_before_any_admin_page(demo, url):
    client = _first_login("operator", demo.password)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(CHANGE_URL)
    form = client.get(response["Location"])
    assert form.status_code == 200
    assert "首次登录" in form.content.decode()


def test_login_itself_lands_on_the_change_form(demo):
    client = Client()
    response = client.post(
        "/admin/login/", {"username": "staff_jiuzhu", "password": demo.password}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(CHANGE_URL)


@pytest.mark.parametrize(
    "weak,message",
    [
        ("Ab#12345", "太短"),  # shorter than 10
        ("staff_jiuzhu1", "相似"),  # too similar to the username
        ("password123", "常见"),  # a common password
        ("2026031512345", "数字"),  # entirely numeric
    ],
)
def test_weak_passwords_are_refused_in_chinese(demo, weak, message):
    client = _first_login("staff_jiuzhu", demo.password)
    response = _change(client, demo.password, weak)
    assert response.status_code == 200
    assert message in _errors(response), _errors(response)
    user = get_user_model().objects.get(username="staff_jiuzhu")
    assert user.must_change_password
    assert user.check_password(demo.password)
    assert client.get("/admin/").status_code == 302


def test_wrong_old_password_and_mismatch_are_refused(demo):
    client = _first_login("staff_jiuzhu", demo.password)
    response = _change(client, "not-the-password", NEW_PASSWORD)
    assert "旧密码" in _errors(response) or "密码" in _errors(response)
    response = _change(client, demo.password, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert "不" in _errors(response)
    assert get_user_model().objects.get(username="staff_jiuzhu").must_change_password


def test_after_a_valid_change_old_fails_new_works(demo):
    client = _first_login("operator", demo.password)
    response = _change(client, demo.password, NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    # The session survives the change and every admin page opens.
    for url in ("/admin/", "/admin/pages/", "/admin/api/main/pages/"):
        assert client.get(url, follow=True).status_code == 200, url
    user = get_user_model().objects.get(username="operator")
    assert not user.must_change_password
    assert user.password_changed_at is not None

    client.post("/admin/logout/")
    assert (
        Client().post("/admin/login/", {"username": "operator", "password": demo.password}).status_code == 200
    )
    again = _first_login("operator", NEW_PASSWORD)
    assert again.get("/admin/").status_code == 200


def test_next_cannot_leave_the_site(demo):
    client = _first_login("operator", demo.password)
    response = client.post(
        CHANGE_URL,
        {
            "old_password": demo.password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
            "next": "https://evil.example.com/",
        },
    )
    assert response["Location"] == "/admin/"


def test_change_form_requires_login():
    response = Client().get(CHANGE_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def _admin(login):
    return login("admin")


def test_account_created_by_the_administrator_must_change_at_first_login(login, demo):
    admin = _admin(login)
    data = form_data(admin.get("/admin/users/new/"))
    data.update(
        username="staff_new",
        email="staff_new@mzj.example.cn",
        first_name="新",
        last_name="张",
        password1="Initial#Pass2026",
        password2="Initial#Pass2026",
        # The administrator ticks the department's group in the roles section.
        groups=[str(demo.departments["社会救助股"].group_id)],
    )
    response = admin.post("/admin/users/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="staff_new")
    assert user.must_change_password
    assert user.groups.filter(pk=demo.departments["社会救助股"].group_id).exists()

    client = _first_login("staff_new", "Initial#Pass2026")
    assert client.get("/admin/").status_code == 302
    assert _change(client, "Initial#Pass2026", NEW_PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_weak_password_refused_in_the_administrators_user_form(login):
    admin = _admin(login)
    data = form_data(admin.get("/admin/users/new/"))
    data.update(username="weak_user", email="weak@mzj.example.cn", password1="12345678", password2="12345678")
    response = admin.post("/admin/users/new/", data)
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="weak_user").exists()
    assert "太短" in response.content.decode() or "数字" in response.content.decode()


def test_password_reset_by_the_administrator_forces_a_change_again(login, demo):
    # staff_jiuzhu has already changed the password.
    staff = login("staff_jiuzhu")
    assert staff.get("/admin/").status_code == 200
    user = get_user_model().objects.get(username="staff_jiuzhu")

    admin = login("admin", client=Client())
    url = f"/admin/users/edit/{user.pk}/"
    page = admin.get(url)
    assert page.status_code == 200
    data = form_data(page)
    data.update(password1="Reset#Pass2026", password2="Reset#Pass2026")
    response = admin.post(url, data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password

    # The old session ends with the password change; the new one must change it first.
    assert staff.get("/admin/").status_code == 302
    client = _first_login("staff_jiuzhu", "Reset#Pass2026")
    response = client.get("/admin/pages/")
    assert response["Location"].startswith(CHANGE_URL)


def test_editing_a_user_without_touching_the_password_keeps_the_flag_clear(login, demo):
    staff_user = get_user_model().objects.get(username="staff_yanglao")
    staff_user.must_change_password = False
    staff_user.save()
    admin = login("admin")
    url = f"/admin/users/edit/{staff_user.pk}/"
    page = admin.get(url)
    data = form_data(page)
    data.update(first_name="晓明", password1="", password2="")
    assert admin.post(url, data).status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.first_name == "晓明"
    assert not staff_user.must_change_password


def test_staff_cannot_manage_users(login, demo):
    client = login("staff_jiuzhu")
    target = demo.users["staff_shiwu"]
    assert is_denied(client.get("/admin/users/"))
    assert is_denied(client.get("/admin/users/new/"))
    assert is_denied(client.post(f"/admin/users/edit/{target.pk}/", {"password1": "x", "password2": "x"}))


@pytest.mark.django_db
def test_account_without_any_group_can_still_change_its_password(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("newcomer", password="Initial#Pass2026")
    user.must_change_password = True
    user.save()
    client.post("/admin/login/", {"username": "newcomer", "password": "Initial#Pass2026"})
    client.force_login(user)
    response = client.get("/admin/password/")
    assert response.status_code == 200
    response = client.post(
        "/admin/password/",
        {
            "old_password": "Initial#Pass2026",
            "new_password1": "Kaiping#Civil2026",
            "new_password2": "Kaiping#Civil2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password


@pytest.mark.parametrize("url", ["/admin/sprite/", "/admin/jsi18n/"])
def test_icons_and_translations_load_for_an_account_that_must_change(demo, url):
    # Every admin page, the change form included, fetches these by script.
    client = _first_login("operator", demo.password)
    response = client.get(url, headers={"Sec-Fetch-Dest": "script"})
    assert response.status_code == 200
    assert "修改密码" not in response.content.decode()


def test_a_scripts_request_is_refused_not_answered_with_the_form(demo):
    client = _first_login("operator", demo.password)
    response = client.get("/admin/api/main/pages/", headers={"Sec-Fetch-Dest": "empty"})
    assert response.status_code == 403
    assert "<form" not in response.content.decode()


def test_opening_a_page_in_a_browser_goes_to_the_form_and_comes_back(demo):
    client = _first_login("operator", demo.password)
    response = client.get("/admin/pages/?p=2", headers={"Sec-Fetch-Dest": "document"})
    assert response.status_code == 302
    assert response["Location"] == f"{CHANGE_URL}?next=%2Fadmin%2Fpages%2F%3Fp%3D2"


def test_the_form_is_shown_once_with_its_three_password_fields(demo):
    client = _first_login("operator", demo.password)
    html = client.get(CHANGE_URL).content.decode()
    assert html.count('type="password"') == 3
    assert html.count('name="old_password"') == 1


def test_the_current_password_cannot_be_kept(demo):
    client = _first_login("staff_jiuzhu", demo.password)
    response = _change(client, demo.password, demo.password)
    assert response.status_code == 200
    assert response.context["form"].errors["new_password1"] == ["新密码不能与当前密码相同。"]
    assert get_user_model().objects.get(username="staff_jiuzhu").must_change_password


def test_rule_errors_stand_beside_the_new_password_field(demo):
    client = _first_login("staff_jiuzhu", demo.password)
    response = _change(client, demo.password, "password123")
    errors = response.context["form"].errors
    assert "常见" in " ".join(errors["new_password1"])
    assert "new_password2" not in errors


def test_wrong_old_password_is_named_beside_its_field(demo):
    client = _first_login("staff_jiuzhu", demo.password)
    response = _change(client, "not-the-password", NEW_PASSWORD)
    assert "旧密码不正确" in " ".join(response.context["form"].errors["old_password"])
