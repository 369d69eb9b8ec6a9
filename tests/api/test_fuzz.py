"""Property-based fuzzing against the OpenAPI description (/api/v2/schema/): for every path
and every declared parameter, Hypothesis generates values of the declared type and hostile
ones (huge and negative numbers, control and bidi characters, very long strings), and random
JSON bodies for the one write path. No answer may be a 5xx, and no answer may contain a page
that is not public (a draft, an item in review, a view-restricted page). A bounded number of
cases keeps the suite fast: FUZZ_CASES per path (the closing note reports the total)."""

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, PageViewRestriction

FUZZ_CASES = 40
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
    st.sampled_from(["\u202e", "\r\n", "\x00", "'", '"', "%", "../", "<script>", "9" * 40, "-1", "1e309"]),
)
HOSTILE_INT = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.sampled_from([0, -1, 2**31, 2**63, 2**64])
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
FUZZ = settings(
    max_examples=FUZZ_CASES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)


def _value(schema):
    kind = (schema or {}).get("type")
    declared = st.nothing()
    if kind == "integer":
        declared = st.integers(min_value=schema.get("minimum", 0), max_value=schema.get("maximum", 1000))
    elif "enum" in (schema or {}):
        declared = st.sampled_from(schema["enum"])
    elif kind == "boolean":
        declared = st.sampled_from(["true", "false"])
    return st.one_of(declared, HOSTILE_TEXT, HOSTILE_INT.map(str))


def _operations(schema):
    for path, methods in schema["paths"].items():
        get = methods.get("get")
        if get is not None:
            yield path, get.get("parameters", [])


@pytest.fixture
def api_schema(client, demo):
    return client.get("/api/v2/schema/").json()


@pytest.fixture
def hidden_titles(demo):
    """Titles of every page the API must never show."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    hidden = set(Page.objects.filter(live=False).values_list("title", flat=True))
    for path in restricted:
        hidden |= set(Page.objects.filter(path__startswith=path).values_list("title", flat=True))
    # Titles also used by a public page cannot tell anything.
    return {t for t in hidden - set(Page.objects.live().values_list("title", flat=True)) if len(t) >= 4}


def _check(response, hidden_titles, what):
    assert response.status_code < 500, f"{what} -> {response.status_code}"
    body = response.content.decode("utf-8", "replace")
    body = json.loads(body) if response.get("Content-Type", "").startswith("application/json") else body
    text = json.dumps(body, ensure_ascii=False) if not isinstance(body, str) else body
    leaked = [t for t in hidden_titles if t in text]
    assert not leaked, f"{what} shows non-public {leaked[:3]}"


@pytest.mark.django_db
def test_every_get_operation_survives_generated_parameters(client, api_schema, hidden_titles):
    operations = list(_operations(api_schema))
    assert len(operations) >= 9  # the description lists every path
    assert hidden_titles  # the demo has drafts and items in review to leak

    for path, parameters in operations:
        _fuzz_operation(client, hidden_titles, path, parameters)()


def _fuzz_operation(client, hidden_titles, path, parameters):
    @FUZZ
    @given(data=st.data())
    def fuzz(data):
        url = path
        query = {}
        for parameter in parameters:
            value = data.draw(_value(parameter.get("schema")), label=parameter["name"])
            if parameter.get("in") == "path":
                url = url.replace("{" + parameter["name"] + "}", re.sub(r"[/?#]", "", str(value)) or "0")
            elif data.draw(st.booleans(), label=f"send {parameter['name']}"):
                query[parameter["name"]] = value
        url = re.sub(r"\{[^}]+\}", "1", url)
        response = client.get("/api/v2" + url, query)
        _check(response, hidden_titles, f"GET {url} {query!r}")

    return fuzz


@pytest.mark.django_db
@FUZZ
@given(body=JSON, as_form=st.booleans())
def test_the_question_intake_survives_generated_bodies(client, demo, body, as_form):
    if as_form and isinstance(body, dict):
        response = client.post("/api/v2/questions/", {k: str(v) for k, v in body.items()})
    else:
        response = client.post("/api/v2/questions/", json.dumps(body), content_type="application/json")
    assert response.status_code in (400, 429), response.content[:300]
