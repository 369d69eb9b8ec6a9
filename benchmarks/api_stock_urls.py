"""Stock Wagtail API v2 (PagesAPIViewSet as shipped) at /api/v2/, for comparison only."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

router = WagtailAPIRouter("stockapi")
router.register_endpoint("pages", PagesAPIViewSet)
urlpatterns = [path("api/v2/", router.urls)]
