"""Security headers, secure session cookies, the client behind a reverse proxy, and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, redirect, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix
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
# The API docs page (Swagger UI, vendored) sets style attributes the same way.
DIAGRAM_PATHS = ("/workflow", "/api/v1/docs")
# Pages, documents and exports show parties' names, ID numbers and addresses: no browser or proxy
# may keep a copy. Only our own CSS/JS/fonts (the static endpoint) may be cached.
CACHEABLE_ENDPOINTS = frozenset({"static"})


def safe_next(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default``.

    Browsers drop tabs and newlines inside a URL ("/<tab>/evil.example" becomes "//evil.example", another
    host) and a newline cannot go into a header at all: any control character refuses the target, as do
    backslashes, "//" and a scheme or host.
    """
    if not target or "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return default
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default
    return target


def safe_redirect(target: str | None, default: str) -> Response:
    """Redirect to ``target`` if it is a path on this site (see safe_next), else to ``default``."""
    return redirect(safe_next(target, default))


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions; the cookie is Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def add_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    policy = DIAGRAM_CSP if request.path.rstrip("/") in DIAGRAM_PATHS else CSP
    response.headers.setdefault("Content-Security-Policy", policy)
    if request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    hsts = int(current_app.config["HSTS_SECONDS"])
    if request.is_secure and hsts > 0:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={hsts}")
    return response


def init_app(app: Flask) -> None:
    hops = int(app.config["PROXY_HOPS"])
    if hops > 0:
        # Trust X-Forwarded-For/-Proto as set by this many proxies in front of us, and nothing else.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
