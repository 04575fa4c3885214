"""The command line: click commands that parse options, build the parts, and exit.

Nothing here checks or formats anything itself. Each command opens the workspace, calls
the library, hands the result to a reporter and exits with the code the result derives.
Usage and configuration problems exit 2 with a one-line message; so does an unexpected
internal error, without a traceback unless FACTCHECK_DEBUG is set.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from factcheck import __version__
from factcheck.engine.cache import CACHE_DIR
from factcheck.engine.cache import clear as clear_cache
from factcheck.engine.run import validate as run_validation
from factcheck.reporters import CATALOGUE_FORMATS, DIFF_FORMATS, REPORT_FORMATS
from factcheck.reporters.findings import REPORTER_BY_NAME
from factcheck.views.jsonschema import FILES as SCHEMA_FILES
from factcheck.views.jsonschema import schema_text
from factcheck.workspace.root import Workspace, WorkspaceError, open_workspace

# The modules behind report, show, diff and the authoring commands are imported by those
# commands: importing them all up front cost every command, validate included, 40 ms.

EXIT_USAGE = 2


@dataclass
class Options:
    """The global options, shared by every command."""

    root: str | None
    color: str

    def workspace(self) -> Workspace:
        return open_workspace(self.root)


class UsageProblem(click.ClickException):
    """A usage or configuration problem: printed as one line, exit status 2."""

    exit_code = EXIT_USAGE


class FactcheckGroup(click.Group):
    """Turns expected failures into exit 2 with a one-line message, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except WorkspaceError as error:
            raise UsageProblem(str(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:  # the last line of defence against a traceback
            if os.environ.get("FACTCHECK_DEBUG"):
                raise
            raise UsageProblem(
                f"internal error: {type(error).__name__}: {error}; run again with "
                "FACTCHECK_DEBUG=1 for details, and please report it"
            ) from None


cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write .factcheck-cache/ (the results are the same, only slower).",
)
"""Every command that validates takes this option and passes ``cache=not no_cache``."""


@click.group(cls=FactcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False),
    help="Workspace root (default: the nearest directory above with factcheck.yaml, "
    "or with claims/ and seeds/).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour output; 'auto' colours terminals unless NO_COLOR is set.",
)
@click.version_option(__version__, prog_name="factcheck")
@click.pass_context
def main(context: click.Context, root: str | None, color: str) -> None:
    """Validate fact-checking claim files and print side-by-side verdict tables."""
    context.obj = Options(root, color)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTER_BY_NAME)),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--exit-zero", is_flag=True, help="Always exit 0 (report only).")
@cache_option
@click.pass_obj
def validate(
    options: Options,
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    exit_zero: bool,
    no_cache: bool,
) -> None:
    """Run every check and print the findings with a one-line summary.

    PATHS limit the report to those claim files; cross-file checks still see the whole
    workspace. Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage.
    """
    workspace = options.workspace()
    validation = run_validation(workspace, [Path(path) for path in paths], cache=not no_cache)
    reporter = REPORTER_BY_NAME[output_format](sys.stdout, options.color)
    reporter.report(validation.result)
    sys.exit(validation.result.exit_code(strict=strict, exit_zero=exit_zero))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(REPORT_FORMATS),
    default="table",
    show_default=True,
    help="table for a terminal or CI log, markdown for $GITHUB_STEP_SUMMARY and pull "
    "requests, json for programs.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE instead of stdout.",
)
@click.option("--party", multiple=True, metavar="ID", help="Disputes where this party speaks.")
@click.option("--side", multiple=True, metavar="ID", help="Disputes where this side speaks.")
@click.option(
    "--verdict", multiple=True, metavar="V", help="Disputes with a position rated V, or pending."
)
@click.option("--tag", multiple=True, metavar="T", help="Disputes tagged T.")
@click.option("--strict", is_flag=True, help="Fail on warnings too, as validate --strict.")
@cache_option
@click.pass_obj
def report(
    options: Options,
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    party: tuple[str, ...],
    side: tuple[str, ...],
    verdict: tuple[str, ...],
    tag: tuple[str, ...],
    strict: bool,
    no_cache: bool,
) -> None:
    """Validate, then print the side-by-side verdict tables, a summary and totals.

    For each dispute, one column per position (the claim, then each counter-claim): party
    and side, statement, where asserted, evidence, corroboration, verdict and rationale.
    Files with errors are listed as invalid; their findings go to stderr. Filters combine;
    each may be repeated. Exit status is validate's: 0 no errors, 1 errors, 2 usage.
    """
    from factcheck.reporters.report_formats import REPORT_REPORTER_BY_NAME
    from factcheck.views.report import Filters, build_report

    workspace = options.workspace()
    selected = [Path(path) for path in paths]
    validation = run_validation(workspace, selected, cache=not no_cache)
    the_report = build_report(validation, Filters(party, side, verdict, tag), selected)
    REPORTER_BY_NAME["text"](sys.stderr, options.color).report(validation.result)
    if output is None:
        REPORT_REPORTER_BY_NAME[output_format](sys.stdout, options.color).report(the_report)
    else:
        buffer = io.StringIO()
        REPORT_REPORTER_BY_NAME[output_format](buffer, options.color).report(the_report)
        try:
            Path(output).write_text(buffer.getvalue(), encoding="utf-8")
        except OSError as error:
            raise UsageProblem(f"cannot write {output}: {error.strerror or error}") from None
    sys.exit(validation.result.exit_code(strict=strict))


