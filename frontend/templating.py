"""The Jinja2 environment: autoescaped templates and the filters the pages share."""

import html
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

TEMPLATE_DIR = Path(__file__).parent / "templates"


def parse_datetime(value):
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def format_datetime(value, fmt="%Y-%m-%d %H:%M"):
    moment = parse_datetime(value)
    return moment.strftime(fmt) if moment else ""


def format_date(value):
    if not value:
        return ""
    if isinstance(value, date | datetime):
        return value.strftime("%Y-%m-%d")
    return str(value)[:10]


def chinese_date(value):
    """2026-03-02 → 2026年3月2日 (as written on official documents)."""
    text = format_date(value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.year}年{day.month}月{day.day}日"


def filesize(value):
    if value in (None, ""):
        return "大小未知"
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


MARK_OPEN, MARK_CLOSE = "\x00mark\x00", "\x00/mark\x00"


def highlight(snippet):
    """A search snippet with <mark> around the hits, everything else escaped: the API's markup
    is reduced to exactly <mark>…</mark>."""
    if not snippet:
        return Markup("")
    text = re.sub(r"<mark\b[^>]*>", MARK_OPEN, str(snippet), flags=re.I)
    text = re.sub(r"</mark\s*>", MARK_CLOSE, text, flags=re.I)
    text = re.sub(r"<[^>]+>", "", text)
    text = str(escape(html.unescape(text)))
    return Markup(text.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def mark_terms(text, query):
    """Wrap each occurrence of the query's words in <mark>, everything else escaped."""
    words = sorted({w for w in (query or "").split() if w}, key=len, reverse=True)
    if not text or not words:
        return escape(text or "")
    pattern = re.compile("|".join(re.escape(w) for w in words), re.I)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [str(escape(text[last : match.start()])), "<mark>", str(escape(match.group())), "</mark>"]
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def local_path(url):
    """The path of a public-site URL the API gives (html_url may carry a host)."""
    if not url:
        return "/"
    parts = urlsplit(url)
    return parts.path or "/"


def query_string(params: dict, **changes):
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return ("?" + urlencode(merged)) if merged else ""


def make_environment(assets, rewrite_html) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(
        datetime=format_datetime,
        date=format_date,
        cndate=chinese_date,
        filesize=filesize,
        highlight=highlight,
        mark_terms=mark_terms,
        path=local_path,
        # Rich text from the CMS is rendered, cleaned HTML (docs/API.md); only its links to
        # CMS-hosted files are rewritten to this site's own addresses.
        richtext=lambda value: Markup(rewrite_html(value or "")),
    )
    env.globals.update(static=assets.url, query_string=query_string)
    return env
