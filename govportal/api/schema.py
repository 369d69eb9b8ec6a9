"""The OpenAPI 3.1 description of the public API, served at /api/v2/schema/. Its component
schemas are JSON Schema, and the tests validate real responses against them."""

from django.core.exceptions import FieldDoesNotExist
from django.db import models

from pages.items import is_item

from . import fields
from .responses import json_response
from .serializers import TYPE_LABELS

NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}
DATETIME = {"type": ["string", "null"], "format": "date-time"}
CHOICE = {
    "type": ["object", "null"],
    "required": ["value", "label"],
    "properties": {"value": {"type": "string"}, "label": {"type": "string"}},
    "additionalProperties": False,
}
REF = {
    "type": ["object", "null"],
    "required": ["id", "title", "html_path"],
    "properties": {"id": {"type": "integer"}, "title": {"type": "string"}, "html_path": {"type": "string"}},
    "additionalProperties": False,
}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


# The JSON Schema of a declared field's value, by its kind (text: by its model field).
KIND_SCHEMAS = {
    "rich": {"type": "string"},
    "date": DATE,
    "datetime": DATETIME,
    "choice": CHOICE,
    "image": ref("Image"),
    "attachments": {"type": "array", "items": ref("Attachment")},
    "flag": {"type": "boolean"},
}
# The fields the API computes itself (pages.public.PublicField kind "computed").
COMPUTED_SCHEMAS = {
    "breadcrumbs": {"type": "array", "items": REF},
    "departments": {"type": "array", "items": ref("Department")},
    "replaced_by": REF,
    "replaces": {"type": "array", "items": REF},
    "is_open": {"type": "boolean"},
    "elements": {
        "type": "array",
        "minItems": 10,
        "maxItems": 10,
        "items": {
            "type": "object",
            "required": ["key", "label", "value", "html"],
            "properties": {
                "key": {"type": "string"},
                "label": {"type": "string"},
                "value": {"type": "string"},
                "html": {"type": "boolean"},
            },
        },
    },
}


def _text_schema(model, field):
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return {"type": "string"}
    if isinstance(model_field, models.BooleanField):
        return {"type": "boolean"}
    if isinstance(model_field, models.IntegerField):
        return {"type": "integer"}
    return {"type": "string"}


def field_schema(model, field):
    if field.schema is not None:
        schema = dict(field.schema)
    elif field.kind == "computed":
        schema = COMPUTED_SCHEMAS[field.name]
    elif field.kind == "text":
        schema = _text_schema(model, field)
    else:
        schema = KIND_SCHEMAS[field.kind]
    return {**schema, "description": field.description} if field.description else schema


def page_component():
    properties = {
        "id": {"type": "integer"},
        "meta": ref("PageMeta"),
        "title": {"type": "string"},
        "column": ref("ColumnRef"),
        "department": ref("Department"),
    }
    # Items' fields first, then the site structure's.
    for model in sorted(fields.public_models().values(), key=lambda m: not is_item(m)):
        for field in model.public_fields:
            properties.setdefault(field.name, field_schema(model, field))
    properties["search"] = {
        "type": "object",
        "required": ["snippet", "title_match"],
        "properties": {"snippet": {"type": "string"}, "title_match": {"type": "boolean"}},
    }
    return {
        "type": "object",
        "required": ["id", "meta"],
        "properties": properties,
        "not": {
            "anyOf": [
                {"required": ["asker_name"]},
                {"required": ["asker_contact"]},
                {"required": ["owner"]},
                {"required": ["email"]},
            ]
        },
        "additionalProperties": False,
    }