@main.command()
@click.argument("dispute")
@cache_option
@click.pass_obj
def show(options: Options, dispute: str, no_cache: bool) -> None:
    """Show one dispute in full: every passage and the evidence-by-position matrix.

    DISPUTE is a dispute id (or its claim file). Each passage is shown with its source,
    file, line and column where the quote was found, its origin and whether it is
    independent. Exit status: 0, or 1 when the dispute's file has errors (listed on
    stderr); 2 for an unknown dispute.
    """
    from factcheck.reporters.show import ShowReporter
    from factcheck.views.report import show_dispute

    shown = show_dispute(run_validation(options.workspace(), cache=not no_cache), dispute)
    if shown.result.findings:
        REPORTER_BY_NAME["text"](sys.stderr, options.color).report(shown.result)
    if shown.dispute is None:
        click.echo(f"{shown.path} cannot be read as a dispute; fix the findings above.", err=True)
    else:
        ShowReporter(sys.stdout, options.color).show(shown.dispute, shown.result.errors)
    sys.exit(shown.result.exit_code())


@main.command()
@click.argument("rev", default="HEAD")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="table",
    show_default=True,
    help="table for a terminal, markdown for a pull request, json for programs.",
)
@click.pass_obj
def diff(options: Options, rev: str, output_format: str) -> None:
    """Show what changed in the findings between git revision REV and the working tree.

    Dispute by dispute: disputes added, removed or renamed; positions added or removed;
    statements, verdicts, corroboration and rationales old to new; passages added or
    removed; catalogue changes with the disputes they move; files invalid on either side.
    REV (default HEAD) is read with git, never checked out. Exit status: 0 when the
    comparison ran, changes or not; 2 when this is not a git repository or REV is unknown.
    """
    from factcheck.reporters.diff import REPORTER_BY_NAME as DIFF_REPORTERS
    from factcheck.views.diff import diff_revision

    changes = diff_revision(options.workspace(), rev)
    DIFF_REPORTERS[output_format](sys.stdout, options.color).report(changes)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--check", is_flag=True, help="Change nothing; list the files that would change, exit 1."
)
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; show unified diffs.")
@click.pass_obj
def fmt(options: Options, paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Rewrite claim files and catalogues in the canonical layout, keeping every comment.

    Keys in the documented order, two-space indentation, list items indented under their
    key, long text as folded '>-' blocks; the wording of every value stays as it is. A
    file with a YAML error is reported and left alone. PATHS limit it to those files
    (default: seeds/sources.yaml, seeds/parties.yaml and claims/*.yaml). Exit status: 0
    done, 1 a file could not be formatted (or, with --check, would change), 2 usage.
    """
    from factcheck.authoring.fmt import format_workspace
    from factcheck.reporters.authoring import report_format

    run = format_workspace(
        options.workspace(), [Path(path) for path in paths], write=not (check or show_diff)
    )
    report_format(run, sys.stdout, options.color, check=check, diff=show_diff)
    sys.exit(run.exit_code(check))


@main.command()
@click.argument("dispute")
@click.option("--party", required=True, metavar="ID", help="The party that makes the claim.")
@click.option(
    "--counter-party",
    "counter_parties",
    multiple=True,
    metavar="ID",
    help="A party that says the opposite (repeatable).",
)
@click.option("--title", metavar="TEXT", help="The disputed question, worded neutrally.")
@click.pass_obj
def new(
    options: Options,
    dispute: str,
    party: str,
    counter_parties: tuple[str, ...],
    title: str | None,
) -> None:
    """Write claims/DISPUTE.yaml from a commented template; never overwrite a file.

    The empty values marked TODO are what 'factcheck validate' reports until they are
    filled in. Exit status: 0 written, 2 refused (existing or invalid id, unknown party).
    """
    from factcheck.authoring.new import new_dispute
    from factcheck.reporters.authoring import report_new

    created = new_dispute(options.workspace(), dispute, party, counter_parties, title)
    report_new(created, sys.stdout, options.color)


@main.command()
@click.argument("source")
@click.argument("text")
@click.pass_obj
def quote(options: Options, source: str, text: str) -> None:
    """Find TEXT in the document of SOURCE, as the quote check does, ready to paste.

    Prints the passage as the document has it, its line and column, and a YAML passage;
    without an exact match, the three closest passages with their lines. Exit status:
    0 found, 1 not found, 2 unknown source.
    """
    from factcheck.authoring.quote import find_quote
    from factcheck.reporters.authoring import report_quote

    lookup = find_quote(options.workspace(), source, text)
    report_quote(lookup, sys.stdout, options.color)
    sys.exit(0 if lookup.found else 1)


@main.command("add-source")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--id", "source_id", required=True, metavar="ID", help="The new source id.")
@click.option("--title", required=True, metavar="TEXT", help="The document's title.")
@click.option("--party", metavar="ID", help="Whom a passage speaks for when it names no speaker.")
@click.option("--author", metavar="TEXT", help="The author as the document shows it.")
@click.option("--publisher", metavar="TEXT", help="The publisher or outlet.")
@click.option("--published", metavar="DATE", help="Publication date, YYYY-MM-DD.")
@click.option("--url", metavar="URL", help="Where the document was published.")
@click.pass_obj
def add_source_command(
    options: Options,
    file: str,
    source_id: str,
    title: str,
    party: str | None,
    author: str | None,
    publisher: str | None,
    published: str | None,
    url: str | None,
) -> None:
    """Archive FILE in seeds/ and record its sha256 and metadata in seeds/sources.yaml.

    The bytes are copied exactly, never over an existing file, and must be UTF-8 text; a
    file already in seeds/ is catalogued where it is. sources.yaml keeps its comments.
    Exit status: 0 added, 2 refused.
    """
    from factcheck.authoring.sources import add_source
    from factcheck.reporters.authoring import report_added_source

    added = add_source(
        options.workspace(),
        file,
        source_id,
        title,
        party=party,
        author=author,
        publisher=publisher,
        published=published,
        url=url,
    )
    report_added_source(added, sys.stdout, options.color)


catalogue_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(CATALOGUE_FORMATS),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)


@main.command()
@catalogue_format
@click.pass_obj
def sources(options: Options, output_format: str) -> None:
    """List the archived documents with how often claim files cite them, and where.

    Documents no claim cites (and no other document re-reports) are marked unused.
    """
    from factcheck.authoring.lookup import load_catalogue
    from factcheck.reporters.catalogue import report_sources
    from factcheck.views.catalogue import source_usage

    rows = source_usage(load_catalogue(options.workspace(), "source"))
    report_sources(rows, sys.stdout, options.color, output_format)


@main.command()
@catalogue_format
@click.pass_obj
def parties(options: Options, output_format: str) -> None:
    """List the parties with the positions they hold and the passages that come from them.

    Parties that no claim file and no source relies on are marked unused.
    """
    from factcheck.authoring.lookup import load_catalogue
    from factcheck.reporters.catalogue import report_parties
    from factcheck.views.catalogue import party_usage

    rows = party_usage(load_catalogue(options.workspace(), "party"))
    report_parties(rows, sys.stdout, options.color, output_format)


@main.command()
@click.option(
    "--for",
    "kind",
    type=click.Choice(list(SCHEMA_FILES)),
    default="claim",
    show_default=True,
    help="Which files the schema describes.",
)
@click.option("--output", type=click.Path(dir_okay=False), help="Write the schema to this file.")
def schema(kind: str, output: str | None) -> None:
    """Print the JSON Schema (draft-07) of claim files, for editors' YAML language servers.

    Point an editor at it with a first line such as
    '# yaml-language-server: $schema=../factcheck.schema.json'; see docs/editors.md.
    """
    text = schema_text(kind)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageProblem(f"--output {output}: {error.strerror}") from None
    click.echo(f"wrote the {kind} schema to {output}", err=True)


@main.group()
def cache() -> None:
    """Manage the validation cache in .factcheck-cache/ at the workspace root.

    The cache only makes runs faster: results are the same with --no-cache. It is
    rebuilt whenever it is missing, damaged or from another version of the tool.
    """


@cache.command("clear")
@click.pass_obj
def cache_clear(options: Options) -> None:
    """Remove .factcheck-cache/; the next run rebuilds it."""
    workspace = options.workspace()
    try:
        removed = clear_cache(workspace.root)
    except OSError as error:
        raise UsageProblem(f"cannot remove {CACHE_DIR}/: {error.strerror or error}") from None
    click.echo(f"removed {CACHE_DIR}/" if removed else f"no {CACHE_DIR}/ to remove", err=True)
