"""The story page: /cerita/<id> lists every copy of a story with what each changed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for

from webui.api import service

bp = Blueprint("stories", __name__)


@bp.get("/cerita/<path:story_id>")
def story_page(story_id: str) -> Any:
    story = service().story(story_id)  # StoryNotFound: the error page, 404
    return render_template(
        "story.html",
        story=story,
        article_url=lambda doc_id: url_for("views.article_page", doc_id=doc_id),
    )
