"""`telusur entities PATH|-`: one JSON object per entity of a text file or standard input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

import click

from index_format.settings import Settings
from indexer.entities import extract_entities
from indexer.ner.aliases import AliasFileError, load_aliases


@click.command("entities")
@click.argument("source", type=click.File("rb"))
@click.option(
    "--aliases",
    "aliases_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Extra alias file (TELUSUR_ALIASES_FILE by default).",
)
@click.pass_context
def entities_command(ctx: click.Context, source: BinaryIO, aliases_file: Path | None) -> None:
    """Print the people, organisations and places in SOURCE (a text file, or - for stdin)."""
    settings = ctx.obj if isinstance(ctx.obj, Settings) else Settings.from_env()
    try:
        aliases = load_aliases(aliases_file or settings.aliases_file)
    except (AliasFileError, OSError) as e:
        raise click.ClickException(str(e)) from e
    data = source.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        name = getattr(source, "name", "<stdin>")
        name = "standard input" if name == "<stdin>" else name
        raise click.ClickException(f"{name} is not UTF-8 text (invalid byte at {e.start})") from e
    for ent in extract_entities(text, aliases=aliases):
        record = {
            "text": ent.text,
            "label": ent.label,
            "start": ent.start,
            "end": ent.end,
            "canonical": ent.canonical,
        }
        click.echo(json.dumps(record, ensure_ascii=False))
