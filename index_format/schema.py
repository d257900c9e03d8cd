"""The Whoosh schema, in one place, and the `facets` column's encoding.

Facet fields come from the registry (index_format.facets): a single-valued facet is an ID
field, a multi-valued one a comma-separated KEYWORD field, both stored. The `facets` column
holds, per document, its day, each facet's values and its name variants, so that search
counts facets with numpy without touching stored fields or postings. The column's field
records the encoding's version and the facets in order: an index whose column says otherwise
is refused with RebuildNeeded instead of misread.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from index_format import facets
from index_format.analysis import exact_analyzer, stemmed_analyzer
from index_format.codec.blockcol import ZstdBlockColumn
from index_format.codec.intcol import ZstdIntColumn
from index_format.codec.positions import IndonesianPositions
from index_format.errors import RebuildNeeded

# Separators inside the `facets` column: groups, then values within a group, then the parts
# of one name variant (facet, name as written, canonical name). facet_value() turns all three
# into spaces inside names (str.split() counts them as whitespace).
GROUP_SEP = "\x1f"
VALUE_SEP = "\x1e"
PART_SEP = "\x1d"
# A URL key longer than this is kept as its hash (a term must fit the codec's 2-byte length).
MAX_URL_KEY_CHARS = 300
# Query parameters that say where a link was shared, not which article it is.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "ref=", "amp=")
# A facet value keeps at most this many characters (a metadata outlet of 70,000 letters is no
# outlet name, and the codec keeps a term's length in 2 bytes).
MAX_FACET_CHARS = 200


class FacetsColumn(COLUMN):
    """The `facets` column, which says how it is encoded: pickled with the schema. Its bytes
    are compressed in blocks (ZstdBlockColumn); an index written before keeps the plain
    column its pickled schema names, and still serves and updates."""

    def __init__(self) -> None:
        super().__init__(ZstdBlockColumn())
        self.version = facets.FACETS_VERSION
        self.layout = facets.names()


class AddedColumn(COLUMN):
    """When the article first entered the index (UTC seconds since the epoch): stored, and a
    column that search reads into an array for `since=` and the feeds. An index written
    before this field has neither: search then knows no article's time (search.added)."""

    def __init__(self) -> None:
        # One zstd frame (codec.intcol) since issue 23: 1.76 MB -> a few KB at 220k articles.
        # A schema pickled before names NumericColumn("q"), which its segments keep.
        super().__init__(ZstdIntColumn(default=0))
        self.stored = True


def _text(stemmed: bool, *, stored: bool = False, field_boost: float = 1.0) -> TEXT:
    """A text field whose postings come from the fast analysis pass (index_format.pool) that
    matches its analyzer; queries use the analyzer."""
    analyzer = stemmed_analyzer() if stemmed else exact_analyzer()
    field = TEXT(analyzer=analyzer, stored=stored, field_boost=field_boost, phrase=True)
    field.format = IndonesianPositions(stemmed, field_boost=field_boost)
    return field


def build_schema() -> Schema:
    fields: dict[str, Any] = {
        "id": ID(unique=True, stored=True),
        # Indexed by url_term (the document stores the URL as written): a pasted URL finds its
        # article even when the archive's ids are not URLs.
        "url": ID(stored=True),
        "title": _text(True, stored=True, field_boost=2.0),
        "body": _text(True, stored=True),
        # Title and body unstemmed: "quoted phrases" match the exact words.
        "exact": _text(False),
        "published": DATETIME(stored=True),
        "date_source": STORED(),
        "outlet_source": STORED(),
        "facets": FacetsColumn(),
        "content_hash": STORED(),
        "added": AddedColumn(),
    }
    for f in facets.FACETS:
        fields[f.name] = (
            ID(stored=True)
            if f.single
            else KEYWORD(stored=True, commas=True, lowercase=False, scorable=False)
        )
    return Schema(**fields)


