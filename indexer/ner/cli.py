"""`telusur entities`: tag a text (`telusur entities PATH|-`), or correct the entity facets
without a rebuild (`telusur entities merge A B`, `rename A B`, `exclude A`, `retype A place`,
`report A`): corrections go to the corrections file (index_format.corrections), which search
applies at its next request."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import BinaryIO

import click

from index_format import facets
from index_format.corrections import Correction, CorrectionError, append_correction
from index_format.settings import Settings
from indexer.entities import extract_entities
from indexer.ner.aliases import AliasFileError, load_aliases


class _TagByDefault(click.Group):
    """`telusur entities PATH` still tags PATH: a first argument that names no subcommand
    is the text to tag (a file named like a subcommand: `telusur entities ./merge`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["tag", *args]
        return super().parse_args(ctx, args)


@click.group("entities", cls=_TagByDefault)
def entities_command() -> None:
    """Tag a text (PATH or - for stdin), or correct entity facet values (no rebuild)."""


def _settings(ctx: click.Context) -> Settings:
    root = ctx.find_root().obj
    return root if isinstance(root, Settings) else Settings.from_env()


@entities_command.command("tag")
@click.argument("source", type=click.File("rb"))
@click.option(
    "--aliases",
    "aliases_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Extra alias file (TELUSUR_ALIASES_FILE by default).",
)
@click.pass_context
def tag_command(ctx: click.Context, source: BinaryIO, aliases_file: Path | None) -> None:
    """Print the people, organisations and places in SOURCE (a text file, or - for stdin)."""
    settings = _settings(ctx)
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


facet_option = click.option(
    "--facet",
    type=click.Choice(facets.entity_names()),
    default=None,
    help="Only in this facet (default: every entity facet).",
)
by_option = click.option("--by", default=None, help="Who corrects (default: your user name).")
note_option = click.option("--note", default="", help="Why, for the log.")


def _correct(ctx: click.Context, correction: Correction) -> None:
    settings = _settings(ctx)
    by = correction.by or getpass.getuser()
    try:
        done = append_correction(settings.corrections_path, Correction(**{
            **correction.__dict__, "by": by}))  # fmt: skip
    except (CorrectionError, OSError) as e:
        raise click.ClickException(str(e)) from e
    what = f"{done.op} {done.name!r}" + (f" → {done.target!r}" if done.target else "")
    where = f" in {done.facet}" if done.facet else ""
    click.echo(f"{what}{where}, by {done.by} at {done.at} → {settings.corrections_path}")
    if done.op != "report":
        click.echo("Applied by search at its next request (no rebuild).")


@entities_command.command("merge")
@click.argument("name")
@click.argument("into")
@facet_option
@by_option
@note_option
@click.pass_context
def merge_command(
    ctx: click.Context, name: str, into: str, facet: str | None, by: str | None, note: str
) -> None:
    """Count, filter and show NAME as INTO (another value of the facet): one entity."""
    _correct(ctx, Correction("merge", name, into, facet, by or "", note=note))


@entities_command.command("rename")
@click.argument("name")
@click.argument("new_name")
@facet_option
@by_option
@note_option
@click.pass_context
def rename_command(
    ctx: click.Context, name: str, new_name: str, facet: str | None, by: str | None, note: str
) -> None:
    """Show NAME as NEW_NAME (a filter on either finds its articles)."""
    _correct(ctx, Correction("rename", name, new_name, facet, by or "", note=note))


@entities_command.command("exclude")
@click.argument("name")
@facet_option
@by_option
@note_option
@click.pass_context
def exclude_command(
    ctx: click.Context, name: str, facet: str | None, by: str | None, note: str
) -> None:
    """NAME is no entity: never a facet value."""
    _correct(ctx, Correction("exclude", name, None, facet, by or "", note=note))


@entities_command.command("retype")
@click.argument("name")
@click.argument("to", type=click.Choice(facets.entity_names()))
@facet_option
@by_option
@note_option
@click.pass_context
def retype_command(
    ctx: click.Context, name: str, to: str, facet: str | None, by: str | None, note: str
) -> None:
    """NAME belongs to the facet TO (person, organisation or place)."""
    _correct(ctx, Correction("retype", name, to, facet, by or "", note=note))


@entities_command.command("report")
@click.argument("name")
@facet_option
@by_option
@note_option
@click.pass_context
def report_command(
    ctx: click.Context, name: str, facet: str | None, by: str | None, note: str
) -> None:
    """Log that NAME looks wrong (changes nothing)."""
    _correct(ctx, Correction("report", name, None, facet, by or "", note=note))
