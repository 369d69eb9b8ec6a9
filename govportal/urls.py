from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from govportal.accounts import two_factor
from govportal.accounts.views import password_change
from govportal.api.router import api_router
from govportal.views import not_found

urlpatterns = [
    # Outside Wagtail's admin URLs so that an account without admin access (e.g. one just
    # created with no group yet) can still change its password at first login.
    path("admin/password/", password_change, name="accounts_password_change"),
    # Wagtail's deliberate-exception route (a 500 on purpose, for testing error pages) is not
    # something a production admin should answer.
    path("admin/failwhale/", not_found),
    path("admin/2fa/setup/", two_factor.setup, name="accounts_otp_setup"),
    path("admin/2fa/verify/", two_factor.verify, name="accounts_otp_verify"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "govportal.views.permission_denied"
