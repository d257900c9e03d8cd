"""A page's fields and where each comes from (indexer.html): the date from the page's own
metadata only, in a stated order; htmldate only for what the markup carries."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.html import NotAnArticle, read_page

TODAY = date(2025, 12, 1)
TEXT = "".join(
    f"<p>Warga Kota Bekasi kembali membersihkan rumah mereka setelah banjir surut, kalimat {i}.</p>"
    for i in range(4)
)


def page(
    head: str = "", body: str = "", title: str = "Banjir surut di Bekasi", after: str = ""
) -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body><article><h1>Banjir surut</h1>"
        f"{body}{TEXT}{after}</article></body></html>"
    )


JSON_LD = (
    '<script type="application/ld+json">{"@type": "NewsArticle", '
    '"datePublished": "2025-11-03T08:00:00+07:00"}</script>'
)
META = '<meta property="article:published_time" content="2025-11-04T09:00:00+07:00">'
TIME = '<time datetime="2025-11-05T10:00:00+07:00" pubdate>5 November</time>'


@pytest.mark.parametrize(
    ("head", "body", "want"),
    [
        (JSON_LD + META, TIME, ("2025-11-03", "JSON-LD datePublished")),
        (META, TIME, ("2025-11-04", "<meta article:published_time>")),
        ("", TIME, ("2025-11-05", "<time>")),
        # A byline's <time> before the text, unmarked.
        (
            "",
            '<div class="byline"><time datetime="2025-11-06">6/11</time></div>',
            ("2025-11-06", "<time> before the text"),
        ),
        # htmldate knows meta tags the list does not name: kept, as the markup carries it.
        (
            '<meta name="citation_publication_date" content="2025/10/02">',
            "",
            ("2025-10-02", "htmldate: <meta citation_publication_date>"),
        ),
    ],
)
def test_the_date_comes_from_the_pages_metadata_in_order(
    head: str, body: str, want: tuple[str, str]
) -> None:
    found = read_page(page(head, body), None, TODAY)
    assert (str(found.published), found.found["published"]) == want


@pytest.mark.parametrize(
    ("head", "body", "after"),
    [
        ("", "", ""),
        # A copyright year, a related article's <time>, a date in the text: none of them is
        # the page's publication date (the text is dated later, by Telusur's own rules).
        ('<meta name="copyright" content="2025">', "", ""),
        ("", "", '<ul><li><time datetime="2025-11-08">8 November</time></li></ul>'),
        ("", "", "<p>Diperbarui 9 November 2025 pukul 10.00 WIB, setelah rapat evaluasi.</p>"),
        # A date after the day it is read is no publication date.
        ('<meta property="article:published_time" content="2026-01-01">', "", ""),
    ],
)
def test_no_date_unless_the_metadata_gives_one(head: str, body: str, after: str) -> None:
    found = read_page(page(head, body, after=after), None, TODAY)
    assert found.published is None
    assert "published" not in found.found


def test_title_site_name_and_url_say_where_they_came_from() -> None:
    head = (
        '<meta property="og:site_name" content="Kabar Nusantara">'
        '<link rel="canonical" href="/daerah/banjir-surut">'
        '<meta property="og:url" content="https://lain.example/x">'
    )
    found = read_page(page(head, title="Banjir surut di Bekasi | Kabar Nusantara"), None, TODAY)
    assert found.title == "Banjir surut"  # the <h1> … no og:title
    assert found.found["title"] == "<h1>"
    assert found.site_name == "Kabar Nusantara"
    assert found.url == "https://lain.example/x"  # a relative canonical link resolves to none
    assert found.found["url"] == "og:url"
    fetched = read_page(page(head), "https://kabarnusantara.example/a", TODAY)
    assert (fetched.url, fetched.found["url"]) == ("https://kabarnusantara.example/a", "address")
    titled = read_page(
        page('<meta property="og:title" content="Banjir Surut - Kabar Nusantara">' + head),
        None,
        TODAY,
    )
    assert titled.title == "Banjir Surut"


def test_a_page_without_a_sentence_holds_no_article() -> None:
    links = "<ul>" + "".join(f"<li><a href='/{i}'>Berita {i}</a></li>" for i in range(30)) + "</ul>"
    with pytest.raises(NotAnArticle, match="no main text"):
        read_page(f"<html><body><nav>{links}</nav></body></html>", None, TODAY)
    with pytest.raises(NotAnArticle):
        read_page("", None, TODAY)
