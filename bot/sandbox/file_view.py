"""A file's bytes by file id, for a page that shows a chat (the demo's phones).

No token is asked: the sandbox listens on localhost only. A file nobody uploaded bytes
for (a person's made-up photo) is drawn as a labelled placeholder.
"""

from __future__ import annotations

from aiohttp import web

from bot.sandbox.models import StoredFile
from bot.sandbox.state import SandboxState

_SIGNATURES = ((b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif"))


def file_response(state: SandboxState, file_id: str) -> web.Response:
    stored = state.files.get(file_id)
    if stored is None:
        return web.json_response({"ok": False, "error": "no such file"}, status=404)
    data = state.file_data.get(stored.file_path)
    if data is None:  # a photo's bytes live with its largest size
        for size in reversed(state.stored_files(stored.file_id) or []):
            data = state.file_data.get(size.file_path)
            if data is not None:
                break
    if data is not None:
        return web.Response(body=data, content_type=stored.mime_type or _sniffed_type(data))
    return web.Response(text=_placeholder_svg(stored), content_type="image/svg+xml")


def _sniffed_type(data: bytes) -> str:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for signature, mime in _SIGNATURES:
        if data.startswith(signature):
            return mime
    return "application/octet-stream"


def _placeholder_svg(stored: StoredFile) -> str:
    width, height = stored.width or 320, stored.height or 240
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="#cfd8dc"/>'
        f'<text x="50%" y="50%" font-size="{max(12, height // 5)}" text-anchor="middle" '
        f'dominant-baseline="middle">📷</text></svg>'
    )
