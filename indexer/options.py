"""Command-line options that more than one `telusur` command takes."""

from __future__ import annotations

import click

from indexer.date_evidence import DateSpan, parse_span


def _span(ctx: click.Context, param: click.Parameter, value: str | None) -> DateSpan | None:
    if value is None:
        return None
    try:
        return parse_span(value)
    except ValueError as e:
        raise click.BadParameter(f"{value!r}: {e} (expected e.g. 2016-01-01..2017-12-31)") from e


dates_between_option = click.option(
    "--dates-between",
    "dates_between",
    callback=_span,
    default=None,
    metavar="FIRST..LAST",
    help="The archive's articles were published between these dates (2016-01-01..2017-12-31, "
    "or 2016..2017): a day and month written without a year take theirs from this span.",
)
trust_mtime_option = click.option(
    "--trust-mtime",
    "trust_mtime",
    is_flag=True,
    help="Files kept their modification times (a copy resets them): a .txt article was "
    "published within the year before its file was saved.",
)
