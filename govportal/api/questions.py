"""The public question intake of 互动交流 (DESIGN.md §2): anonymous, validated, rate-limited per
address, guarded by a self-hosted challenge; creates an unpublished QuestionPage draft that the
approval chain later reviews. `create_public_question` is the one extension point."""

import hmac
import json
import re
import secrets
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.views.decorators.csrf import csrf_exempt

from govportal.addresses import client_address
from moderation.models import Department
from pages.models import ColumnKind, ColumnPage, QuestionPage

from .challenge_image import challenge_image
from .responses import APIError, error_response, json_response
from .scope import get_scope
from .serializers import serialise

CHALLENGE_SALT = "govportal.api.question-challenge"
CHALLENGE_MAX_AGE = 30 * 60
# Five digits drawn in a noisy picture: 32,768 answers, each token good for one try.
CHALLENGE_ALPHABET = "23456789"
CHALLENGE_LENGTH = 5
LIMITS = {
    # (window seconds, max count): attempts of any kind, and questions actually created
    "attempt": [(600, 30)],
    "create": [(600, 5), (86400, 20)],
}
STATUS_LABELS = {"received": "已受理", "replied": "已答复"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
_CODE = re.compile(r"^[A-Z0-9]{4,16}$")


# --- the challenge --------------------------------------------------------------------------


def _answer_mac(nonce, answer):
    return salted_hmac(CHALLENGE_SALT, f"{nonce}:{answer}").hexdigest()[:24]


def new_challenge():
    """A signed, single-use picture challenge; the token hides the answer behind an HMAC."""
    code = "".join(secrets.choice(CHALLENGE_ALPHABET) for _ in range(CHALLENGE_LENGTH))
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "h": _answer_mac(nonce, code)}, salt=CHALLENGE_SALT, compress=True)
    return {
        "token": token,
        "question": f"请输入图片中的 {CHALLENGE_LENGTH} 位数字",
        "image": challenge_image(code),
        "expires_in": CHALLENGE_MAX_AGE,
    }


def check_challenge(token, answer):
    """The error message, or None when the answer is right. Any answer spends the token, a
    wrong one too, so each picture gets one guess."""
    if not token or not answer:
        return "请完成验证题。"
    try:
        payload = signing.loads(token, salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.SignatureExpired:
        return "验证题已过期，请刷新后重新作答。"
    except signing.BadSignature:
        return "验证题无效，请刷新后重新作答。"
    if not isinstance(payload, dict) or not isinstance(payload.get("n"), str):
        return "验证题无效，请刷新后重新作答。"
    if not _cache().add(f"govportal:challenge:{payload['n']}", 1, CHALLENGE_MAX_AGE):
        return "验证题已使用过，请刷新后重新作答。"
    value = unicodedata.normalize("NFKC", str(answer)).strip()
    if not hmac.compare_digest(str(payload.get("h", "")), _answer_mac(payload["n"], value)):
        return "验证码不正确，请看清新的图片后重新填写。"
    return None


# --- rate limiting --------------------------------------------------------------------------


def _cache():
    return caches["api_ratelimit"] if "api_ratelimit" in settings.CACHES else caches["default"]


def over_limit(kind, address):
    """Count one event of `kind` for the address; the seconds to wait when over a limit."""
    cache = _cache()
    now = int(timezone.now().timestamp())
    for window, maximum in LIMITS[kind]:
        key = f"govportal:rate:{kind}:{window}:{now // window}:{address}"
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)
            count = 1
        if count > maximum:
            return window - now % window
    return None


# --- validation and creation ------------------------------------------------------------------


def questions_column():
    return ColumnPage.objects.filter(kind=ColumnKind.QUESTIONS, live=True).order_by("path").first()


def _text(data, name):
    value = data.get(name, "")
    if not isinstance(value, str | int):
        return None
    return str(value).replace("\x00", "").strip()


