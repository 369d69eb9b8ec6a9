"""A stand-in for the CMS's /api/v2/ following docs/API.md, for unit tests of the front end
(edge cases such as a slow or failing CMS). Browser tests use the real CMS instead.

Run on its own for development: python -m tests.frontend.fake_api 8012"""

import copy
import itertools
import sys

from starlette.applications import Starlette
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

T = "2026-11-{:02d}T09:30:00+08:00"
DEPARTMENTS = [
    {"id": 1, "name": "开平市民政局办公室"},
    {"id": 2, "name": "开平市民政局社会救助股"},
    {"id": 3, "name": "开平市民政局养老服务股"},
]
TOPICS = [
    {"value": "general", "label": "民政综合"},
    {"value": "assistance", "label": "社会救助"},
    {"value": "elderly", "label": "养老服务"},
]

# A 1×1 PNG standing in for the CMS's challenge picture.
CHALLENGE_IMAGE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def column(id, title, slug, path, kind, kind_label, **extra):
    return {
        "id": id,
        "title": title,
        "slug": slug,
        "html_path": path,
        "node_type": "column",
        "kind": kind,
        "kind_label": kind_label,
        "description": extra.get("description", f"{title}栏目。"),
        "keywords": extra.get("keywords", title),
        "departments": extra.get("departments", DEPARTMENTS[:2]),
        "children": [],
    }


def index(id, title, slug, path, node_type, children):
    return {
        "id": id,
        "title": title,
        "slug": slug,
        "html_path": path,
        "node_type": node_type,
        "kind": None,
        "kind_label": None,
        "description": f"{title}。",
        "keywords": "",
        "departments": [],
        "children": children,
    }


SITE = {
    "name": "开平市民政局",
    "domain": "mzj.kaiping.gov.cn",
    "id_code": "4407830012",
    "organiser": "开平市民政局",
    "address": "开平市长沙街道新平路 1 号",
    "phone": "0750-2222222",
    "email": "mzj@kaiping.gov.cn",
    "icp_number": "粤ICP备12345678号",
    "police_number": "粤公网安备44078302000001号",
    "home": {"id": 3, "title": "开平市民政局", "html_path": "/", "intro": "开平市民政局政务网站。"},
    "columns": [
        index(
            4,
            "要闻动态",
            "yaowen",
            "/yaowen/",
            "category",
            [
                column(5, "工作动态", "gongzuo-dongtai", "/yaowen/gongzuo-dongtai/", "news", "动态要闻"),
                column(6, "时政要闻", "shizheng-yaowen", "/yaowen/shizheng-yaowen/", "news", "动态要闻"),
            ],
        ),
        index(
            7,
            "政务公开",
            "zhengwu-gongkai",
            "/zhengwu-gongkai/",
            "category",
            [
                index(
                    8,
                    "单位动态",
                    "danwei-dongtai",
                    "/zhengwu-gongkai/danwei-dongtai/",
                    "section",
                    [
                        column(
                            9,
                            "通知公告",
                            "tongzhi-gonggao",
                            "/zhengwu-gongkai/danwei-dongtai/tongzhi-gonggao/",
                            "notices",
                            "通知公告",
                        )
                    ],
                ),
                index(
                    10,
                    "政策法规",
                    "zhengce-fagui",
                    "/zhengwu-gongkai/zhengce-fagui/",
                    "section",
                    [
                        column(
                            11,
                            "政策法规",
                            "zhengce-fagui",
                            "/zhengwu-gongkai/zhengce-fagui/zhengce-fagui/",
                            "policies",
                            "政策法规",
                        )
                    ],
                ),
            ],
        ),
        index(
            12,
            "互动交流",
            "hudong",
            "/hudong/",
            "category",
            [
                column(13, "互动交流", "hudong-jiaoliu", "/hudong/hudong-jiaoliu/", "questions", "互动交流"),
                column(14, "调查征集", "diaocha-zhengji", "/hudong/diaocha-zhengji/", "surveys", "调查征集"),
            ],
        ),
        column(15, "办事服务", "banshi-fuwu", "/banshi-fuwu/", "services", "办事服务"),
    ],
    "departments": DEPARTMENTS,
    "topics": TOPICS,
}

STATUTORY = [
    {
        "name": "规章和行政规范性文件",
        "legal_basis": "《政府信息公开条例》第二十条第（一）项",
        "required": True,
        "columns": [
            {"id": 11, "title": "政策法规", "html_path": "/zhengwu-gongkai/zhengce-fagui/zhengce-fagui/"}
        ],
        "item_count": 2,
        "last_updated": "2026-11-20T09:30:00+08:00",
        "missing": False,
    },
    {
        "name": "财政预算、决算信息",
        "legal_basis": "《政府信息公开条例》第二十条第（七）项",
        "required": True,
        "columns": [],
        "item_count": 0,
        "last_updated": None,
        "missing": True,
    },
]

