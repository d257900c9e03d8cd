"""The `telusur` command: thin click commands over plain functions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from indexer.build import BuildError, rebuild_index
from indexer.settings import Settings


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


@main.command("rebuild-index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_dir_option
@click.pass_context
def rebuild_index_command(
    ctx: click.Context, paths: tuple[Path, ...], index_dir: Path | None
) -> None:
    """Index the archive at PATHS (files or folders) into a new index and swap it in."""
    settings = _settings(ctx, index_dir)
    bar: dict[str, object] = {}

    def on_total(total: int) -> None:
        bar["bar"] = click.progressbar(length=total, label="Indexing", file=sys.stderr)
        bar["bar"].__enter__()  # type: ignore[attr-defined]

    def progress(n: int) -> None:
        bar["bar"].update(n)  # type: ignore[attr-defined]

    try:
        summary = rebuild_index(
            list(paths), settings.index_dir, on_total=on_total, progress=progress
        )
    except BuildError as e:
        raise click.ClickException(f"{e}; the previous index is still serving") from e
    finally:
        if "bar" in bar:
            bar["bar"].__exit__(None, None, None)  # type: ignore[attr-defined]
    click.echo(
        f"Indexed {summary.indexed:,} articles, skipped {len(summary.skipped):,} "
        f"in {summary.seconds:.1f} s → {summary.index_path}"
    )
    for reason, count in summary.skipped_by_reason().most_common():
        click.echo(f"  skipped {count:,}: {reason}")
    for s in summary.skipped[:20]:
        where = f"{s.source}:{s.line}" if s.line else s.source
        click.echo(f"    {where}: {s.reason}", err=True)
    if len(summary.skipped) > 20:
        click.echo(f"    … and {len(summary.skipped) - 20:,} more", err=True)


# Commands owned by other modules; registered here so `telusur --help` lists them all.
_COMMANDS: list[tuple[str, str]] = [
    # ("module", "attribute")
]
for _module, _attr in _COMMANDS:
    main.add_command(getattr(__import__(_module, fromlist=[_attr]), _attr))


if __name__ == "__main__":
    main()
