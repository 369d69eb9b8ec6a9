"""Static export (内外网分离): render every page, listing page and attachment of the public site
into plain files nginx can serve as they are. A manifest of content hashes makes a re-export
rewrite only what changed and remove what is no longer published."""

import asyncio
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
from tqdm import tqdm

from .api import NotFound
from .app import create_app
from .config import Settings
from .content import listing_url
from .views import column_order, load_site

log = logging.getLogger("frontend.export")

MANIFEST = ".export-manifest.json"
BATCH = 100  # the API's maximum page size
FILE_LINK = re.compile(r"""(?:href|src)="(/(?:documents|media)/[^"#?]+)""")


@dataclass
class ExportReport:
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: list = field(default_factory=list)

    @property
    def total(self):
        return self.written + self.unchanged


def output_file(path: str) -> str:
    """The file a URL path is written to: directories get index.html."""
    path = unquote(urlsplit(path).path)
    if path.endswith("/"):
        path += "index.html"
    relative = os.path.normpath(path.lstrip("/"))
    if relative.startswith("..") or os.path.isabs(relative):
        raise ValueError(f"unsafe path {path!r}")
    return relative


class Exporter:
    def __init__(self, directory, settings: Settings, concurrency=8, progress=True, transport=None):
        self.root = Path(directory)
        self.settings = settings
        self.concurrency = concurrency
        self.progress = progress
        self.app = create_app(settings, transport=transport)
        self.portal = self.app.state.portal
        # Every item read by plan() stays primed until its page is written (then dropped): an
        # LRU bound here made large sites (> 20,000 items) fetch evicted items one by one again.
        self.portal.api.cache.max_entries = 10**9
        self.primed = {}
        self.report = ExportReport()
        self.previous = {}
        self.current = {}
        self.files_seen = set()
        self._bar = None

    # -- output ---------------------------------------------------------------------------

    def load_manifest(self):
        try:
            self.previous = json.loads((self.root / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            self.previous = {}

    def write(self, relative: str, content: bytes):
        digest = hashlib.sha256(content).hexdigest()
        self.current[relative] = digest
        target = self.root / relative
        if self.previous.get(relative) == digest and target.exists():
            self.report.unchanged += 1
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(content)
        os.replace(temporary, target)
        self.report.written += 1

    def remove_stale(self):
        for relative in set(self.previous) - set(self.current):
            target = self.root / relative
            if target.is_file():
                target.unlink()
                self.report.deleted += 1
            parent = target.parent
            while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent

    def save_manifest(self):
        (self.root / MANIFEST).write_text(json.dumps(self.current, ensure_ascii=False, indent=0), "utf-8")

    # -- discovery ------------------------------------------------------------------------

    async def all_items(self, column_id, order):
        """Every item of a column in the column page's order, with detail fields when the API
        gives them in listings."""
        items, offset = [], 0
        while True:
            data = await self.portal.api.get(
                "pages/",
                {"child_of": column_id, "limit": BATCH, "offset": offset, "fields": "*", "order": order},
            )
            batch = data.get("items", [])
            items += batch
            offset += BATCH
            if not batch or offset >= data["meta"].get("total_count", 0):
                return items

    async def plan(self):
        """Every page path of the site, with listing pages computed from the API's counts."""
        tree = await load_site(self.portal)
        size = self.settings.page_size
        paths = ["/", "/wuzhangai/"]
        columns = tree.leaves()
        for node in tree.by_path.values():
            if not node.is_column:
                paths.append(node.path)
        orders = [column_order(column) for column in columns]
        item_lists = await asyncio.gather(
            *(self.all_items(column.id, order) for column, order in zip(columns, orders, strict=True))
        )
        for column, order, items in zip(columns, orders, item_lists, strict=True):
            pages = max(1, -(-len(items) // size))
            paths += [listing_url(column.path, page) for page in range(1, pages + 1)]
            # The column's listing pages are slices of what was just read: no API call each.
            for page in range(1, pages + 1):
                offset = (page - 1) * size
                self.portal.api.prime(
                    "pages/",
                    {"child_of": column.id, "limit": size, "offset": offset, "order": order},
                    {"meta": {"total_count": len(items)}, "items": items[offset : offset + size]},
                )
            for item in items:
                path = item["meta"].get("html_path") or urlsplit(item["meta"].get("html_url", "")).path
                if "body" in item or "elements" in item:
                    # Rendering the item then needs no further API call for it.
                    self.portal.api.prime("pages/find/", {"html_path": path}, item)
                    self.primed[path] = self.portal.api.cache_key("pages/find/", {"html_path": path})
                paths.append(path)
        catalogue = await self.portal.api.get(
            "pages/", {"descendant_of": tree.home.get("id"), "catalogue": 1, "limit": 1}
        )
        total = catalogue["meta"].get("total_count", 0)
        pages = max(1, -(-total // size))
        paths += [listing_url("/xxgk/", page) for page in range(1, pages + 1)]
        paths.append("/xxgk/fdzdgknr/")
        # The catalogue lists the bureau's own information (the items with a 索引号), newest
        # first (the API's default order): the same slices from the items already read, when
        # they are indeed all of them.
        everything = [item for items in item_lists for item in items if item.get("index_number")]
        if len(everything) == total:
            everything.sort(key=lambda i: (i["meta"].get("first_published_at") or "", i["id"]), reverse=True)
            for page in range(1, pages + 1):
                offset = (page - 1) * size
                params = {
                    "descendant_of": tree.home.get("id"),
                    "catalogue": 1,
                    "limit": size,
                    "offset": offset,
                }
                self.portal.api.prime(
                    "pages/",
                    params,
                    {"meta": {"total_count": total}, "items": everything[offset : offset + size]},
                )
        return list(dict.fromkeys(paths))

    # -- rendering ------------------------------------------------------------------------

    async def fetch(self, client, path, expect_html=True):
        response = await client.get(path, headers={"Accept-Encoding": "identity"})
        if response.status_code != 200:
            self.report.failed.append((path, response.status_code))
            log.warning("export: %s answered %s", path, response.status_code)
            return None
        return response.content

    async def export_page(self, client, path, semaphore):
        async with semaphore:
            content = await self.fetch(client, path)
            primed = self.primed.pop(path, None)
            if primed is not None:
                self.portal.api.cache.discard(primed)
            if content is not None:
                self.write(output_file(path), content)
                for link in FILE_LINK.findall(content.decode("utf-8", "replace")):
                    self.files_seen.add(link)
            self._tick()

    async def export_file(self, client, path, semaphore):
        async with semaphore:
            content = await self.fetch(client, path, expect_html=False)
            if content is not None:
                self.write(output_file(path), content)
            self._tick()

    def _tick(self):
        if self._bar is not None:
            self._bar.update(1)

    def write_static_assets(self):
        for asset in self.portal.assets.by_hashed.values():
            self.write(f"static/{asset.hashed}", asset.content)
            if asset.gzipped:
                # nginx `gzip_static on;` serves these directly.
                self.write(f"static/{asset.hashed}.gz", asset.gzipped)

    async def error_pages(self, client):
        response = await client.get("/__export_404__/")
        self.write("404.html", response.content)

    async def run(self) -> ExportReport:
        self.root.mkdir(parents=True, exist_ok=True)
        self.load_manifest()
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://export.local") as client:
            paths = await self.plan()
            self._bar = tqdm(total=len(paths), desc="导出页面", unit="页", disable=not self.progress)
            semaphore = asyncio.Semaphore(self.concurrency)
            await asyncio.gather(*(self.export_page(client, path, semaphore) for path in paths))
            files = sorted(self.files_seen)
            self._bar.total += len(files)
            self._bar.set_description("导出附件")
            await asyncio.gather(*(self.export_file(client, path, semaphore) for path in files))
            self._bar.close()
            await self.error_pages(client)
        self.write_static_assets()
        self.remove_stale()
        self.save_manifest()
        await self.portal.aclose()
        return self.report


def export_settings(**overrides):
    # One export sees one consistent snapshot: every API answer is fetched once and kept.
    values = {"cache_ttl": 24 * 3600.0, "static_export": True}
    values.update(overrides)
    return Settings.from_env(**values)


async def export_site(directory, concurrency=8, progress=True, settings=None, transport=None):
    exporter = Exporter(directory, settings or export_settings(), concurrency, progress, transport)
    return await exporter.run()


def run_export(directory, concurrency=8, progress=True) -> int:
    try:
        report = asyncio.run(export_site(directory, concurrency, progress))
    except NotFound as exc:
        print(f"导出失败：CMS 接口缺少 {exc}")
        return 2
    print(
        f"导出完成：共 {report.total} 个文件，写入 {report.written}，未变 {report.unchanged}，"
        f"删除 {report.deleted}，失败 {len(report.failed)}。"
    )
    for path, status in report.failed[:20]:
        print(f"  失败 {status}: {path}")
    return 1 if report.failed else 0