def _has_hidden_characters(value, multiline):
    """Control characters (CR/LF in a title would break the notification mail) and invisible
    format characters such as U+202E, which reverse how text is displayed."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    return any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") and c not in allowed for c in value)


def validate_question(data):
    """(cleaned, errors) for a submission; messages are in Chinese for the asker."""
    errors, cleaned = {}, {}
    limits = {
        "title": (4, 80, "留言标题"),
        "body": (10, 2000, "留言内容"),
        "name": (1, 50, "姓名"),
        "contact": (5, 100, "联系方式"),
    }
    for name, (low, high, label) in limits.items():
        value = _text(data, name)
        if not value:
            errors[name] = [f"请填写{label}。"]
        elif _has_hidden_characters(value, multiline=name == "body"):
            errors[name] = [
                f"{label}含有控制字符或不可见的格式字符（如换行、文字方向控制符），请删除后重新提交。"
            ]
        elif len(value) < low:
            errors[name] = [f"{label}不能少于 {low} 个字。"]
        elif len(value) > high:
            errors[name] = [f"{label}不能超过 {high} 个字。"]
        else:
            cleaned[name] = value
    contact = cleaned.get("contact")
    if contact and not (_EMAIL.match(contact) or _PHONE.match(contact)):
        errors["contact"] = ["请填写正确的电话号码或电子邮箱。"]

    column = questions_column()
    department = None
    column_value, department_value = _text(data, "column"), _text(data, "department")
    if column is None:
        errors["column"] = ["互动交流栏目暂未开放。"]
    elif column_value and column_value != str(column.pk):
        errors["column"] = ["请选择互动交流栏目。"]
    elif department_value:
        allowed = list(column.departments.all()) or list(Department.objects.all())
        department = next((d for d in allowed if str(d.pk) == department_value), None)
        if department is None:
            errors["department"] = ["请选择受理部门。"]
    elif column_value:
        department = (
            column.departments.order_by("sort_order", "pk").first()
            or Department.objects.filter(is_general_office=True).first()
        )
        if department is None:
            errors["department"] = ["请选择受理部门。"]
    else:
        errors["department"] = ["请选择受理部门或栏目。"]
    cleaned.update(column=column, department=department)
    return cleaned, errors


@transaction.atomic
def create_public_question(*, column, department, title, body, name, contact):
    """Create the unpublished QuestionPage draft (live=False, with a first revision) for the
    department, in the 互动交流 column. The workflow engineer extends this to submit it into
    the approval chain. Returns the page."""
    page = QuestionPage(
        title=title,
        question=body,
        asker_name=name,
        asker_contact=contact,
        asked_at=timezone.now(),
        department=department,
        live=False,
        has_unpublished_changes=True,
    )
    column.add_child(instance=page)
    page.save_revision(log_action=True)
    return page


# --- views -------------------------------------------------------------------------------------


def challenge_view(request):
    if request.method != "GET":
        return error_response(APIError("只支持 GET 请求。", status=405, headers={"Allow": "GET"}))
    response = json_response(new_challenge())
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
def questions_view(request):
    if request.method != "POST":
        return error_response(APIError("只支持 POST 请求。", status=405, headers={"Allow": "POST"}))
    address = client_address(request)
    wait = over_limit("attempt", address)
    if wait:
        return _too_many(wait)
    data = _read_body(request)
    if data is None:
        return error_response(APIError("请求内容应为 JSON 对象或表单。"))
    cleaned, errors = validate_question(data)
    challenge_error = check_challenge(_text(data, "challenge_token"), _text(data, "challenge_answer"))
    if challenge_error:
        errors["challenge_answer"] = [challenge_error]
    if errors:
        return error_response(APIError("提交内容有误，请修改后重新提交。", errors=errors))
    wait = over_limit("create", address)
    if wait:
        return _too_many(wait)
    page = create_public_question(**cleaned)
    response = json_response(
        {
            "query_code": page.query_code,
            "status": "received",
            "status_label": STATUS_LABELS["received"],
            "message": f"留言已提交，请妥善保存查询码 {page.query_code}，凭此查询办理状态和答复。",
        },
        status=201,
    )
    response["Cache-Control"] = "no-store"
    return response


def _too_many(wait):
    return error_response(
        APIError("提交过于频繁，请稍后再试。", status=429, headers={"Retry-After": str(wait)})
    )


def _read_body(request):
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: deep nesting
            return None
        return data if isinstance(data, dict) else None
    return {key: request.POST.get(key) for key in request.POST}


def question_status_view(request, code):
    if request.method not in ("GET", "HEAD"):
        return error_response(APIError("只支持 GET 请求。", status=405, headers={"Allow": "GET"}))
    code = code.upper()
    page = QuestionPage.objects.filter(query_code=code).first() if _CODE.match(code) else None
    if page is None:
        return error_response(APIError("查询码不存在，请核对后重试。", status=404))
    department = page.department
    data = {
        "query_code": page.query_code,
        "status": "received",
        "status_label": STATUS_LABELS["received"],
        "asked_at": timezone.localtime(page.asked_at).isoformat() if page.asked_at else None,
        "department": {"id": department.pk, "name": department.display_name},
    }
    if page.live:
        scope = get_scope()
        doc = scope.documents().filter(pk=page.pk).first()
        if doc is not None:
            detail = serialise([doc], scope, lambda d: ["title", "question", "reply", "replied_on"])[0]
            data.update(
                status="replied",
                status_label=STATUS_LABELS["replied"],
                id=page.pk,
                title=detail["title"],
                question=detail["question"],
                reply=detail["reply"],
                replied_on=detail["replied_on"],
                html_path=doc.html_path,
            )
    response = json_response(data)
    response["Cache-Control"] = "no-store"
    return response