def check_facets_column(schema: Schema) -> None:
    """Raise RebuildNeeded unless the index's facets column is encoded as this version
    encodes it, for the facets the registry has."""
    field = dict(schema.items()).get("facets")
    version, layout = getattr(field, "version", None), getattr(field, "layout", None)
    if version != facets.FACETS_VERSION or tuple(layout or ()) != facets.names():
        raise RebuildNeeded(
            f"the index's facets (version {version}: {', '.join(layout or ()) or 'none'}) are "
            f"not this version's (version {facets.FACETS_VERSION}: {', '.join(facets.names())})"
        )


def facet_value(value: str) -> str:
    """A facet value as both its field and the facets column hold it: one line, at most
    MAX_FACET_CHARS characters, and no comma (commas separate keywords: "Dian, Hesti" →
    "Dian Hesti")."""
    return " ".join(value.replace(",", " ").split())[:MAX_FACET_CHARS].strip()


def facet_values(values: Iterable[str]) -> list[str]:
    """The non-empty facet values of `values`, each as facet_value gives it, each once."""
    return list(dict.fromkeys(fv for fv in (facet_value(v) for v in values) if fv))


def encode_facets(
    day: date | None, values: dict[str, list[str]], variants: Iterable[tuple[str, str, str]]
) -> bytes:
    """The facets column of one document: its day, each facet's values (facet_values) in the
    registry's order, then its name variants (facet, name as written, canonical name)."""
    groups = [
        day.isoformat() if day else "",
        *(VALUE_SEP.join(values.get(name, ())) for name in facets.names()),
        VALUE_SEP.join(PART_SEP.join(parts) for parts in variants),
    ]
    return GROUP_SEP.join(g.replace(GROUP_SEP, " ") for g in groups).encode("utf-8")


def decode_facets(raw: bytes) -> tuple[dict[str, list[str]], list[tuple[str, str, str]]]:
    """The facet values and name variants encode_facets wrote (the day is the stored field's)."""
    _, *groups = raw.decode("utf-8").split(GROUP_SEP) if raw else [""]
    names = facets.names()
    values = {n: g.split(VALUE_SEP) for n, g in zip(names, groups, strict=False) if g}
    rest = groups[len(names)] if len(groups) > len(names) else ""
    variants = [tuple(v.split(PART_SEP)) for v in rest.split(VALUE_SEP) if v]
    return values, variants  # type: ignore[return-value]


def url_key(url: str) -> str:
    """An article's URL as the `url` field indexes it and a pasted URL is looked up: the
    scheme, `www.`, the host's case, a fragment, tracking parameters (utm_…) and a trailing
    slash do not matter; a very long key is kept as its SHA-1."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else "//" + text)
    host = parts.netloc.lower().removeprefix("www.")
    query = "&".join(p for p in parts.query.split("&") if p and not p.lower().startswith(_TRACKING))
    key = host + unquote(parts.path).rstrip("/") + ("?" + query if query else "")
    if len(key) > MAX_URL_KEY_CHARS:
        digest = hashlib.sha1(key.encode("utf-8", "replace"), usedforsecurity=False)
        return "sha1:" + digest.hexdigest()
    return key


def url_term(url: str) -> str:
    """The term the `url` field indexes an article's URL by (since issue 23): 9 bytes of the
    BLAKE2b hash of its url_key, as 12 URL-safe base64 characters. The keys themselves took
    7.3 MB of the 220k realistic index's term dictionary (~33 bytes each: hosts and paths
    barely compress); only equality is ever asked of them. 72 bits: two of 2.2M URLs share a
    term once in ~10^9 archives."""
    digest = hashlib.blake2b(url_key(url).encode("utf-8", "replace"), digest_size=9).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")


def url_terms(url: str) -> tuple[str, str]:
    """The terms a pasted URL's article may be indexed under: url_term, and the url_key itself
    that an index written before holds (an update adds hashed terms beside it)."""
    return url_term(url), url_key(url)


def split_keywords(stored: str | None) -> list[str]:
    return [v for v in (stored or "").split(",") if v]


def stored_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None
