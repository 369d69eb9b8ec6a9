"""URLs of the public API (/api/v2/). Named "wagtailapi_v2" with a "pages:detail" route because
Wagtail's frontend-cache purging reverses that name. Anonymous only: plain Django views without
session authentication, so an editor's cookie never reveals anything."""

from django.urls import include, path, register_converter

from . import preview, questions, schema, views


class RowIdConverter:
    """An id that fits a 64-bit primary key; anything longer is simply not found (404)
    instead of overflowing the database driver."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(RowIdConverter, "rowid")

pages_patterns = (
    [
        path("", views.pages_listing, name="listing"),
        path("<rowid:pk>/", views.page_detail, name="detail"),
        path("find/", views.page_find, name="find"),
    ],
    "pages",
)
images_patterns = (
    [
        path("", views.images_listing, name="listing"),
        path("<rowid:pk>/", views.image_detail, name="detail"),
    ],
    "images",
)
documents_patterns = (
    [
        path("", views.documents_listing, name="listing"),
        path("<rowid:pk>/", views.document_detail, name="detail"),
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
