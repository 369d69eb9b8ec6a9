"""The site's structure as the API describes it (docs/API.md, `site/`): the column tree indexed
by path and id, and the queries a page of each kind needs."""

import asyncio
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from .templating import local_path

LISTING_PAGE = re.compile(r"^(?P<base>.*/)index_(?P<page>[1-9][0-9]{0,5})\.html$")

# Column kinds whose items form the government-information disclosure catalogue view.
CATALOGUE_KINDS = {
    "leaders",
    "standing",
    "appointments",
    "notices",
    "annual_reports",
    "budgets",
    "disclosure",
    "policies",
    "elderly_care",
    "guide",
}
# 有效性 of documents (docs/API.md, `validity`).
VALIDITIES = [("in_force", "现行有效"), ("amended", "已修订"), ("abolished", "已废止"), ("expired", "已失效")]


@dataclass
class Node:
    id: int
    title: str
    path: str
    node_type: str  # category | section | column
    kind: str | None = None
    kind_label: str | None = None
    description: str = ""
    keywords: str = ""
    departments: list = field(default_factory=list)
    children: list = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def is_column(self):
        return self.node_type == "column"

    @property
    def ancestors(self):
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def top(self):
        return (self.ancestors or [self])[0]

    def leaves(self):
        if self.is_column:
            return [self]
        return [leaf for child in self.children for leaf in child.leaves()]


class SiteTree:
    """The site identity and column tree of one `site/` answer."""

    def __init__(self, data: dict):
        self.data = data
        self.name = data.get("name") or ""
        self.home = data.get("home") or {"id": None, "title": self.name, "html_path": "/"}
        self.by_path: dict[str, Node] = {}
        self.by_id: dict[int, Node] = {}
        self.columns = [self._node(item, None) for item in data.get("columns") or []]
        self.departments = data.get("departments") or []
        self.topics = data.get("topics") or []

    def _node(self, item, parent):
        node = Node(
            id=item["id"],
            title=item.get("title", ""),
            path=local_path(item.get("html_path") or item.get("html_url")),
            node_type=item.get("node_type") or ("column" if item.get("kind") else "category"),
            kind=item.get("kind"),
            kind_label=item.get("kind_label"),
            description=item.get("description") or "",
            keywords=item.get("keywords") or "",
            departments=item.get("departments") or [],
            parent=parent,
        )
        node.children = [self._node(child, node) for child in item.get("children") or []]
        self.by_path[node.path] = node
        self.by_id[node.id] = node
        return node

    def leaves(self):
        return [leaf for node in self.columns for leaf in node.leaves()]

    def columns_of_kind(self, *kinds):
        return [leaf for leaf in self.leaves() if leaf.kind in kinds]

    def first_of_kind(self, kind):
        found = self.columns_of_kind(kind)
        return found[0] if found else None

    def column_for_item_path(self, path):
        """The column an item path lives in: the longest tree path that prefixes it."""
        parts = path.rstrip("/").split("/")
        while len(parts) > 1:
            parts.pop()
            candidate = "/".join(parts) + "/"
            if candidate in self.by_path:
                return self.by_path[candidate]
        return None

    def breadcrumbs(self, node: Node | None):
        crumbs = [{"title": "首页", "path": "/"}]
        if node is not None:
            crumbs += [{"title": n.title, "path": n.path} for n in [*node.ancestors, node]]
        return crumbs

    def department_name(self, department_id):
        for department in self.departments:
            if str(department.get("id")) == str(department_id):
                return department.get("name")
        return None


def normalise_path(raw: str) -> str:
    path = "/" + unquote(raw).lstrip("/")
    return path


def split_listing_path(path: str):
    """'/a/b/index_3.html' → ('/a/b/', 3); '/a/b/' → ('/a/b/', 1); items → (path, None)."""
    match = LISTING_PAGE.match(path)
    if match:
        return match["base"], int(match["page"])
    return path, None


def listing_url(path: str, page: int) -> str:
    return path if page <= 1 else f"{path}index_{page}.html"


async def gather_dict(**coroutines):
    """Await several API calls at once; returns their results by name."""
    names = list(coroutines)
    results = await asyncio.gather(*coroutines.values())
    return dict(zip(names, results, strict=True))
