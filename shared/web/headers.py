"""The security headers of the pages people open (the operator console, the staff workbench)."""

from flask import Response


def secure_page(response: Response, sources: str) -> Response:
    """Nothing framed, sniffed, referred or cached; scripts and styles only from `sources`
    (a nonce, or 'self'). A view that chose its own caching keeps it."""
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src {sources}; style-src {sources}; connect-src 'self'; "
        "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers.setdefault("Cache-Control", "no-store")
    return response
