"""``/explorer``: the graph explorer page, its own assets (``/explorer/static/…``) and the
vendored libraries and fonts (``/static/vendor/…``, see api/static/vendor/README.md).

Everything the page needs is served from here: nothing is fetched from the internet.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, RedirectResponse

router = APIRouter(tags=["graph explorer"])

STATIC = Path(__file__).resolve().parent.parent / "static"
EXPLORER = STATIC / "explorer"
VENDOR = STATIC / "vendor"

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".woff2": "font/woff2",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def _serve(base: Path, rel: str, max_age: int) -> FileResponse:
    """A file under ``base`` (never outside it), with a media type and a cache lifetime."""
    target = (base / rel).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise HTTPException(404, f"no such file: {rel}")
    media = _TYPES.get(target.suffix.lower())
    if media is None:
        raise HTTPException(404, f"no such file: {rel}")
    return FileResponse(
        target, media_type=media, headers={"Cache-Control": f"public, max-age={max_age}"}
    )


@router.get("/explorer", include_in_schema=True, summary="The graph explorer page")
def explorer_page() -> FileResponse:
    """Search a node, expand its neighbours, read the sentence behind each edge."""
    return _serve(EXPLORER, "index.html", 0)


@router.get("/explorer/", include_in_schema=False)
def explorer_slash() -> RedirectResponse:
    return RedirectResponse("/explorer")


@router.get("/explorer/static/{path:path}", include_in_schema=False)
def explorer_static(path: str) -> FileResponse:
    return _serve(EXPLORER, path, 300)


@router.get("/static/vendor/{path:path}", include_in_schema=False)
def vendor_static(path: str) -> FileResponse:
    # vendored files are versioned by package.json; fonts rarely change
    return _serve(VENDOR, path, 86400)