COMPONENTS = {
    "Error": {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": {"type": "string"},
            "errors": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
        "additionalProperties": False,
    },
    "Department": {
        "type": ["object", "null"],
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        "additionalProperties": False,
    },
    "ColumnRef": {
        "type": ["object", "null"],
        "required": ["id", "title", "kind", "html_path"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "kind": {"type": "string"},
            "html_path": NULLABLE_STRING,
        },
        "additionalProperties": False,
    },
    "Attachment": {
        "type": "object",
        "required": ["kind", "title", "file_type", "size", "url"],
        "properties": {
            "kind": {"enum": ["attachment", "video"]},
            "title": {"type": "string"},
            "file_type": {"type": "string"},
            "size": {"type": ["integer", "null"]},
            "url": {"type": "string"},
            "caption": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "Image": {
        "type": ["object", "null"],
        "required": ["id", "url", "width", "height", "rendition"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "alt": {"type": "string"},
            "url": {"type": "string"},
            "width": {"type": "integer"},
            "height": {"type": "integer"},
            "rendition": {"type": "object"},
        },
    },
    "PageMeta": {
        "type": "object",
        "required": [
            "type",
            "detail_url",
            "html_path",
            "html_url",
            "slug",
            "first_published_at",
            "parent_id",
        ],
        "properties": {
            "type": {"enum": sorted(TYPE_LABELS)},
            "type_label": {"type": "string"},
            "detail_url": {"type": "string"},
            "html_path": {"type": "string", "pattern": "^/"},
            "html_url": {"type": "string"},
            "slug": {"type": "string"},
            "first_published_at": DATETIME,
            "last_published_at": DATETIME,
            "parent_id": {"type": ["integer", "null"]},
        },
        "additionalProperties": False,
    },
    # Every field a page may carry (derived from the page types' declarations: page_component);
    # which ones appear depends on its type and `fields`.
    "Page": None,
    "PageListing": {
        "type": "object",
        "required": ["meta", "items"],
        "properties": {
            "meta": {
                "type": "object",
                "required": ["total_count"],
                "properties": {"total_count": {"type": "integer", "minimum": 0}},
            },
            "items": {"type": "array", "items": ref("Page")},
        },
        "additionalProperties": False,
    },
    "ColumnNode": {
        "type": "object",
        "required": ["id", "title", "slug", "html_path", "node_type", "kind", "description", "children"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "slug": {"type": "string"},
            "html_path": {"type": "string"},
            "node_type": {"enum": ["category", "section", "column"]},
            "kind": NULLABLE_STRING,
            "kind_label": NULLABLE_STRING,
            "description": {"type": "string"},
            "keywords": {"type": "string"},
            "departments": {"type": "array", "items": ref("Department")},
            "children": {"type": "array", "items": ref("ColumnNode")},
        },
        "additionalProperties": False,
    },
    "Site": {
        "type": "object",
        "required": ["name", "id_code", "icp_number", "columns", "departments"],
        "properties": {
            "name": {"type": "string"},
            "domain": {"type": "string"},
            "id_code": {"type": "string"},
            "organiser": {"type": "string"},
            "address": {"type": "string"},
            "phone": {"type": "string"},
            "email": {"type": "string"},
            "icp_number": {"type": "string"},
            "police_number": {"type": "string"},
            "home": {"type": ["object", "null"]},
            "columns": {"type": "array", "items": ref("ColumnNode")},
            "departments": {"type": "array", "items": ref("Department")},
            "topics": {"type": "array", "items": CHOICE},
        },
        "additionalProperties": False,
    },
    "StatutoryList": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string"},
                        "legal_basis": {"type": "string"},
                        "required": {"type": "boolean"},
                        "columns": {"type": "array", "items": REF},
                        "item_count": {"type": "integer"},
                        "last_updated": DATETIME,
                        "missing": {"type": "boolean"},
                    },
                },
            }
        },
    },
    "MediaListing": {
        "type": "object",
        "required": ["meta", "items"],
        "properties": {
            "meta": {"type": "object", "required": ["total_count"]},
            "items": {"type": "array", "items": {"type": "object", "required": ["id", "meta", "title"]}},
        },
    },
    "Challenge": {
        "type": "object",
        "required": ["token", "question", "image", "expires_in"],
        "properties": {
            "token": {"type": "string"},
            "question": {"type": "string"},
            "image": {"type": "string", "description": "PNG data URI of the digits to type"},
            "expires_in": {"type": "integer"},
        },
        "additionalProperties": False,
    },
    "QuestionSubmission": {
        "type": "object",
        "required": ["title", "body", "name", "contact", "challenge_token", "challenge_answer"],
        "properties": {
            "department": {"type": "integer"},
            "column": {"type": "integer"},
            "title": {"type": "string", "minLength": 4, "maxLength": 80},
            "body": {"type": "string", "minLength": 10, "maxLength": 2000},
            "name": {"type": "string", "minLength": 1, "maxLength": 50},
            "contact": {"type": "string", "minLength": 5, "maxLength": 100},
            "challenge_token": {"type": "string"},
            "challenge_answer": {"type": "string"},
        },
    },
    "QuestionReceipt": {
        "type": "object",
        "required": ["query_code", "status", "status_label", "message"],
        "properties": {
            "query_code": {"type": "string"},
            "status": {"const": "received"},
            "status_label": {"type": "string"},
            "message": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "QuestionStatus": {
        "type": "object",
        "required": ["query_code", "status", "status_label", "asked_at", "department"],
        "properties": {
            "query_code": {"type": "string"},
            "status": {"enum": ["received", "replied"]},
            "status_label": {"type": "string"},
            "asked_at": DATETIME,
            "department": ref("Department"),
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "question": {"type": "string"},
            "reply": {"type": "string"},
            "replied_on": DATE,
            "html_path": {"type": "string"},
        },
        "additionalProperties": False,
    },
}


def _param(name, description, schema=None, required=False, where="query"):
    return {
        "name": name,
        "in": where,
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _json(schema_name, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": ref(schema_name)}}}


ERRORS = {"400": _json("Error", "invalid parameter"), "404": _json("Error", "not found")}
LISTING_PARAMETERS = [
    _param("type", "page type, e.g. pages.NewsPage (comma-separated for several)"),
    _param("child_of", "parent page id", {"type": "integer"}),
    _param("descendant_of", "ancestor page id", {"type": "integer"}),
    _param("fields", "a,b add; -a remove; * all; _ none of the defaults"),
    _param("order", "id, title, first_published_at, last_published_at, formed_on, path; - for descending"),
    _param("search", "Chinese full-text search"),
    _param("limit", "page size", {"type": "integer", "minimum": 1, "maximum": 100}),
    _param("offset", "offset", {"type": "integer", "minimum": 0}),
    _param("department", "department id", {"type": "integer"}),
    _param("column", "column id", {"type": "integer"}),
    _param("date_from", "first publication on or after", {"type": "string", "format": "date"}),
    _param("date_to", "first publication on or before", {"type": "string", "format": "date"}),
    _param("year", "year of first publication", {"type": "integer"}),
    _param("topic", "主题分类 value"),
    _param("validity", "document validity", {"enum": ["in_force", "amended", "abolished", "expired"]}),
    _param(
        "catalogue",
        "1: the disclosure catalogue only (the bureau's government information: no questions, "
        "Q&A, links or reposts), newest first by default",
        {"enum": ["0", "1", "true", "false"]},
    ),
    _param(
        "items_only",
        "1: item pages only (no home, category, section or column pages), newest first by default",
        {"enum": ["0", "1", "true", "false"]},
    ),
]
ID = _param("id", "id", {"type": "integer"}, required=True, where="path")

_DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "GovPortal public API",
        "version": "2",
        "description": "Read-only, anonymous API of the bureau's website; see docs/API.md.",
    },
    "servers": [{"url": "/api/v2"}],
    "paths": {
        "/site/": {"get": {"summary": "Site identity and column tree", "responses": {"200": _json("Site")}}},
        "/statutory/": {
            "get": {
                "summary": "The statutory proactive-disclosure list: where each kind is published",
                "responses": {"200": _json("StatutoryList")},
            }
        },
        "/pages/": {
            "get": {
                "summary": "List public pages",
                "parameters": LISTING_PARAMETERS,
                "responses": {"200": _json("PageListing"), **ERRORS},
            }
        },
        "/pages/{id}/": {
            "get": {
                "summary": "A public page with all its public fields",
                "parameters": [ID, _param("fields", "as in the listing")],
                "responses": {"200": _json("Page"), **ERRORS},
            }
        },
        "/pages/find/": {
            "get": {
                "summary": "Find a page by its public path",
                "parameters": [_param("html_path", "public path", required=True)],
                "responses": {"302": {"description": "redirect to pages/{id}/"}, **ERRORS},
            }
        },
        "/images/": {
            "get": {"summary": "Images used by public pages", "responses": {"200": _json("MediaListing")}}
        },
        "/images/{id}/": {
            "get": {"parameters": [ID], "responses": {"200": {"description": "image"}, **ERRORS}}
        },
        "/documents/": {
            "get": {"summary": "Documents used by public pages", "responses": {"200": _json("MediaListing")}}
        },
        "/documents/{id}/": {
            "get": {"parameters": [ID], "responses": {"200": {"description": "document"}, **ERRORS}}
        },
        "/questions/challenge/": {
            "get": {
                "summary": "An anti-bot challenge for the question form",
                "responses": {"200": _json("Challenge")},
            }
        },
        "/questions/": {
            "post": {
                "summary": "Ask the bureau a question (互动交流)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": ref("QuestionSubmission")},
                        "application/x-www-form-urlencoded": {"schema": ref("QuestionSubmission")},
                    },
                },
                "responses": {
                    "201": _json("QuestionReceipt", "created"),
                    "400": _json("Error", "invalid submission"),
                    "429": _json("Error", "too many submissions"),
                },
            }
        },
        "/questions/{code}/": {
            "get": {
                "summary": "Status of a question and, once published, its reply",
                "parameters": [_param("code", "query code", required=True, where="path")],
                "responses": {"200": _json("QuestionStatus"), "404": _json("Error", "unknown code")},
            }
        },
    },
}


def build_schema():
    """The OpenAPI document, with the Page component as the page types declare it now."""
    components = {name: page_component() if name == "Page" else value for name, value in COMPONENTS.items()}
    return {**_DOCUMENT, "components": {"schemas": components}}


def schema_view(request):
    response = json_response(build_schema())
    response["Cache-Control"] = "public, max-age=3600"
    return response
