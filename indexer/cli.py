"""The `telusur` command: thin click commands over plain functions."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from index_format.errors import RebuildNeeded
from index_format.generations import GRACE_SECONDS, LOCK_WAIT_SECONDS, IndexBusy
from index_format.settings import Settings
from indexer.build import REPORT_NAME, BuildError, date_report, rebuild_index, write_report
from indexer.date_evidence import DateSpan
from indexer.follow import every, follow_once, parse_every
from indexer.inspect_cmd import inspect_command
from indexer.models import Skipped
from indexer.ner.cli import entities_command
from indexer.optimize import optimize_index
from indexer.options import dates_between_option, trust_mtime_option
from indexer.pipeline import failure_reason
from indexer.prepare import configure
from indexer.update import (
    UPDATE_REPORT_NAME,
    UpdateError,
    UpdateSummary,
    delete_articles,
    update_index,
)
from indexer.watch import SETTLE_SECONDS, watch

WAITING = "Waiting for another update to finish…"


@click.group()
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index location (default: TELUSUR_INDEX_DIR or index_data/).",
)
@click.pass_context
def main(ctx: click.Context, index_dir: Path | None) -> None:
    """Telusur: full-text search for Indonesian news archives."""
    ctx.obj = Settings.from_env(index_dir=index_dir)
    configure(ctx.obj)


def _settings(ctx: click.Context, index_dir: Path | None) -> Settings:
    settings: Settings = ctx.obj
    if index_dir is not None:
        settings = Settings.from_env(index_dir=index_dir)
    return settings


index_dir_option = click.option(
    "--index-dir",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Index location (overrides TELUSUR_INDEX_DIR).",
)
report_option = click.option(
    "--report",
    "report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the summary, every skipped record included, as JSON here "
    "(default: INDEX_DIR/last-build-report.json, or last-update-report.json for updates).",
)
grace_option = click.option(
    "--grace",
    "grace",
    type=click.FloatRange(min=0),
    default=GRACE_SECONDS,
    show_default=True,
    help="Seconds a replaced index generation is kept for searches still reading it.",
)
wait_option = click.option(
    "--wait",
    "wait",
    type=click.FloatRange(min=0),
    default=LOCK_WAIT_SECONDS,
    show_default=True,
    help="Seconds to wait for another update or rebuild to finish.",
)

follow_links_option = click.option(
    "--follow-links",
    "follow_links",
    is_flag=True,
    help="Also read symlinks in the archive whose target lies outside it "
    "(refused and reported by default).",
)


def _reason(e: Exception) -> str:
    if isinstance(e, RebuildNeeded):
        return f"{e}: run `telusur rebuild-index` first"
    return failure_reason(e) if isinstance(e, OSError) else str(e)


def _on_wait() -> None:
    click.echo(WAITING, err=True)


class _Bar:
    """A progress bar on stderr that starts once the total is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def on_total(self, total: int) -> None:
        self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
        self.bar.__enter__()

    def progress(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _echo_skipped(skipped: list[Skipped], what: str = "skipped") -> None:
    counts = Counter(s.reason.split(":")[0] for s in skipped)
    for reason, count in counts.most_common():
        click.echo(f"  {what} {count:,}: {reason}")
    for s in skipped[:20]:
        where = f"{s.source}:{s.line}" if s.line else s.source
        click.echo(f"    {where}: {s.reason}", err=True)
    if len(skipped) > 20:
        click.echo(f"    … and {len(skipped) - 20:,} more (see the report)", err=True)


def _echo_dates(outcomes: Counter[str]) -> None:
    """One line: how the articles got their dates, and why some have none."""
    report = date_report(outcomes)
    if not report["by_source"]:
        return
    sources = ", ".join(f"{n:,} {source}" for source, n in report["by_source"].items())
    click.echo(f"  dates: {sources}")
    if report["no_date_because"]:
        why = ", ".join(f"{n:,} {reason}" for reason, n in report["no_date_because"].items())
        click.echo(f"  no date ({why}): see `telusur inspect` for why, article by article")


def _report(command: str, path: Path, body: dict[str, Any]) -> None:
    write_report(path, {"command": command, "finished": datetime.now().isoformat(), **body})


def _failed_report(command: str, path: Path, paths: tuple[Path, ...], e: Exception) -> None:
    """Replace the last report by one that says this run failed and why (best effort: on a
    full disk even that may not fit)."""
    try:
        _report(command, path, {"paths": [str(p) for p in paths], "failed": str(e)})
    except OSError as err:
        click.echo(f"(could not write the report {path}: {err.strerror or err})", err=True)


@main.command("rebuild-index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_dir_option
@report_option
@grace_option
@wait_option
@follow_links_option
@dates_between_option
@trust_mtime_option
@click.pass_context
def rebuild_index_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    index_dir: Path | None,
    report: Path | None,
    grace: float,
    wait: float,
    follow_links: bool,
    dates_between: DateSpan | None,
    trust_mtime: bool,
) -> None:
    """Index the archive at PATHS (files or folders) into a new index and swap it in."""
    settings = _settings(ctx, index_dir)
    report = report or settings.index_dir / REPORT_NAME
    bar = _Bar("Indexing")
    try:
        summary = rebuild_index(
            list(paths),
            settings.index_dir,
            on_total=bar.on_total,
            progress=bar.progress,
            grace_seconds=grace,
            lock_wait=wait,
            on_wait=_on_wait,
            follow_links=follow_links,
            dates_between=dates_between,
            trust_mtime=trust_mtime,
        )
    except (BuildError, IndexBusy) as e:
        bar.close()
        _failed_report("rebuild-index", report, paths, e)
        raise click.ClickException(f"{e}; the previous index is still serving") from e
    finally:
        bar.close()
    _report("rebuild-index", report, {"paths": [str(p) for p in paths], **summary.to_dict()})
    click.echo(
        f"Indexed {summary.indexed:,} articles, skipped {len(summary.skipped):,} "
        f"in {summary.seconds:.1f} s → {summary.index_path}"
    )
    updated, deleted = summary.replayed
    if updated or deleted:
        click.echo(
            f"  kept {updated + deleted:,} changes made while it ran "
            f"({updated:,} updated, {deleted:,} deleted)"
        )
    _echo_skipped(summary.skipped)
    _echo_skipped(summary.repaired, "indexed after a repair")
    _echo_dates(summary.dates)
    click.echo(f"Report: {report}")


@main.command("update-index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_dir_option
@report_option
@grace_option
@wait_option
@follow_links_option
@dates_between_option
@trust_mtime_option
@click.pass_context
def update_index_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    index_dir: Path | None,
    report: Path | None,
    grace: float,
    wait: float,
    follow_links: bool,
    dates_between: DateSpan | None,
    trust_mtime: bool,
) -> None:
    """Add the new articles in PATHS and replace the changed ones, without a full rebuild."""
    settings = _settings(ctx, index_dir)
    bar = _Bar("Updating")
    try:
        summary = update_index(
            list(paths),
            settings.index_dir,
            on_total=bar.on_total,
            progress=bar.progress,
            grace_seconds=grace,
            lock_wait=wait,
            on_wait=_on_wait,
            follow_links=follow_links,
            dates_between=dates_between,
            trust_mtime=trust_mtime,
        )
    except (UpdateError, IndexBusy, RebuildNeeded, OSError) as e:
        raise click.ClickException(f"{_reason(e)}; the index is unchanged") from e
    finally:
        bar.close()
    report = report or settings.index_dir / UPDATE_REPORT_NAME
    _report("update-index", report, {"paths": [str(p) for p in paths], **summary.to_dict()})
    _echo_update(summary)


def _echo_update(summary: UpdateSummary) -> None:
    click.echo(
        f"Added {summary.added:,}, replaced {summary.replaced:,}, unchanged "
        f"{summary.unchanged:,}, skipped {len(summary.skipped):,} in {summary.seconds:.1f} s"
        f" → {summary.index_path}"
    )
    _echo_skipped(summary.skipped)
    _echo_skipped(summary.repaired, "indexed after a repair")
    _echo_dates(summary.dates)


@main.command("delete")
@click.argument("ids", nargs=-1, required=True)
@index_dir_option
@grace_option
@wait_option
@click.pass_context
def delete_command(
    ctx: click.Context, ids: tuple[str, ...], index_dir: Path | None, grace: float, wait: float
) -> None:
    """Delete the articles with these IDS from the index."""
    settings = _settings(ctx, index_dir)
    try:
        summary = delete_articles(
            ids, settings.index_dir, grace_seconds=grace, lock_wait=wait, on_wait=_on_wait
        )
    except (UpdateError, IndexBusy, RebuildNeeded, OSError) as e:
        raise click.ClickException(f"{_reason(e)}; the index is unchanged") from e
    click.echo(f"Deleted {summary.deleted:,} articles → {summary.index_path}")
    for doc_id in summary.not_found:
        click.echo(f"  not found: {doc_id}", err=True)
    if summary.not_found and not summary.deleted:
        raise click.ClickException("no article with these ids")


@main.command("optimize")
@index_dir_option
@grace_option
@wait_option
@click.option(
    "--upgrade-only",
    is_flag=True,
    help="Merge nothing; only write the files workers map at open again if an older "
    "Telusur wrote them (cheap when they are current: `make run` runs it).",
)
@click.pass_context
def optimize_command(
    ctx: click.Context, index_dir: Path | None, grace: float, wait: float, upgrade_only: bool
) -> None:
    """Merge the index's segments into one (searches go on meanwhile), dropping what updates
    and deletes left behind. Worth it after many updates: fewer segments to search. Also
    writes again the files workers map at open when an older Telusur wrote them: run it after
    an upgrade."""
    settings = _settings(ctx, index_dir)
    try:
        summary = optimize_index(
            settings.index_dir,
            grace_seconds=grace,
            lock_wait=wait,
            on_wait=_on_wait,
            upgrade_only=upgrade_only,
        )
    except (UpdateError, IndexBusy, RebuildNeeded, OSError) as e:
        raise click.ClickException(f"{_reason(e)}; the index is unchanged") from e
    if upgrade_only and not summary.changed:
        click.echo(f"The files workers map at open are current → {summary.index_path}")
        return
    if not summary.changed:
        click.echo(f"Nothing to merge: one segment, no deleted articles → {summary.index_path}")
        return
    if summary.rederived:
        click.echo(
            "Nothing to merge; the files workers map at open were an older Telusur's: written "
            f"again in {summary.seconds:.1f} s → {summary.index_path}"
        )
        return
    click.echo(
        f"Merged {summary.segments_before:,} segments into {summary.segments_after:,}, "
        f"dropping {summary.deleted_before:,} deleted or replaced articles, "
        f"in {summary.seconds:.1f} s → {summary.index_path}"
    )


def _every(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    try:
        return None if value is None else parse_every(value)
    except ValueError as e:
        raise click.BadParameter(str(e)) from e


@main.command("follow")
@click.argument("feeds", nargs=-1, required=True)
@click.option(
    "--fetch",
    "fetch_pages",
    is_flag=True,
    help="Fetch the page of an entry that "
    "has only a link (politely: robots.txt, one request per host per second).",
)
@click.option(
    "--every",
    "every_seconds",
    callback=_every,
    default=None,
    metavar="15m",
    help="Read the feeds again every so often (s, m, h), until interrupted.",
)
@click.option(
    "--save",
    "save_to",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also keep each new or changed entry in this folder (a .json per entry, a .warc.gz "
    "per fetched page): a rebuild-index that reads it keeps them.",
)
@index_dir_option
@report_option
@wait_option
@click.pass_context
def follow_command(
    ctx: click.Context,
    feeds: tuple[str, ...],
    fetch_pages: bool,
    every_seconds: float | None,
    save_to: Path | None,
    index_dir: Path | None,
    report: Path | None,
    wait: float,
) -> None:
    """Add the new and changed entries of the RSS or Atom FEEDS (URLs or files) to the index."""
    settings = _settings(ctx, index_dir)
    report = report or settings.index_dir / UPDATE_REPORT_NAME

    def once() -> None:
        try:
            got, summary = follow_once(
                feeds,
                settings.index_dir,
                fetch_pages=fetch_pages,
                save_to=save_to,
                lock_wait=wait,
                on_wait=_on_wait,
            )
        except (UpdateError, IndexBusy, RebuildNeeded, OSError) as e:
            if every_seconds is None:
                raise click.ClickException(f"{_reason(e)}; the index is unchanged") from e
            click.echo(f"{datetime.now():%H:%M:%S} {_reason(e)}; trying again later", err=True)
            return
        _report("follow", report, {"feeds": list(feeds), **summary.to_dict()})
        fetched = f", fetched {got.fetched:,} pages" if fetch_pages else ""
        click.echo(f"{datetime.now():%H:%M:%S} read {got.feeds:,} of {len(feeds):,} feeds{fetched}")
        _echo_update(summary)
        if got.already:
            click.echo(f"  not fetched again: {got.already:,} links already indexed")
        if every_seconds is None and got.feeds == 0:
            raise click.ClickException("no feed could be read")

    try:
        every(every_seconds or 0, once, runs=None if every_seconds else 1)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


@main.command("watch")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--new-only", is_flag=True, help="Leave the files already there when it starts.")
@click.option(
    "--settle",
    type=click.FloatRange(min=0),
    default=SETTLE_SECONDS,
    show_default=True,
    help="Seconds a file must stay unchanged before it is read.",
)
@index_dir_option
@wait_option
@follow_links_option
@click.pass_context
def watch_command(
    ctx: click.Context,
    folder: Path,
    new_only: bool,
    settle: float,
    index_dir: Path | None,
    wait: float,
    follow_links: bool,
) -> None:
    """Add new and changed files in FOLDER (any supported format) to the index as they come,
    until interrupted."""
    settings = _settings(ctx, index_dir)

    def update(paths: list[Path]) -> None:
        click.echo(f"{datetime.now():%H:%M:%S} {len(paths):,} new or changed files")
        try:
            _echo_update(
                update_index(
                    paths,
                    settings.index_dir,
                    base=folder,
                    follow_links=follow_links,
                    lock_wait=wait,
                    on_wait=_on_wait,
                )
            )
        except (UpdateError, IndexBusy, RebuildNeeded, OSError) as e:
            click.echo(f"  {_reason(e)}; the index is unchanged", err=True)

    def ready() -> None:  # after the files already there were taken stock of
        click.echo(f"Watching {folder} (Ctrl-C stops)", err=True)

    try:
        for _batch in watch(folder, update, settle=settle, new_only=new_only, on_ready=ready):
            pass
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


# Commands whose code lives beside what they show; registered here so `telusur --help` lists
# them all.
main.add_command(inspect_command)
main.add_command(entities_command)


if __name__ == "__main__":
    main()
