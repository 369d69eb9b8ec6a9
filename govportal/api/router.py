"""The public, read-only API (Wagtail API v2). Anonymous only: no session authentication, so
an editor's cookie never reveals restricted pages."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class PublicPagesAPIViewSet(PagesAPIViewSet):
    authentication_classes = []


class PublicImagesAPIViewSet(ImagesAPIViewSet):
    authentication_classes = []


class PublicDocumentsAPIViewSet(DocumentsAPIViewSet):
    authentication_classes = []


# Named "wagtailapi_v2" because Wagtail's frontend-cache purging reverses that name.
api_router = WagtailAPIRouter("wagtailapi_v2")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
