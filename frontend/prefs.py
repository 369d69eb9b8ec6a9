"""Reading preferences (无障碍 / 长者模式): text size, contrast and a simplified layout, kept in a
cookie set by plain links, so they work without JavaScript and survive across pages."""

from dataclasses import dataclass
from urllib.parse import urlsplit

COOKIE = "gp_prefs"
MAX_AGE = 365 * 24 * 3600
MAX_SIZE = 3


@dataclass(frozen=True)
class Prefs:
    size: int = 0  # text size steps above normal (0–3); elderly mode uses at least 2
    contrast: bool = False
    simple: bool = False  # simplified single-column layout

    @property
    def elderly(self):
        return self.size >= 2 and self.contrast and self.simple

    @property
    def css_classes(self):
        classes = [f"text-{self.size}"] if self.size else []
        if self.contrast:
            classes.append("high-contrast")
        if self.simple:
            classes.append("simple")
        if self.elderly:
            classes.append("elderly")
        return " ".join(classes)

    def encode(self):
        return f"s{self.size}c{int(self.contrast)}l{int(self.simple)}"

    @classmethod
    def decode(cls, value: str | None):
        if not value or len(value) != 6 or value[0] != "s" or value[2] != "c" or value[4] != "l":
            return cls()
        try:
            size, contrast, simple = int(value[1]), value[3] == "1", value[5] == "1"
        except ValueError:
            return cls()
        return cls(size=min(max(size, 0), MAX_SIZE), contrast=contrast, simple=simple)


ELDERLY = Prefs(size=2, contrast=True, simple=True)
STANDARD = Prefs()


def from_request(request):
    return Prefs.decode(request.cookies.get(COOKIE))


def apply_change(current: Prefs, params) -> Prefs:
    """The preference a /prefs/ link asks for: mode=elderly|standard, or size/contrast/simple."""
    mode = params.get("mode")
    if mode == "elderly":
        return ELDERLY
    if mode == "standard":
        return STANDARD
    size = current.size
    if params.get("size") in {"up", "down"}:
        size = size + (1 if params["size"] == "up" else -1)
    elif (params.get("size") or "").isdigit():
        size = int(params["size"])
    contrast = {"on": True, "off": False}.get(params.get("contrast"), current.contrast)
    simple = {"on": True, "off": False}.get(params.get("simple"), current.simple)
    return Prefs(size=min(max(size, 0), MAX_SIZE), contrast=contrast, simple=simple)


def safe_next(value: str | None) -> str:
    """Only redirect back to a path on this site."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value
