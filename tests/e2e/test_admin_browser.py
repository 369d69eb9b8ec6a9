"""The admin in a real browser, as each demo role first meets it (issue 11): first login, a walk
through every screen the role reaches that records each request and each visible word, and
screenshots of the dashboard, the queue (desktop and phone) and the editor for review.

Screenshots go to tests/e2e/screenshots/ (git-ignored) or $GOVPORTAL_SCREENSHOTS."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ROOT

DEMO_PASSWORD = "Demo#2026gov"
NEW_PASSWORD = "Kp#minzheng-2026"
SHOTS = Path(os.environ.get("GOVPORTAL_SCREENSHOTS", ROOT / "tests" / "e2e" / "screenshots"))
PHONE = {"width": 390, "height": 844}
SHOT_NAMES = {"/admin/": "dashboard", "/admin/review/": "queue"}

# One account per role of DESIGN.md's table.
ROLES = [
    "staff_jiuzhu",
    "head_jiuzhu",
    "deputy_a",
    "ideology",
    "director",
    "operator",
    "admin",
    "secadmin",
    "auditor",
]
LEADERS = {"deputy_a", "ideology", "director"}

# Screens every role reaches from its menu, then the extra ones of each kind of role.
COMMON_SCREENS = [
    "/admin/",
    "/admin/review/",
    "/admin/review/mine/",
    "/admin/account/",
]
APPROVERS = {"head_jiuzhu", "admin"} | LEADERS
# 三员分立: the security and the audit administrator write no items.
SEPARATED = {"secadmin", "auditor"}
SEPARATED_SCREENS = {
    "secadmin": ["/admin/security/lockouts/", "/admin/security/2fa/", "/admin/users/", "/admin/groups/"],
    "auditor": ["/admin/security_events/", "/admin/audit/content/"],
}
AUTHOR_SCREENS = ["/admin/desk/", "/admin/pages/", "/admin/images/", "/admin/documents/"]
ADMIN_SCREENS = [
    "/admin/users/",
    "/admin/workflows/list/",
    "/admin/workflows/tasks/index/",
    "/admin/settings/pages/siteidentity/",
    "/admin/settings/moderation/bureauleadership/",
    "/admin/columns/mapping/",
    "/admin/disclosure/statutory/",
    "/admin/disclosure_topics/",
    "/admin/disclosure_topics/new/",
    "/admin/statutory_kinds/",
    "/admin/statutory_kinds/new/",
    "/admin/reports/locked/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/site-history/",
    "/admin/reports/aging-pages/",
    "/admin/reports/page-types-usage/",
    "/admin/sites/",
    "/admin/redirects/",
    "/admin/collections/",
    "/admin/reports/statistics/",
    "/admin/reports/assessment/",
    "/admin/reports/freshness/",
    "/admin/reports/cleanup/",
    "/admin/reports/links/",
    "/admin/reports/annual/",
]

# Latin words that are the interface's own Chinese usage, not untranslated text.
ALLOWED_WORDS = {"PDF", "Excel", "CSV", "Word", "WPS", "OFD", "ID", "KB", "MB", "GB", "ICP", "API", "URL"}
# The demo site's host name is data on the sites screen.
ALLOWED_WORDS |= {"localhost"}
# Wagtail's default groups, removed by the seed: the audit trail records their removal by name.
ALLOWED_WORDS |= {"Editors", "Moderators"}
# The demo accounts' user names are data (DESIGN.md fixes them), shown in user lists and logs.
USERNAME_PARTS = {
    "admin",
    "director",
    "ideology",
    "deputy",
    "head",
    "staff",
    "operator",
    "secadmin",
    "auditor",
} | {
    "jiuzhu",
    "yanglao",
    "shiwu",
    "office",
    "a",
    "b",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# File names, addresses, e-mail and page paths are data, not interface text.
DATA = re.compile(
    r"[\w.+-]+@[\w.-]+|https?://\S+|[\w\-/.]+\.(?:pdf|docx?|xlsx?|csv|txt|png|jpe?g|zip|wps|ofd)\b|/\S*"
)

# Visible text nodes plus what a screen reader or a tooltip says; code samples are skipped.
VISIBLE_TEXT = """() => {
  const texts = [document.title];
  const skip = 'script,style,template,noscript,code,pre,kbd,samp,.app-label';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!el || el.closest(skip) || !node.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (!el.getClientRects().length && !el.closest('.w-sr-only')) continue;
    texts.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('[placeholder],[title],[aria-label],img[alt]')) {
    if (el.closest(skip)) continue;
    for (const name of ['placeholder', 'title', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  return texts;
}"""


def _settle(page):
    """Wait until the page's scripts have fetched what they fetch. On a loaded machine the
    admin's own polling can keep the network from ever idling for 500 ms: the page has loaded
    by then, and every request made so far is already recorded and checked."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_load_state("networkidle", timeout=15000)
    except PlaywrightTimeout:
        pass


def english_words(texts):
    found = set()
    for text in texts:
        for word in LATIN_WORD.findall(DATA.sub(" ", text)):
            if word not in ALLOWED_WORDS and word.lower() not in USERNAME_PARTS:
                found.add(word)
    return found


class Recorder:
    """Every request a page makes, and the responses the password gate must never redirect."""

    def __init__(self, page, own_hosts):
        self.own_hosts = own_hosts
        self.outside = set()
        self.redirected_assets = []
        page.on("request", self._request)
        page.on("response", self._response)

    def _request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc not in self.own_hosts:
            self.outside.add(request.url)

    def _response(self, response):
        # 304 is the browser revalidating its cached copy (the emblem), not a redirect.
        redirected = 300 <= response.status < 400 and response.status != 304
        if response.request.resource_type != "document" and redirected:
            self.redirected_assets.append(response.url)


def _set_accounts(servers, must_change):
    servers.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        f"for user in get_user_model().objects.filter(username__in={ROLES!r}):\n"
        f"    user.set_password({DEMO_PASSWORD!r})\n"
        f"    user.must_change_password = {must_change!r}\n"
        "    user.save()",
    )


@pytest.fixture(scope="module")
def first_login_accounts(servers):
    """The role accounts as seeded: demo password, change required. Put back afterwards, so
    other browser tests sign in with the demo password."""
    _set_accounts(servers, must_change=True)
    yield
    _set_accounts(servers, must_change=False)


@pytest.fixture(scope="module")
def ready_accounts(servers):
    _set_accounts(servers, must_change=False)


def _new_admin_page(browser, servers, viewport=None):
    context = browser.new_context(
        base_url=servers.cms_url, locale="zh-CN", viewport=viewport or {"width": 1366, "height": 900}
    )
    page = context.new_page()
    recorder = Recorder(page, {urlsplit(servers.cms_url).netloc, urlsplit(servers.site_url).netloc})
    return page, recorder


def _sign_in(page, username, password=DEMO_PASSWORD):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    _settle(page)


def _change_password(page, old, new, confirm=None):
    page.fill("#id_old_password", old)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", confirm or new)
    page.get_by_role("button", name="修改密码").click()
    _settle(page)


def _error_beside(page, field_id):
    # Wagtail's field template puts the error inside the field's wrapper, before the input.
    return page.locator(f"[data-field-wrapper]:has(#{field_id}) .error-message").inner_text()


@pytest.mark.parametrize("username", ROLES)
def test_first_login_in_a_real_browser(browser, servers, first_login_accounts, username):
    page, recorder = _new_admin_page(browser, servers)
    _sign_in(page, username)
    assert urlsplit(page.url).path == "/admin/password/"
    # One form, three password fields: the icon loader no longer pastes the page in twice.
    assert page.locator("form:has(input[type=password])").count() == 1
    assert page.locator("input[type=password]").count() == 3
    if username == "staff_jiuzhu":
        _change_password(page, "not-the-password", NEW_PASSWORD)
        assert "旧密码不正确" in _error_beside(page, "id_old_password")
        _change_password(page, DEMO_PASSWORD, "password123")
        assert "太常见" in _error_beside(page, "id_new_password1")
        _change_password(page, DEMO_PASSWORD, DEMO_PASSWORD)
        assert "不能与当前密码相同" in _error_beside(page, "id_new_password1")
        assert page.locator("input[type=password]").count() == 3
    _change_password(page, DEMO_PASSWORD, NEW_PASSWORD)
    assert urlsplit(page.url).path == "/admin/"
    assert page.locator(".messages .success").inner_text().strip() == "密码已修改，请妥善保管。"
    page.context.close()
    assert recorder.redirected_assets == []
    assert recorder.outside == set()


def _first_link(page, url, pattern):
    page.goto(url)
    links = [
        href
        for href in page.locator("main a[href]").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    ]
    return next((href for href in links if re.fullmatch(pattern, href)), None)


def _screens(page, username):
    screens = list(COMMON_SCREENS)
    if username not in LEADERS | SEPARATED:
        screens += AUTHOR_SCREENS
    screens += SEPARATED_SCREENS.get(username, [])
    if username in APPROVERS:
        screens.append("/admin/review/delegations/")
    if username == "admin":
        screens += ADMIN_SCREENS
    review = _first_link(page, "/admin/review/", r"/admin/review/\d+/")
    if review:
        screens.append(review)
    if username not in LEADERS | SEPARATED:
        editor = _first_link(page, "/admin/desk/", r"/admin/pages/\d+/edit/")
        if editor:
            screens.append(editor)
    return screens


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("username", ROLES)
def test_every_screen_of_a_role_is_chinese_and_stays_on_this_machine(
    browser, servers, ready_accounts, username
):
    page, recorder = _new_admin_page(browser, servers)
    _sign_in(page, username)
    english, refused = {}, []
    for url in _screens(page, username):
        response = page.goto(url)
        _settle(page)
        if response.status >= 400:
            refused.append(url)
        words = english_words(page.evaluate(VISIBLE_TEXT))
        if words:
            english[url] = sorted(words)
        if url in SHOT_NAMES or url.endswith("/edit/"):
            _shoot(page, f"{username}-{SHOT_NAMES.get(url, 'editor')}")
    page.context.close()
    assert refused == []
    assert english == {}
    assert recorder.outside == set()
    assert recorder.redirected_assets == []


def test_leaders_have_no_pages_menu_but_find_their_queue(browser, servers, ready_accounts):
    page, _ = _new_admin_page(browser, servers)
    _sign_in(page, "director")
    sidebar = page.locator("#wagtail-sidebar")
    assert sidebar.get_by_role("link", name=re.compile("待我审批")).count() == 1
    assert sidebar.get_by_role("button", name="页面").count() == 0
    page.context.close()


@pytest.mark.parametrize("username", ["staff_jiuzhu", "deputy_a", "operator"])
def test_queue_on_a_phone(browser, servers, ready_accounts, username):
    page, recorder = _new_admin_page(browser, servers, viewport=PHONE)
    _sign_in(page, username)
    page.goto("/admin/review/")
    _settle(page)
    assert page.locator("h1").first.inner_text().startswith("待我审批")
    # Nothing wider than the phone: no sideways scrolling to reach a button.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shoot(page, f"{username}-queue-phone")
    page.context.close()
    assert recorder.outside == set()


def test_public_site_walk_stays_on_this_machine(browser, servers):
    context = browser.new_context(base_url=servers.site_url, locale="zh-CN")
    page = context.new_page()
    recorder = Recorder(page, {urlsplit(servers.cms_url).netloc, urlsplit(servers.site_url).netloc})
    page.goto("/")
    column = page.locator("nav a[href^='/']").nth(1).get_attribute("href")
    item = servers.api("pages/", limit=1)["items"][0]["meta"]["html_path"]
    for url in (column, item, "/search/?q=低保", "/wuzhangai/"):
        page.goto(url)
        _settle(page)
    context.close()
    assert recorder.outside == set()