COLUMNS = {
    5: "/yaowen/gongzuo-dongtai/",
    6: "/yaowen/shizheng-yaowen/",
    9: SITE["columns"][1]["children"][0]["children"][0]["html_path"],
    11: "/zhengwu-gongkai/zhengce-fagui/zhengce-fagui/",
    13: "/hudong/hudong-jiaoliu/",
    14: "/hudong/diaocha-zhengji/",
    15: "/banshi-fuwu/",
}  # noqa: E501
COLUMN_TITLES = {
    5: "工作动态",
    6: "时政要闻",
    9: "通知公告",
    11: "政策法规",
    13: "互动交流",
    14: "调查征集",
    15: "办事服务",
}
COLUMN_KINDS = {
    5: "news",
    6: "news",
    9: "notices",
    11: "policies",
    13: "questions",
    14: "surveys",
    15: "services",
}
TYPE_LABELS = {
    "pages.NewsPage": "要闻动态",
    "pages.NoticePage": "通知公告",
    "pages.PolicyPage": "政策文件",
    "pages.QuestionPage": "群众留言",
    "pages.SurveyPage": "调查征集",
    "pages.ServiceGuidePage": "办事指南",
}
_ids = itertools.count(100)


def item(column_id, type_, title, day, **fields):
    id = next(_ids)
    slug = f"item-{id}"
    path = f"{COLUMNS[column_id]}{slug}/"
    return {
        "id": id,
        "meta": {
            "type": type_,
            "type_label": TYPE_LABELS[type_],
            "detail_url": f"/api/v2/pages/{id}/",
            "html_path": path,
            "html_url": path,
            "slug": slug,
            "first_published_at": T.format(day),
            "last_published_at": T.format(day),
            "parent_id": column_id,
        },
        "title": title,
        "column": {
            "id": column_id,
            "title": COLUMN_TITLES[column_id],
            "kind": COLUMN_KINDS[column_id],
            "html_path": COLUMNS[column_id],
        },
        "department": fields.pop("department", DEPARTMENTS[0]),
        "formed_on": f"2026-11-{day:02d}",
        # Like the API: questions and reposts are not the bureau's information (no 索引号).
        "index_number": ""
        if fields.get("is_repost") or type_ == "pages.QuestionPage"
        else f"11440783MB2C12345X/2026-{id:05d}",
        "topic": fields.pop("topic", TOPICS[0]),
        "disclosure_method": {"value": "proactive", "label": "主动公开"},
        "summary": fields.pop("summary", ""),
        "body": fields.pop("body", f"<p>{title}的正文。</p>"),
        "attachments": fields.pop("attachments", []),
        **fields,
    }


