"""链接检查 (STANDARDS §2: broken links are deducted per link; the target error-link rate is
under 1%): every internal link, image and attachment of published items, and external links
fetched with a timeout and bounded concurrency. Each run is stored with its broken links, by
item and department."""

import asyncio
import re
from dataclasses import dataclass

import httpx
from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.models import Page

from pages.models import ITEM_PAGE_MODELS

from .models import BrokenLink, LinkCheckRun

# Wagtail's stored rich text: <a linktype="page" id="3">, <a linktype="document" id="5">,
# <embed embedtype="image" id="7" .../>, and plain <a href="https://…">.
INTERNAL_TAG = re.compile(
    r'<(?:a|embed)\b[^>]*?(?:linktype|embedtype)="(page|document|image)"[^>]*?\bid="(\d+)"'
)
HREF = re.compile(r'<a\b[^>]*?\bhref="(https?://[^"]+)"', re.IGNORECASE)
USER_AGENT = "GovPortal-LinkCheck/1.0"


@dataclass(frozen=True)
class Link:
    page_id: int
    department_id: int
    kind: str  # "page", "document", "image", "external"
    target: str  # the id for internal links, the URL for external ones


def links_of(page):
    """Every link of one item: rich-text fields and attachments."""
    found = []
    for field in page._meta.get_fields():
        if isinstance(field, RichTextField):
            text = getattr(page, field.name, "") or ""
            found += [
                Link(page.pk, page.department_id, kind, target) for kind, target in INTERNAL_TAG.findall(text)
            ]
            found += [Link(page.pk, page.department_id, "external", url) for url in HREF.findall(text)]
        elif isinstance(field, models.URLField) and getattr(page, field.name, ""):
            found.append(Link(page.pk, page.department_id, "external", getattr(page, field.name)))
    for block in getattr(page, "attachments", None) or []:
        document = block.value.get("document")
        found.append(Link(page.pk, page.department_id, "document", str(document.pk) if document else "0"))
    return found


def collect_links():
    """The links of every live item (one pass per item type)."""
    links = []
    for model in ITEM_PAGE_MODELS:
        for page in model.objects.live().iterator(chunk_size=500):
            links += links_of(page)
    return links


def check_internal(links):
    """{link: error or None} for page, image and document links (a few queries in all)."""
    ids = {
        kind: {int(link.target) for link in links if link.kind == kind}
        for kind in ("page", "document", "image")
    }
    live_pages = set(Page.objects.filter(pk__in=ids["page"], live=True).values_list("pk", flat=True))
    files = {}
    for kind, model in (("document", get_document_model()), ("image", get_image_model())):
        for item in model.objects.filter(pk__in=ids[kind]):
            files[(kind, item.pk)] = bool(item.file) and item.file.storage.exists(item.file.name)
    results = {}
    for link in links:
        if link.kind == "page":
            results[link] = None if int(link.target) in live_pages else "链接的页面不存在或已撤回"
        elif link.kind in ("document", "image"):
            state = files.get((link.kind, int(link.target)))
            label = "附件" if link.kind == "document" else "图片"
            results[link] = None if state else (f"{label}文件丢失" if state is False else f"{label}已被删除")
    return results


async def _fetch(client, url, semaphore, progress):
    async with semaphore:
        try:
            response = await client.head(url)
            if response.status_code in (405, 501):  # HEAD not allowed: ask with GET
                response = await client.get(url)
            error = None if response.status_code < 400 else f"HTTP {response.status_code}"
        except httpx.TimeoutException:
            error = "超时"
        except httpx.HTTPError as exc:
            error = f"无法访问（{exc.__class__.__name__}）"
        progress.update(1)
        return url, error


async def _check_urls(urls, timeout, concurrency, progress):
    semaphore = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    ) as client:
        return dict(await asyncio.gather(*(_fetch(client, url, semaphore, progress) for url in urls)))


def check_external(links, timeout=10.0, concurrency=8, progress_file=None):
    """{link: error or None}; each distinct URL is fetched once, at most ``concurrency`` at a time."""
    urls = sorted({link.target for link in links if link.kind == "external"})
    with tqdm(
        total=len(urls), desc="检查外部链接", unit="个", file=progress_file, disable=not urls
    ) as progress:
        errors = asyncio.run(_check_urls(urls, timeout, concurrency, progress)) if urls else {}
    return {link: errors[link.target] for link in links if link.kind == "external"}


def run_check(timeout=10.0, concurrency=8, progress_file=None, external=True):
    """Check everything and store the run with its broken links; returns the LinkCheckRun.
    `external=False` checks only this site's own links (a machine with no route outside)."""
    started = timezone.now()
    links = list(dict.fromkeys(collect_links()))  # a link repeated in one item counts once
    if not external:
        links = [link for link in links if link.kind != "external"]
    results = check_internal(links)
    results.update(check_external(links, timeout, concurrency, progress_file))
    broken = [(link, error) for link, error in results.items() if error]
    with transaction.atomic():
        run = LinkCheckRun.objects.create(
            started_at=started, finished_at=timezone.now(), checked=len(links), broken=len(broken)
        )
        BrokenLink.objects.bulk_create(
            BrokenLink(
                run=run,
                page_id=link.page_id,
                department_id=link.department_id,
                kind=link.kind,
                target=link.target[:500],
                error=error[:200],
            )
            for link, error in broken
        )
    return run
