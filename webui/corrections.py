"""POST /corrections: the search page's "report or correct" form for entity facet values.

Off unless the settings allow it (TELUSUR_ALLOW_CORRECTIONS=1): the app is then read-only and
this route is not registered at all. A correction is appended to the same file `telusur entities merge|
rename|exclude|retype` writes (index_format.corrections), with who sent it (the name typed,
and the client's address) and when; search applies it at the next request, without a rebuild.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request

from index_format.corrections import Correction, CorrectionError, append_correction
from index_format.settings import Settings
from webui.errors import domain_body

bp = Blueprint("corrections", __name__)


def allowed(app: Flask | None = None) -> bool:
    """Whether this app may write corrections (its settings, or TELUSUR_ALLOW_CORRECTIONS in
    its config)."""
    config = (app or current_app).config
    settings: Settings = config["TELUSUR_SETTINGS"]
    return bool(config.get("TELUSUR_ALLOW_CORRECTIONS", settings.allow_corrections))


def _same_origin() -> bool:
    """A form posted from this app's own pages (a page elsewhere cannot write corrections)."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if not origin:
        return False
    return urlsplit(origin).netloc == request.host


def _back(url: str | None) -> str:
    """Where to return: a path of this app only."""
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


@bp.post("/corrections")
def correct() -> Any:
    if not allowed():
        abort(404)
    if not _same_origin():
        abort(403)
    form = request.form
    by = " ".join(form.get("by", "").split())[:80] or "web"
    settings: Settings = current_app.config["TELUSUR_SETTINGS"]
    correction = Correction(
        op=form.get("op", ""),
        name=form.get("name", ""),
        target=form.get("target") or None,
        facet=form.get("facet") or None,
        by=f"{by} ({request.remote_addr or '?'})",
        note=" ".join(form.get("note", "").split())[:500],
    )
    try:
        append_correction(settings.corrections_path, correction)
    except CorrectionError as e:
        return render_template("error.html", error=domain_body(e, g.lang)), e.status
    return redirect(_back(form.get("back")), code=303)