NEW_POLICY = item(
    11,
    "pages.PolicyPage",
    "开平市最低生活保障审核确认办法",
    10,
    document_number="开民〔2026〕12号",
    issuing_authority="开平市民政局",
    written_on="2026-11-01",
    effective_on="2026-12-01",
    validity={"value": "in_force", "label": "现行有效"},
    replaced_by=None,
    replaces=[],
    topic=TOPICS[1],
)
OLD_POLICY = item(
    11,
    "pages.PolicyPage",
    "开平市最低生活保障审核审批实施细则（2019年）",
    1,
    document_number="开民〔2019〕8号",
    issuing_authority="开平市民政局",
    written_on="2019-03-01",
    effective_on=None,
    validity={"value": "abolished", "label": "已废止"},
    replaced_by={
        "id": NEW_POLICY["id"],
        "title": NEW_POLICY["title"],
        "html_path": NEW_POLICY["meta"]["html_path"],
    },
    replaces=[],
    topic=TOPICS[1],
)
ITEMS = [
    item(
        5,
        "pages.NewsPage",
        "我局召开2026年第四季度民政重点工作推进会",
        20,
        source="",
        author_byline="办公室",
        body='<p>会议强调要做好社会救助工作。</p><p><img src="http://127.0.0.1:8012/media/images/meeting.width-800.jpg" alt="会议现场"></p>',
        attachments=[
            {
                "kind": "attachment",
                "title": "会议材料",
                "file_type": "pdf",
                "size": 48213,
                "url": "http://127.0.0.1:8012/documents/12/meeting.pdf",
                "caption": "",
            }
        ],
    ),
    item(
        6,
        "pages.NewsPage",
        "全省民政工作会议召开",
        18,
        source="广东省民政厅",
        is_repost=True,
        source_url="http://smzt.gd.gov.cn/zwgk/gzdt/content/post_1.html",
        author_byline="",
    ),
    item(
        9,
        "pages.NoticePage",
        "关于2027年元旦期间婚姻登记安排的通知",
        19,
        notice_kind={"value": "preview", "label": "预告类"},
        event_date="2027-01-01",
    ),
    NEW_POLICY,
    OLD_POLICY,
    item(
        13,
        "pages.QuestionPage",
        "低保申请需要哪些材料？",
        15,
        question="请问申请低保需要准备哪些材料？",
        asked_at=T.format(12),
        reply="<p>需提供户口簿、身份证及家庭收入证明。</p>",
        replied_on="2026-11-14",
        department=DEPARTMENTS[1],
    ),
    item(
        14,
        "pages.SurveyPage",
        "关于《开平市养老服务补贴办法（征求意见稿）》公开征求意见",
        16,
        opens_on="2026-11-16",
        closes_on="2026-12-16",
        is_open=True,
        feedback_channel="电子邮箱：mzj@kaiping.gov.cn",
    ),
    item(
        14,
        "pages.SurveyPage",
        "2025年度民政服务满意度问卷调查",
        2,
        opens_on="2025-10-01",
        closes_on="2025-10-31",
        is_open=False,
        feedback_channel="",
    ),
    item(
        15,
        "pages.ServiceGuidePage",
        "最低生活保障申请",
        5,
        elements=[
            {"key": "title", "label": "事项名称", "value": "最低生活保障申请", "html": False},
            {"key": "legal_basis", "label": "设定依据", "value": "<p>《社会救助暂行办法》</p>", "html": True},
            {
                "key": "conditions",
                "label": "申请条件",
                "value": "<p>家庭人均收入低于当地低保标准。</p>",
                "html": True,
            },
            {"key": "materials", "label": "办理材料", "value": "<p>户口簿、身份证。</p>", "html": True},
            {"key": "location", "label": "办理地点", "value": "各镇（街道）便民服务中心", "html": False},
            {"key": "agency", "label": "办理机构", "value": "开平市民政局", "html": False},
            {"key": "fees", "label": "收费标准", "value": "不收费", "html": False},
            {"key": "hours", "label": "办理时间", "value": "工作日 8:30-12:00，14:30-17:30", "html": False},
            {"key": "phone", "label": "联系电话", "value": "0750-2222222", "html": False},
            {"key": "process", "label": "办理流程", "value": "<p>申请、审核、公示、确认。</p>", "html": True},
        ],
    ),
]
# Enough news for pagination.
ITEMS += [item(5, "pages.NewsPage", f"社区养老服务站巡查第{n}期", 1 + n % 9, source="") for n in range(1, 26)]
LISTING_FIELDS = ("body", "attachments", "elements", "reply", "question", "replaces", "replaced_by")


class FakeCMS:
    """The data and switches tests flip: fail (503), slow (seconds), calls (a log)."""

    def __init__(self):
        self.items = copy.deepcopy(ITEMS)
        self.site = copy.deepcopy(SITE)
        self.fail = False
        self.calls = []
        self.questions = {}
        self.posted = []
        self.previews = {}  # token -> detail JSON of a draft (the CMS's /api/v2/preview/)
        self.redirects = {}  # old html_path -> item id (the CMS's redirects, e.g. old item addresses)
        self.statutory = copy.deepcopy(STATUTORY)

    def by_path(self, path):
        found = next((i for i in self.items if i["meta"]["html_path"] == path), None)
        if found is None and path in self.redirects:
            found = next((i for i in self.items if i["id"] == self.redirects[path]), None)
        return found

    def listing(self, params):
        items = self.items
        if "child_of" in params:
            items = [i for i in items if str(i["meta"]["parent_id"]) == params["child_of"]]
        if "department" in params:
            items = [i for i in items if str(i["department"]["id"]) == params["department"]]
        if "topic" in params:
            items = [i for i in items if i["topic"]["value"] == params["topic"]]
        if params.get("catalogue") == "1":
            items = [i for i in items if i["index_number"]]
        if "validity" in params:
            items = [i for i in items if (i.get("validity") or {}).get("value") == params["validity"]]
        if "date_from" in params:
            items = [i for i in items if i["meta"]["first_published_at"][:10] >= params["date_from"]]
        if "date_to" in params:
            items = [i for i in items if i["meta"]["first_published_at"][:10] <= params["date_to"]]
        if "search" in params:
            q = params["search"]
            items = [i for i in items if q in i["title"] or q in i["body"]]
            items = [
                {**i, "search": {"snippet": i["title"].replace(q, f"<mark>{q}</mark>"), "title_match": True}}
                for i in items
            ]
        # Like the API: newest first; ties by id, descending by default, ascending with an order.
        items = sorted(items, key=lambda i: i["id"], reverse="order" not in params)
        items = sorted(items, key=lambda i: i["meta"]["first_published_at"], reverse=True)
        offset, limit = int(params.get("offset", 0)), int(params.get("limit", 20))
        page = [
            {k: v for k, v in i.items() if k not in LISTING_FIELDS} for i in items[offset : offset + limit]
        ]
        return {"meta": {"total_count": len(items)}, "items": page}


