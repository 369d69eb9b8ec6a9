"""The pages of the public site. Each view gathers its API calls concurrently, renders a Jinja
template and goes through the page cache; CMS failures become polite Chinese pages."""

import re
from datetime import date
from urllib.parse import parse_qsl, quote

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from . import prefs as reading_prefs
from .api import NotFound
from .cache import Unavailable
from .content import (
    CATALOGUE_KINDS,
    VALIDITIES,
    SiteTree,
    gather_dict,
    listing_url,
    normalise_path,
    split_listing_path,
)
from .security import client_address

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
QUERY_CODE = re.compile(r"^[A-Z0-9]{6,16}$")
HOME_LIST = 8
MAX_QUERY = 50

QUESTION_FIELDS = ("department", "title", "body", "name", "contact", "challenge_answer")


# -- shared helpers ------------------------------------------------------------------------


async def load_site(portal) -> SiteTree:
    data = await portal.api.get("site/")
    tree = portal.trees.get(id(data))
    if tree is None or tree.data is not data:
        tree = SiteTree(data)
        portal.trees = {id(data): tree}
    return tree


async def load_site_or_empty(portal) -> SiteTree:
    """For pages that must keep working while the CMS is away (the question form)."""
    try:
        return await load_site(portal)
    except Unavailable:
        return SiteTree({})


async def listing(portal, **params):
    params.setdefault("limit", portal.settings.page_size)
    try:
        return await portal.api.get("pages/", params)
    except NotFound:
        return {"meta": {"total_count": 0}, "items": []}


