"""A malformed form post (a field the view expects is missing) is the client's error: answer
400 with a Chinese message instead of a traceback and a 500 (Wagtail's editors index
request.POST directly, e.g. the StreamField's `-count` fields)."""

from django.http import HttpResponseBadRequest
from django.utils.datastructures import MultiValueDictKeyError


class MalformedPostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError):
            return HttpResponseBadRequest(
                "提交的表单不完整（缺少必填字段），请返回页面重新填写后提交。".encode(),
                content_type="text/plain; charset=utf-8",
            )
        return None