def create_fake_api(cms: FakeCMS | None = None):
    cms = cms or FakeCMS()

    def guard(request):
        cms.calls.append(request.url.path + ("?" + request.url.query if request.url.query else ""))
        if cms.fail:
            return JSONResponse({"message": "服务暂不可用"}, status_code=503)
        return None

    async def site(request):
        return guard(request) or JSONResponse(cms.site)

    async def pages(request):
        return guard(request) or JSONResponse(cms.listing(dict(request.query_params)))

    async def detail(request):
        if failed := guard(request):
            return failed
        found = next((i for i in cms.items if i["id"] == request.path_params["id"]), None)
        if found is None:
            return JSONResponse({"message": "未找到。"}, status_code=404)
        return JSONResponse(found)

    async def find(request):
        if failed := guard(request):
            return failed
        found = cms.by_path(request.query_params.get("html_path", ""))
        if found is None:
            return JSONResponse({"message": "未找到。"}, status_code=404)
        # Like Wagtail: an absolute URL on the CMS's own configured host.
        return RedirectResponse(f"http://localhost/api/v2/pages/{found['id']}/", status_code=302)

    async def challenge(request):
        return guard(request) or JSONResponse(
            {"token": "tok-1", "question": "7 加 5 等于几？", "image": CHALLENGE_IMAGE, "expires_in": 1800}
        )

    async def questions(request):
        if failed := guard(request):
            return failed
        data = await request.json()
        cms.posted.append((data, request.headers.get("x-forwarded-for")))
        errors = {}
        if len(data.get("title", "")) < 4:
            errors["title"] = ["留言标题应为 4 至 80 个字。"]
        if len(data.get("body", "")) < 10:
            errors["body"] = ["留言内容应为 10 至 2000 个字。"]
        if data.get("challenge_answer") != "12":
            errors["challenge_answer"] = ["验证答案不正确。"]
        if data.get("title") == "flood":
            return JSONResponse({"message": "提交过于频繁"}, status_code=429, headers={"Retry-After": "600"})
        if errors:
            return JSONResponse(
                {"message": "提交内容有误，请修改后重新提交。", "errors": errors}, status_code=400
            )
        code = f"CODE{len(cms.questions) + 1:06d}"
        cms.questions[code] = {
            "query_code": code,
            "status": "received",
            "status_label": "已受理",
            "asked_at": T.format(20),
            "department": DEPARTMENTS[1],
        }
        return JSONResponse(
            {
                "query_code": code,
                "status": "received",
                "status_label": "已受理",
                "message": f"留言已提交，请妥善保存查询码 {code}。",
            },
            status_code=201,
        )

    async def question_status(request):
        if failed := guard(request):
            return failed
        found = cms.questions.get(request.path_params["code"])
        if found is None:
            return JSONResponse({"message": "未找到。"}, status_code=404)
        return JSONResponse(found)

    async def preview(request):
        if failed := guard(request):
            return failed
        headers = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
        found = cms.previews.get(request.query_params.get("token", ""))
        if found is None:
            return JSONResponse({"message": "预览链接无效或已过期。"}, status_code=403, headers=headers)
        return JSONResponse(found, headers=headers)

    async def statutory(request):
        return guard(request) or JSONResponse({"items": cms.statutory})

    async def document(request):
        # As Wagtail serves documents: its own CSP and nosniff.
        headers = {"Content-Security-Policy": "default-src 'none'", "X-Content-Type-Options": "nosniff"}
        return guard(request) or Response(b"%PDF-1.4 fake", media_type="application/pdf", headers=headers)

    app = Starlette(
        routes=[
            Route("/api/v2/site/", site),
            Route("/api/v2/statutory/", statutory),
            Route("/api/v2/pages/", pages),
            Route("/api/v2/pages/find/", find),
            Route("/api/v2/pages/{id:int}/", detail),
            Route("/api/v2/questions/challenge/", challenge),
            Route("/api/v2/questions/", questions, methods=["POST"]),
            Route("/api/v2/questions/{code}/", question_status),
            Route("/api/v2/preview/", preview),
            Route("/documents/{path:path}", document),
            Route("/media/{path:path}", document),
        ]
    )
    app.state.cms = cms
    return app


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_fake_api(), host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 8012)
