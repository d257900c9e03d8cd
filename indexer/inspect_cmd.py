"""`telusur inspect PATH...`: show what extraction makes of an archive, before indexing it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click

from index_format.settings import Settings
from indexer.date_choice import ABSTAIN
from indexer.date_evidence import ArchiveDates, ArchiveYears, DateSpan
from indexer.extract import NotAnArticle, extract_article
from indexer.models import Article, RawRecord, Skipped
from indexer.options import dates_between_option, trust_mtime_option
from indexer.outlets import OutletRegistry, RegistryError, load_registry


def inspect_records(
    items: Iterable[RawRecord | Skipped],
    *,
    today: date | None = None,
    registry: OutletRegistry | None = None,
    dates: ArchiveDates | None = None,
) -> Iterator[tuple[RawRecord, Article] | Skipped]:
    """Each readable record with its extracted Article; skipped ones passed through, and
    pages without an article reported as skipped."""
    for item in items:
        if isinstance(item, Skipped):
            yield item
            continue
        try:
            yield item, extract_article(item, today=today, registry=registry, dates=dates)
        except NotAnArticle as e:
            yield Skipped(item.source, item.line, str(e))


def article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "outlet_source": article.outlet_source,
        "published": article.published.isoformat() if article.published else None,
        "date_source": article.date_source,
        # How the date was inferred, or why there is none: candidates and evidence.
        "dating": article.dating.as_json() if article.dating else None,
        "body": article.body,
        "removed": article.removed,
        "found": article.found,
    }


def _where(source: str, line: int | None) -> str:
    return f"{source}:{line}" if line else source


def _show(record: RawRecord, article: Article) -> None:
    published = article.published.isoformat() if article.published else "-"
    paragraphs = article.body.count("\n") + 1 if article.body else 0
    click.secho(f"== {article.id}  ({_where(record.source, record.line)})", bold=True)
    found = article.found
    click.echo(
        f"title:     {article.title}" + (f"  ({found['title']})" if "title" in found else "")
    )
    if article.url:
        click.echo(f"url:       {article.url}" + (f"  ({found['url']})" if "url" in found else ""))
    click.echo(f"outlet:    {article.outlet or '-'}  ({article.outlet_source})")
    how = (
        f"{article.date_source}: {found['published']}"
        if article.date_source == "html-metadata"
        else article.date_source
    )
    click.echo(f"published: {published}  ({how})")
    _show_dating(article)
    by = f" ({found['body']})" if "body" in found else ""
    click.echo(f"body:      {len(article.body):,} characters, {paragraphs} paragraphs{by}")
    click.echo(f"removed:   {len(article.removed)} lines")
    for line in article.removed:
        click.echo(f"  - {line if len(line) <= 120 else line[:119] + '…'}")
    click.echo()


def _show_dating(article: Article) -> None:
    """Why the date is what it is: the evidence, then every date the text holds."""
    dating = article.dating
    if dating is None:
        return
    why = [ABSTAIN.get(dating.reason, dating.reason)] if dating.reason else []
    dates = []
    for c in dating.candidates:
        notes = [", ".join(c.cues) or "-"]
        notes += [f"year from {c.year_from}"] if c.year_from else []
        notes += [c.rejected] if c.rejected else []
        when = c.when.isoformat() if c.when else "?"
        dates.append(f"{c.written!r} → {when} ({'; '.join(notes)})")
    for label, lines in (("why:", [*why, *dating.evidence]), ("dates:", dates)):
        for i, line in enumerate(lines):
            click.echo(f"  {label if i == 0 else '':<9} {line}")


@click.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article, per line.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Ingestion date for partial dates (default: today).",
)
@click.option(
    "--follow-links",
    "follow_links",
    is_flag=True,
    help="Also read symlinks in the archive whose target lies outside it.",
)
@dates_between_option
@trust_mtime_option
@click.pass_context
def inspect_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    as_json: bool,
    today: Any | None,
    follow_links: bool,
    dates_between: DateSpan | None,
    trust_mtime: bool,
) -> None:
    """Show what extraction reads from the archives at PATHS: title, outlet, date, body.

    Lists the boilerplate lines taken out of each body, and how each date was found (or why
    there is none), so an operator can check the extraction before indexing. Like a
    rebuild, it reads the archive twice: first for the years its articles state. Skipped
    files and records are reported on stderr.
    """
    from indexer.sources import read_archive  # the archive reader is the lead's module

    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings.from_env()
    try:
        registry = load_registry(settings.outlets_file)
    except RegistryError as e:
        raise click.ClickException(str(e)) from e
    ingestion = today.date() if today is not None else None
    years = ArchiveYears(ingestion)
    years.observe_all(read_archive(list(paths), follow_links=follow_links))
    dates = years.hint(between=dates_between, trust_mtime=trust_mtime)
    articles = skipped = 0
    items = read_archive(list(paths), follow_links=follow_links)
    for item in inspect_records(items, today=ingestion, registry=registry, dates=dates):
        if isinstance(item, Skipped):
            skipped += 1
            click.echo(f"skipped {_where(item.source, item.line)}: {item.reason}", err=True)
            continue
        record, article = item
        articles += 1
        if as_json:
            click.echo(json.dumps(article_json(article), ensure_ascii=False))
        else:
            _show(record, article)
    click.echo(f"{articles:,} articles, {skipped:,} skipped", err=True)
    if articles == 0:
        raise click.ClickException("no article could be read")
