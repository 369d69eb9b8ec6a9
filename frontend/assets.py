"""Static assets under content-hashed names (site.3f2a9c1e.css), served with a one-year
immutable cache lifetime and pre-compressed with gzip once at start-up."""

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
URL_PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
COMPRESSIBLE = {".css", ".js", ".svg", ".txt", ".json"}


@dataclass(frozen=True)
class Asset:
    logical: str  # css/site.css
    hashed: str  # css/site.3f2a9c1e.css
    content: bytes
    gzipped: bytes | None
    media_type: str


class AssetManifest:
    def __init__(self, root: Path = STATIC_DIR):
        self.by_logical: dict[str, Asset] = {}
        self.by_hashed: dict[str, Asset] = {}
        for path in sorted(root.rglob("*")):
            if not path.is_file():
                continue
            logical = path.relative_to(root).as_posix()
            content = path.read_bytes()
            digest = hashlib.sha256(content).hexdigest()[:10]
            hashed = f"{path.parent.relative_to(root).as_posix()}/{path.stem}.{digest}{path.suffix}"
            hashed = hashed.removeprefix("./")
            gzipped = gzip.compress(content, 9, mtime=0) if path.suffix in COMPRESSIBLE else None
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if media_type.startswith("text/") or path.suffix in {".js", ".svg"}:
                media_type += "; charset=utf-8"
            asset = Asset(logical, hashed, content, gzipped, media_type)
            self.by_logical[logical] = asset
            self.by_hashed[hashed] = asset

    def url(self, logical: str) -> str:
        return URL_PREFIX + self.by_logical[logical].hashed
