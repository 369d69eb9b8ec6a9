from django.http import Http404
from django.template.response import TemplateResponse


def permission_denied(request, exception=None):
    """403 with the reason in Chinese (e.g. which approval step the user is not assigned to)."""
    message = str(exception) if exception and str(exception) else "您没有执行此操作的权限。"
    return TemplateResponse(request, "403.html", {"message": message}, status=403)


def not_found(request, *args, **kwargs):
    raise Http404("页面不存在。")
