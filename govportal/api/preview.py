"""Draft preview through the public front end (issue 5 part 7, docs/FRONTEND-NEEDS.md §5).

The admin's preview of an item (the editor's unsaved form, or a reviewer's view of the revision
in review) stores the previewed content in the `preview` cache under a random key for an hour
and frames `<front end>/_preview/?token=…`. The token is `django.core.signing` over
{"page", "revision", "key"} with its own salt, valid for an hour. The front end fetches
`GET /api/v2/preview/?token=…`: the same detail JSON as `pages/<id>/`, built from that content,
never cached (`Cache-Control: no-store`) nor indexed (`X-Robots-Tag: noindex`). Whoever holds
a valid token sees that one draft; nothing else of the unpublished site is reachable."""

import json
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import InvalidCacheBackendError, caches
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.html import escape
from wagtail.models import Page, Revision

from pages.models import BaseItemPage
from pages.search import document_for

from .responses import json_response
from .richtext import render_many
from .scope import get_scope
from .serializers import (
    CHOICES,
    DATES,
    RICH_TEXT,
    _attachment,
    _breadcrumbs_for,
    _documents_for,
    _images_for,
    _policy_links_for,
    _service_elements,
    detail_field_names,
    iso,
    listing_item,
)

SALT = "govportal.api.preview"
MAX_AGE = 3600  # seconds a preview token (and its stored content) stays valid
CACHE_PREFIX = "govportal-preview:"
NO_STORE = {"Cache-Control": "no-store, private", "X-Robots-Tag": "noindex, nofollow"}


def _cache():
    try:
        return caches["preview"]
    except InvalidCacheBackendError:
        return caches["default"]


# --- the admin side -----------------------------------------------------------------------------


def make_token(page) -> str:
    """Store the previewed object's content and return a signed token that refers to it."""
    key = secrets.token_urlsafe(24)
    stored = {
        "model": page._meta.label_lower,
        "page": page.pk,
        "content": json.dumps(page.serializable_data(), cls=DjangoJSONEncoder),
    }
    _cache().set(CACHE_PREFIX + key, stored, MAX_AGE)
    revision = page.latest_revision_id if page.pk else None
    return signing.dumps({"page": page.pk, "revision": revision, "key": key}, salt=SALT, compress=True)


def preview_url(token: str) -> str:
    return f"{settings.GOVPORTAL_FRONTEND_URL}/_preview/?token={token}"


def preview_response(page, request):
    """What `BaseItemPage.serve_preview` returns: the front end's rendering, framed."""
    url = escape(preview_url(make_token(page)))
    html = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>预览：{escape(page.title)}</title>"
        "<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}"
        ".open{position:fixed;right:8px;bottom:8px;background:#fff;padding:4px 8px;font-size:14px}</style>"
        f'</head><body><iframe src="{url}" title="公众网站预览"></iframe>'
        f'<a class="open" href="{url}" target="_blank" rel="noopener">在新窗口中打开预览（1 小时内有效）</a>'
        "</body></html>"
    )
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    for name, value in NO_STORE.items():
        response[name] = value
    return response


# --- the API side -------------------------------------------------------------------------------


class PreviewError(Exception):
    def __init__(self, message, status=403):
        super().__init__(message)
        self.message, self.status = message, status


def read_token(token: str, max_age: int = MAX_AGE) -> dict:
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise PreviewError("预览链接已过期，请在后台重新预览。") from exc
    except signing.BadSignature as exc:
        raise PreviewError("预览链接无效。") from exc
    if not isinstance(data, dict) or "key" not in data:
        raise PreviewError("预览链接无效。")
    return data


def previewed_object(data: dict):
    """The object the editor previewed: the stored content, else the revision it was based on."""
    stored = _cache().get(CACHE_PREFIX + str(data["key"]))
    if stored is not None and stored.get("page") == data.get("page"):
        content = json.loads(stored["content"])
        if stored["page"]:
            page = Page.objects.filter(pk=stored["page"]).first()
            if page is None:
                raise PreviewError("该信息已被删除。", status=404)
            return page.specific.with_content_json(content)
        from django.apps import apps

        return apps.get_model(stored["model"]).from_serializable_data(content)
    if data.get("revision"):
        revision = Revision.objects.filter(pk=data["revision"], object_id=str(data.get("page"))).first()
        if revision is not None:
            return revision.as_object()
    raise PreviewError("预览内容已失效，请在后台重新预览。")


def preview_detail(page, scope) -> dict:
    """The detail JSON of `pages/<id>/` for an in-memory page (a draft), built with the API's
    serializer helpers from the object itself instead of the database's live row."""
    doc = document_for(page)
    names = detail_field_names(doc)
    full = listing_item(doc, scope)
    item = {"id": full["id"], "meta": full["meta"]}
    pending = []
    for name in names:
        if name in full:
            item[name] = full[name]
        else:
            pending.append(name)
    entries = [(doc, item, pending)]
    pages = {doc.pk: page}

    rich = sorted({n for n in pending if n in RICH_TEXT})
    if "elements" in pending:
        from pages.models.services import SERVICE_GUIDE_ELEMENTS

        rich = sorted(set(rich) | {key for key, _ in SERVICE_GUIDE_ELEMENTS if key in RICH_TEXT})
    rendered = dict(
        zip(
            [(doc.pk, n) for n in rich],
            render_many([getattr(page, n, "") or "" for n in rich], scope),
            strict=True,
        )
    )
    documents = _documents_for(entries, pages)
    images = _images_for(entries, pages)
    breadcrumbs = _breadcrumbs_for(entries, scope)
    policies = _policy_links_for(entries, pages, scope)
    for name in pending:
        if name in RICH_TEXT:
            item[name] = rendered.get((doc.pk, name), "")
        elif name == "attachments":
            blocks = page.attachments.raw_data if page.attachments else []
            item[name] = [a for a in (_attachment(b, documents) for b in blocks) if a]
        elif name == "breadcrumbs":
            item[name] = breadcrumbs.get(doc.pk, [])
        elif name == "photo":
            item[name] = images.get(getattr(page, "photo_id", None))
        elif name in ("replaced_by", "replaces"):
            item[name] = policies.get((doc.pk, name))
        elif name == "elements":
            item[name] = _service_elements(page, doc.pk, rendered)
        elif name == "is_open":
            item[name] = (
                bool(page.opens_on and page.closes_on) and page.opens_on <= _today() <= page.closes_on
            )
        elif name == "asked_at":
            item[name] = iso(page.asked_at)
        elif name in CHOICES:
            value = getattr(page, name)
            item[name] = {"value": value, "label": getattr(page, f"get_{name}_display")()} if value else None
        elif name in DATES:
            item[name] = iso(getattr(page, name))
        else:
            item[name] = getattr(page, name, None)
    item["meta"]["preview"] = True
    item["meta"]["live"] = bool(page.live)
    if page.pk is None:
        item["meta"]["detail_url"] = None
    return item


def _today():
    from django.utils import timezone

    return timezone.localdate()


def preview_view(request):
    """GET /api/v2/preview/?token=…"""
    if request.method not in ("GET", "HEAD"):
        response = json_response({"message": "只支持 GET 请求。"}, status=405, headers=NO_STORE)
        response["Allow"] = "GET, HEAD"
        return response
    try:
        data = read_token(request.GET.get("token", ""))
        page = previewed_object(data)
        if not isinstance(page, BaseItemPage):
            raise PreviewError("只能预览信息页面。")
        body = preview_detail(page, get_scope())
        return json_response(body, headers=NO_STORE)
    except PreviewError as error:
        return json_response({"message": error.message}, status=error.status, headers=NO_STORE)