def page_count(total, size):
    return max(1, -(-int(total or 0) // size))


def pagination(base_path, page, total, size, query=""):
    pages = page_count(total, size)
    window = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links, previous = [], 0
    for number in window:
        if number - previous > 1:
            links.append(None)  # an ellipsis
        links.append({"number": number, "url": listing_url(base_path, number) + query})
        previous = number
    return {
        "page": page,
        "pages": pages,
        "total": total,
        "links": links,
        "previous": listing_url(base_path, page - 1) + query if page > 1 else None,
        "next": listing_url(base_path, page + 1) + query if page < pages else None,
    }


def read_filters(params, tree, column=None):
    """Department and date filters of a listing; invalid values are dropped with a message."""
    filters, errors = {}, []
    department = params.get("department", "")
    if department:
        if department.isdigit() and tree.department_name(department):
            filters["department"] = department
        else:
            errors.append("所选部门不存在，已忽略。")
    for name, label in (("date_from", "起始日期"), ("date_to", "截止日期")):
        value = params.get(name, "")
        if not value:
            continue
        try:
            if not DATE.match(value):
                raise ValueError
            date.fromisoformat(value)
            filters[name] = value
        except ValueError:
            errors.append(f"{label}格式应为 年-月-日（如 2026-03-01），已忽略。")
    if filters.get("date_from", "") > filters.get("date_to", "9999"):
        errors.append("起始日期晚于截止日期，已忽略日期条件。")
        filters.pop("date_from"), filters.pop("date_to")
    topic = params.get("topic", "")
    if topic and any(t.get("value") == topic for t in tree.topics):
        filters["topic"] = topic
    validity = params.get("validity", "")
    if validity and validity in dict(VALIDITIES):
        filters["validity"] = validity
    return filters, errors


def column_meta(node):
    if node is None:
        return {}
    return {
        "ColumnName": node.title,
        "ColumnDescription": node.description or node.title,
        "ColumnKeywords": node.keywords or node.title,
        "ColumnType": node.kind_label
        or {"category": "栏目分类", "section": "栏目子类"}.get(node.node_type, "栏目"),
    }


# -- pages ---------------------------------------------------------------------------------


async def home(portal, request):
    tree = await load_site(portal)
    blocks = []  # (node, coroutine name)
    calls = {}
    news_categories = [
        n for n in tree.columns if not n.is_column and all(leaf.kind == "news" for leaf in n.leaves())
    ]
    for category in news_categories:
        for leaf in category.leaves():
            calls[f"c{leaf.id}"] = listing(portal, child_of=leaf.id, limit=HOME_LIST)
    featured = [*tree.columns_of_kind("notices"), *tree.columns_of_kind("policies")]
    featured += tree.columns_of_kind("elderly_care", "disclosure")[:2]
    for column in featured:
        calls[f"c{column.id}"] = listing(portal, child_of=column.id, limit=6)
    services = tree.first_of_kind("services")
    questions = tree.first_of_kind("questions")
    surveys = tree.first_of_kind("surveys")
    links = tree.first_of_kind("links")
    for column, limit in ((services, 12), (questions, 5), (surveys, 3), (links, 12)):
        if column is not None:
            calls[f"c{column.id}"] = listing(portal, child_of=column.id, limit=limit)
    results = await gather_dict(**calls)

    for category in news_categories:
        merged = [item for leaf in category.leaves() for item in results[f"c{leaf.id}"]["items"]]
        merged.sort(key=lambda item: item["meta"].get("first_published_at") or "", reverse=True)
        blocks.append({"node": category, "items": merged[:HOME_LIST]})
    for column in featured:
        blocks.append({"node": column, "items": results[f"c{column.id}"]["items"]})

    def items_of(column):
        return results[f"c{column.id}"]["items"] if column is not None else []

    return portal.render(
        request,
        "home.html",
        tree=tree,
        blocks=blocks,
        services=services,
        service_items=items_of(services),
        questions=questions,
        question_items=items_of(questions),
        surveys=surveys,
        survey_items=items_of(surveys),
        links=links,
        link_items=items_of(links),
        meta={},
    )


async def index_page(portal, request, tree, node):
    """A category or section: its columns, each with its latest items."""
    calls = {f"c{leaf.id}": listing(portal, child_of=leaf.id, limit=6) for leaf in node.leaves()}
    results = await gather_dict(**calls)
    groups = [{"node": leaf, "items": results[f"c{leaf.id}"]["items"]} for leaf in node.leaves()]
    return portal.render(
        request,
        "index_page.html",
        tree=tree,
        node=node,
        groups=groups,
        breadcrumbs=tree.breadcrumbs(node),
        meta=column_meta(node),
    )


def column_order(node):
    """The order of a column's listing (the static export reproduces its pages)."""
    return "path" if node.kind in {"leaders", "standing"} else "-first_published_at"


async def column_page(portal, request, tree, node, page):
    params = dict(request.query_params)
    filters, filter_errors = read_filters(params, tree, node)
    size = portal.settings.page_size
    order = column_order(node)
    data = await listing(
        portal, child_of=node.id, limit=size, offset=(page - 1) * size, order=order, **filters
    )
    total = data["meta"].get("total_count", 0)
    if page > 1 and page > page_count(total, size):
        raise NotFound(request.url.path)
    query = "?" + request.url.query if request.url.query else ""
    departments = node.departments or tree.departments
    return portal.render(
        request,
        "column.html",
        tree=tree,
        node=node,
        items=data["items"],
        filters=filters,
        filter_errors=filter_errors,
        departments=departments,
        catalogue=node.kind in CATALOGUE_KINDS,
        validities=VALIDITIES,
        pager=pagination(node.path, page, total, size, query),
        breadcrumbs=tree.breadcrumbs(node),
        meta=column_meta(node),
    )


async def item_page(portal, request, tree, path):
    column = tree.column_for_item_path(path)
    calls = {"item": portal.api.get("pages/find/", {"html_path": path})}
    if column is not None:
        calls["siblings"] = listing(portal, child_of=column.id, limit=6)
    results = await gather_dict(**calls)
    item = results["item"]
    if item.get("meta", {}).get("type") in {"pages.HomePage", "pages.CategoryPage", "pages.SectionPage"}:
        raise NotFound(path)
    current = item.get("meta", {}).get("html_path")
    if current and current != path:
        # An old address (an item's former title-based one): the CMS knows where it went.
        raise HTTPException(301, headers={"Location": quote(current)})
    return portal.render(
        request, "item.html", **item_context(tree, column, item, path, results.get("siblings"))
    )


def item_context(tree, column, item, path, siblings=None):
    """What item.html needs, for a published item and for a draft preview alike."""
    siblings = [i for i in (siblings or {}).get("items", []) if i["id"] != item["id"]][:5]
    crumbs = item.get("breadcrumbs")
    if crumbs:
        breadcrumbs = [
            {"title": c["title"] if i else "首页", "path": c["html_path"]} for i, c in enumerate(crumbs)
        ]
        if breadcrumbs[-1]["path"] == path:
            breadcrumbs = breadcrumbs[:-1]
    else:
        breadcrumbs = tree.breadcrumbs(column)
    breadcrumbs.append({"title": item["title"], "path": path})
    department = (item.get("department") or {}).get("name")
    meta = column_meta(column)
    meta.update(
        ArticleTitle=item["title"],
        PubDate=(item["meta"].get("first_published_at") or "")[:16].replace("T", " "),
        ContentSource=item.get("source") or department or tree.data.get("organiser") or tree.name,
    )
    item_type = item["meta"].get("type", "").split(".")[-1].lower()
    return dict(
        tree=tree,
        node=column,
        item=item,
        item_type=item_type,
        siblings=siblings,
        breadcrumbs=breadcrumbs,
        meta=meta,
    )


PREVIEW_HEADERS = {"Cache-Control": "no-store, private", "X-Robots-Tag": "noindex, nofollow"}


async def preview(portal, request):
    """/_preview/?token=…: a draft as this site will show it, from the CMS's preview API (the
    token is the CMS's signed, one-hour one). Never cached here, never indexed."""
    token = request.query_params.get("token", "")
    status, item = 403, {}
    if token and len(token) <= 4096:
        try:
            status, item = await portal.api.get_uncached("preview/", {"token": token})
        except NotFound:
            status = 404
    tree = await load_site_or_empty(portal)
    if status != 200 or not isinstance(item, dict) or "meta" not in item:
        message = (item or {}).get("message") if isinstance(item, dict) else None
        html = portal.render_html(
            request,
            "error.html",
            tree=tree,
            title="无法预览",
            message=message or "预览链接无效或已过期，请在后台重新预览。",
            code=403,
            breadcrumbs=[{"title": "首页", "path": "/"}, {"title": "无法预览", "path": request.url.path}],
            meta={},
            preview=True,
        )
        return Response(html, status_code=403, media_type="text/html; charset=utf-8", headers=PREVIEW_HEADERS)
    path = item["meta"].get("html_path") or "/"
    column = tree.column_for_item_path(path) if tree.data else None
    siblings = None
    if column is not None:
        try:
            siblings = await listing(portal, child_of=column.id, limit=6)
        except Exception:
            siblings = None
    html = portal.render_html(
        request, "item.html", preview=True, **item_context(tree, column, item, path, siblings)
    )
    return Response(html, media_type="text/html; charset=utf-8", headers=PREVIEW_HEADERS)


async def catalogue(portal, request, page):
    """信息公开目录: the bureau's government information (no questions, links or reposts) with
    索引号, 名称, 文号, 发布机构, 主题分类, 生成日期 and 有效性, filtered as the visitor asks."""
    tree = await load_site(portal)
    params = dict(request.query_params)
    filters, filter_errors = read_filters(params, tree)
    size = portal.settings.page_size
    home_id = tree.home.get("id")
    data = await listing(
        portal, descendant_of=home_id, catalogue=1, limit=size, offset=(page - 1) * size, **filters
    )
    items = data["items"]
    total = data["meta"].get("total_count", 0)
    if page > 1 and page > page_count(total, size):
        raise NotFound(request.url.path)
    query = "?" + request.url.query if request.url.query else ""
    node = None
    return portal.render(
        request,
        "catalogue.html",
        tree=tree,
        node=node,
        items=items,
        filters=filters,
        filter_errors=filter_errors,
        departments=tree.departments,
        validities=VALIDITIES,
        pager=pagination("/xxgk/", page, total, size, query),
        breadcrumbs=[{"title": "首页", "path": "/"}, {"title": "政府信息公开目录", "path": "/xxgk/"}],
        meta={
            "ColumnName": "政府信息公开目录",
            "ColumnDescription": "主动公开的政府信息目录：索引号、名称、文号、发布机构、主题分类、生成日期、有效性。",
            "ColumnKeywords": "信息公开,公开目录,索引号",
            "ColumnType": "信息公开目录",
        },
    )


async def search(portal, request):
    tree = await load_site(portal)
    query = (request.query_params.get("q") or "").strip()[:MAX_QUERY]
    try:
        page = max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    size = portal.settings.page_size
    data = {"meta": {"total_count": 0}, "items": []}
    if query:
        data = await listing(portal, search=query, limit=size, offset=(page - 1) * size)
    total = data["meta"].get("total_count", 0)
    pages = page_count(total, size)
    base = "/search/?" + f"q={quote(query)}&page="
    return portal.render(
        request,
        "search.html",
        tree=tree,
        query=query,
        items=data["items"],
        total=total,
        page=page,
        pages=pages,
        previous=base + str(page - 1) if page > 1 else None,
        next=base + str(page + 1) if page < pages else None,
        breadcrumbs=[{"title": "首页", "path": "/"}, {"title": "站内搜索", "path": "/search/"}],
        meta={"ColumnName": "站内搜索", "ColumnType": "搜索"},
    )


async def accessibility(portal, request):
    tree = await load_site(portal)
    return portal.render(
        request,
        "accessibility.html",
        tree=tree,
        breadcrumbs=[{"title": "首页", "path": "/"}, {"title": "无障碍", "path": "/wuzhangai/"}],
        meta={"ColumnName": "无障碍服务", "ColumnType": "无障碍"},
    )


async def content(portal, request):
    """Everything under the column tree: categories, sections, columns and items."""
    raw = request.path_params.get("path", "")
    path = normalise_path(raw)
    if not path.endswith("/") and not path.endswith(".html"):
        raise HTTPException(308, headers={"Location": quote(path + "/")})
    tree = await load_site(portal)
    base, page = split_listing_path(path)
    node = tree.by_path.get(base)
    if node is not None:
        if node.is_column:
            return await column_page(portal, request, tree, node, page or 1)
        if page and page > 1:
            raise NotFound(path)
        return await index_page(portal, request, tree, node)
    if page is not None:
        raise NotFound(path)
    return await item_page(portal, request, tree, path)


# -- preferences ---------------------------------------------------------------------------


async def set_prefs(portal, request):
    current = reading_prefs.from_request(request)
    chosen = reading_prefs.apply_change(current, request.query_params)
    target = reading_prefs.safe_next(request.query_params.get("next"))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        reading_prefs.COOKIE, chosen.encode(), max_age=reading_prefs.MAX_AGE, samesite="lax", httponly=True
    )
    return response


# -- public questions ----------------------------------------------------------------------


def question_departments(tree):
    column = tree.first_of_kind("questions")
    return column, (column.departments if column and column.departments else tree.departments)


async def new_challenge(portal):
    try:
        _, challenge = await portal.api.get_uncached("questions/challenge/")
        return challenge
    except (Unavailable, NotFound):
        return None


async def question_form(portal, request, values=None, errors=None, message=None, status=200):
    results = await gather_dict(tree=load_site_or_empty(portal), challenge=new_challenge(portal))
    tree, challenge = results["tree"], results["challenge"]
    column, departments = question_departments(tree)
    return portal.render_uncached(
        request,
        "question_form.html",
        status=status,
        form_status=status,
        tree=tree,
        node=column,
        departments=departments,
        values=values or {},
        errors=errors or {},
        message=message,
        challenge=challenge,
        breadcrumbs=[*tree.breadcrumbs(column), {"title": "我要留言", "path": "/liuyan/"}],
        meta=column_meta(column),
    )


async def read_form(request):
    body = (await request.body())[:20000].decode("utf-8", "replace")
    return dict(parse_qsl(body, keep_blank_values=True))


async def submit_question(portal, request):
    form = await read_form(request)
    values = {name: (form.get(name) or "").strip() for name in QUESTION_FIELDS}
    if form.get("website"):
        # The honeypot field is invisible to people; a bot filled it in.
        return await question_form(portal, request, values, message="提交未成功，请稍后重试。", status=400)
    tree = await load_site_or_empty(portal)
    column, departments = question_departments(tree)
    payload = {
        "title": values["title"],
        "body": values["body"],
        "name": values["name"],
        "contact": values["contact"],
        "challenge_token": form.get("challenge_token", ""),
        "challenge_answer": values["challenge_answer"],
    }
    if values["department"]:
        payload["department"] = values["department"]
    elif column is not None:
        payload["column"] = column.id
    client_ip = client_address(request, portal.settings.trusted_proxies)
    try:
        status, answer = await portal.api.post("questions/", payload, client_ip=client_ip)
    except Unavailable:
        return await question_form(
            portal,
            request,
            values,
            message="留言系统暂时无法连接，您填写的内容已保留，请稍后再试。",
            status=503,
        )
    if status == 201:
        return portal.render_uncached(
            request,
            "question_done.html",
            tree=tree,
            node=column,
            answer=answer,
            breadcrumbs=[*tree.breadcrumbs(column), {"title": "留言已提交", "path": "/liuyan/"}],
            meta=column_meta(column),
        )
    if status == 429:
        return await question_form(
            portal,
            request,
            values,
            message="提交过于频繁，请稍后再试。您填写的内容已保留。",
            status=429,
        )
    errors = {
        key: " ".join(value) if isinstance(value, list) else str(value)
        for key, value in (answer.get("errors") or {}).items()
    }
    if "column" in errors:
        errors.setdefault("department", errors.pop("column"))
    if "challenge_token" in errors:
        errors.setdefault("challenge_answer", errors.pop("challenge_token"))
    values["challenge_answer"] = ""
    return await question_form(
        portal,
        request,
        values,
        errors,
        message=answer.get("message") or "提交内容有误，请修改后重新提交。",
        status=400,
    )


async def question_status(portal, request):
    tree = await load_site(portal)
    code = (request.query_params.get("code") or "").strip().upper()
    result, error = None, None
    if code:
        if not QUERY_CODE.match(code):
            error = "查询码应为 6 至 16 位字母或数字，请核对后重新输入。"
        else:
            try:
                _, result = await portal.api.get_uncached(f"questions/{code}/")
            except NotFound:
                error = "未找到该查询码对应的留言，请核对后重新输入。"
    column = tree.first_of_kind("questions")
    return portal.render_uncached(
        request,
        "question_status.html",
        tree=tree,
        node=column,
        code=code,
        result=result,
        error=error,
        breadcrumbs=[*tree.breadcrumbs(column), {"title": "留言查询", "path": "/liuyan/chaxun/"}],
        meta=column_meta(column),
    )


def plain_response(text, status):
    return Response(text, status_code=status, media_type="text/plain; charset=utf-8")


async def statutory_list(portal, request):
    """法定主动公开内容: each kind of information the bureau must disclose, where it is published
    on this site and when it was last updated (a required kind with nothing published says so)."""
    results = await gather_dict(tree=load_site(portal), statutory=portal.api.get("statutory/"))
    return portal.render(
        request,
        "statutory.html",
        tree=results["tree"],
        node=None,
        rows=results["statutory"].get("items", []),
        breadcrumbs=[
            {"title": "首页", "path": "/"},
            {"title": "政府信息公开目录", "path": "/xxgk/"},
            {"title": "法定主动公开内容", "path": "/xxgk/fdzdgknr/"},
        ],
        meta={
            "ColumnName": "法定主动公开内容",
            "ColumnDescription": "《政府信息公开条例》规定本机关应当主动公开的政府信息及其公开栏目。",
            "ColumnKeywords": "主动公开,法定公开内容,信息公开目录",
            "ColumnType": "信息公开目录",
        },
    )
