"""marshmallow schemas of stories: a collapsed row's story and the story page's copies."""

from __future__ import annotations

from marshmallow import Schema, fields

COLLAPSES = ("story",)  # what `collapse=` may name


class StoryMemberSchema(Schema):
    id = fields.String(required=True)
    title = fields.String()
    outlet = fields.String(allow_none=True)
    published = fields.Date(allow_none=True)


class StoryHitSchema(Schema):
    id = fields.String(metadata={"description": "The story's id (GET /api/stories/<id>)"})
    matched = fields.Integer(
        metadata={"description": "Its articles in this result, this one included (sums to total)"}
    )
    articles = fields.Integer(metadata={"description": "Its articles in the index"})
    other_outlets = fields.Integer(
        metadata={"description": "Outlets other than this row's that carried it"}
    )
    first_outlet = fields.String(
        allow_none=True, metadata={"description": "Where it appeared first"}
    )
    first_published = fields.Date(
        allow_none=True, metadata={"description": "When it appeared first"}
    )
    others = fields.List(
        fields.Nested(StoryMemberSchema),
        metadata={"description": "Its other copies, first published first (at most 20)"},
    )


class StoryCopySchema(Schema):
    id = fields.String(required=True)
    title = fields.String()
    url = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    published = fields.Date(allow_none=True)
    first = fields.Boolean(metadata={"description": "The first copy, the others compared to it"})
    changed_words = fields.Integer(
        metadata={"description": "Words added or removed against the first copy"}
    )
    diff = fields.String(
        metadata={
            "description": "HTML-escaped text: <ins> what this copy added, <del> what it "
            "dropped, unchanged stretches shortened with …"
        }
    )


class StorySchema(Schema):
    id = fields.String(required=True)
    articles = fields.Function(lambda s: len(s.copies))
    copies = fields.List(fields.Nested(StoryCopySchema))
