"""URLs of the public API (/api/v2/). Named "wagtailapi_v2" with a "pages:detail" route because
Wagtail's frontend-cache purging reverses that name. Anonymous only: plain Django views without
session authentication, so an editor's cookie never reveals anything."""

from django.urls import include, path

from . import preview, questions, schema, views

pages_patterns = (
    [
        path("", views.pages_listing, name="listing"),
        path("<int:pk>/", views.page_detail, name="detail"),
        path("find/", views.page_find, name="find"),
    ],
    "pages",
)
images_patterns = (
    [
        path("", views.images_listing, name="listing"),
        path("<int:pk>/", views.image_detail, name="detail"),
    ],
    "images",
)
documents_patterns = (
    [
        path("", views.documents_listing, name="listing"),
        path("<int:pk>/", views.document_detail, name="detail"),
    ],
    "documents",
)
questions_patterns = (
    [
        path("", questions.questions_view, name="create"),
        path("challenge/", questions.challenge_view, name="challenge"),
        path("<str:code>/", questions.question_status_view, name="status"),
    ],
    "questions",
)


class PublicAPIRouter:
    """Mounted in govportal/urls.py as `path("api/v2/", api_router.urls)`."""

    app_name = "wagtailapi_v2"

    @property
    def urls(self):
        patterns = [
            path("", views.api_root, name="root"),
            path("site/", views.site, name="site"),
            path("statutory/", views.statutory, name="statutory"),
            path("schema/", schema.schema_view, name="schema"),
            path("pages/", include(pages_patterns)),
            path("images/", include(images_patterns)),
            path("documents/", include(documents_patterns)),
            path("questions/", include(questions_patterns)),
            path("preview/", preview.preview_view, name="preview"),
        ]
        return patterns, self.app_name, self.app_name


api_router = PublicAPIRouter()
