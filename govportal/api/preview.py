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

from pages.items import is_item

from .catalogue import document_for
from .responses import json_response
from .scope import get_scope
from .serializers import detail_field_names, serialise

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
    """The detail JSON of `pages/<id>/` for an in-memory page (a draft): its catalogue row and
    precomputed detail are built from the object itself (never saved), then serialised by the
    API's own code, so the preview shows exactly what publication would serve."""
    doc = document_for(page)
    item = serialise([doc], scope, detail_field_names)[0]
    item["meta"]["preview"] = True
    item["meta"]["live"] = bool(page.live)
    if page.pk is None:
        item["meta"]["detail_url"] = None
    return item


def preview_view(request):
    """GET /api/v2/preview/?token=…"""
    if request.method not in ("GET", "HEAD"):
        response = json_response({"message": "只支持 GET 请求。"}, status=405, headers=NO_STORE)
        response["Allow"] = "GET, HEAD"
        return response
    try:
        data = read_token(request.GET.get("token", ""))
        page = previewed_object(data)
        if not is_item(page):
            raise PreviewError("只能预览信息页面。")
        body = preview_detail(page, get_scope())
        return json_response(body, headers=NO_STORE)
    except PreviewError as error:
        return json_response({"message": error.message}, status=error.status, headers=NO_STORE)
