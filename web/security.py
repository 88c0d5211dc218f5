"""Security headers on every response: no sniffing, no framing, a strict Content-Security-Policy."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Mermaid writes its theme as a <style> element inside the SVG it draws and sizes the SVG with a style
# attribute; neither can carry a nonce, so the diagram page alone allows inline styles (never scripts).
DIAGRAM_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
DIAGRAM_PATHS = ("/workflow",)


def add_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    policy = DIAGRAM_CSP if request.path.rstrip("/") in DIAGRAM_PATHS else CSP
    response.headers.setdefault("Content-Security-Policy", policy)
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_headers)
