"""Wagtail's own admin forms, posted with their fields missing, answer as a form error or a 400,
never a 500; posted correctly, they still work."""

import pytest
from django.test import Client


@pytest.fixture
def admin_client(login):
    return login("admin", client=Client(raise_request_exception=False))


@pytest.mark.parametrize(
    "url, expected",
    [("/admin/choose-external-link/", 200), ("/admin/redirects/import/process/", 400)],
)
def test_malformed_post_is_the_clients_error(admin_client, url, expected):
    response = admin_client.post(url, {})
    assert response.status_code == expected


def test_external_link_without_url_says_it_is_required(admin_client):
    response = admin_client.post("/admin/choose-external-link/", {})
    assert response.json()["step"] == "external_link"  # the form again, with its error


def test_external_link_still_chosen(admin_client):
    response = admin_client.post(
        "/admin/choose-external-link/",
        {"external-link-chooser-url": "http://www.mca.gov.cn/", "external-link-chooser-link_text": "民政部"},
    )
    assert response.status_code == 200
    assert response.json()["result"]["url"] == "http://www.mca.gov.cn/"
