"""The command line: click commands that parse options, build the parts, and exit.

Nothing here checks or formats anything itself. Each command opens the workspace, calls
the library, hands the result to a reporter and exits with the code the result derives.
Usage and configuration problems exit 2 with a one-line message; so does an unexpected
internal error, without a traceback unless FACTCHECK_DEBUG is set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from factcheck import __version__
from factcheck.engine.cache import CACHE_DIR
from factcheck.engine.cache import clear as clear_cache
from factcheck.engine.run import Validation
from factcheck.engine.run import validate as run_validation
from factcheck.reporters import terminal_safe
from factcheck.reporters.registry import formats, reporter_class
from factcheck.reporters.streams import guarded_output, machine_readable
from factcheck.rules.scale import DEFAULT_SCALE, RatingScale
from factcheck.views.jsonschema import FILES as SCHEMA_FILES
from factcheck.views.jsonschema import schema_text
from factcheck.workspace.git import repository_prefix
from factcheck.workspace.root import Workspace, WorkspaceError, find_root, open_workspace

# The modules behind report, show, diff and the authoring commands are imported by those
# commands: importing them all up front cost every command, validate included, 40 ms.

EXIT_USAGE = 2
F = TypeVar("F", bound=Callable[..., Any])
"""A command function, as click's decorators take and return it."""


@dataclass
class Options:
    """The global options, shared by every command."""

    root: str | None
    color: str

    def workspace(self) -> Workspace:
        return open_workspace(self.root)


class UsageProblem(click.ClickException):
    """A usage or configuration problem: printed as one line, exit status 2.

    The message often quotes a file (a setting's key, a dispute id), so it is made safe
    like any file text: on one line, no control characters, no workflow command.
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(terminal_safe(message))


ROOT_HELP = (
    "Workspace root (default: $FACTCHECK_ROOT, else the nearest directory above with "
    "factcheck.yaml, or with claims/ and seeds/)."
)
COLOR_HELP = "Colour output; 'auto' colours terminals unless NO_COLOR is set."
COLORS = ("auto", "always", "never")


def _override(context: click.Context, parameter: click.Parameter, value: str | None) -> None:
    """A global option given after the command name: it wins over the one given before."""
    options = context.find_object(Options)
    if value is not None and parameter.name:
        context.meta[f"factcheck.{parameter.name}"] = value  # for completion
        if options is not None:
            setattr(options, parameter.name, value)


def complete(kind: str) -> Callable[[click.Context, click.Parameter, str], list[str]]:
    """Shell completion of ids of ``kind`` (dispute, source, party, side, side-or-none) in
    the workspace the command line names: ``--root`` anywhere, else FACTCHECK_ROOT, else
    here."""

    def ids(context: click.Context, parameter: click.Parameter, incomplete: str) -> list[str]:
        from factcheck.authoring.lookup import ids_for_completion

        root = context.meta.get("factcheck.root") or context.find_root().params.get("root")
        try:
            workspace = open_workspace(root or os.environ.get("FACTCHECK_ROOT") or None)
            known = ids_for_completion(workspace, kind.removesuffix("-or-none"))
        except Exception:  # a keystroke never shows a traceback
            return []
        if kind.endswith("-or-none"):
            known.append("none")
        return [item for item in known if item.startswith(incomplete)]

    return ids


def global_options_after_the_command() -> list[click.Parameter]:
    """``--root`` and ``--color`` for a command, so that ``factcheck validate --root DIR``
    works as ``factcheck --root DIR validate`` does: a pre-commit hook's arguments, and
    most people's habits, come after the command name."""
    return [
        click.Option(
            ["--root"],
            type=click.Path(file_okay=False),
            expose_value=False,
            callback=_override,
            help=ROOT_HELP,
        ),
        click.Option(
            ["--color"],
            type=click.Choice(COLORS),
            expose_value=False,
            callback=_override,
            help=COLOR_HELP,
        ),
    ]


def id_option(*names: str, kind: str, **settings: Any) -> Callable[[F], F]:
    """An option that takes an id of ``kind``, completed from the workspace."""
    return click.option(*names, metavar="ID", shell_complete=complete(kind), **settings)


class FactcheckGroup(click.Group):
    """Turns expected failures into exit 2 with a one-line message, never a traceback, and
    gives every command the global options too."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        if not isinstance(cmd, click.Group):
            cmd.params.extend(global_options_after_the_command())
        super().add_command(cmd, name)

    def invoke(self, ctx: click.Context) -> object:
        with guarded_output():
            return self._invoke(ctx)

    def _invoke(self, ctx: click.Context) -> object:
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


def format_option(choices: Iterable[str], help: str, default: str = "table") -> Callable:
    """The ``--format`` option: one definition for every command that has one."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


PEOPLE_AND_PROGRAMS = "table for a terminal, markdown for a pull request, json for programs."


cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Neither read nor write .factcheck-cache/ (the results are the same, only slower).",
)
"""Every command that validates takes this option and passes ``cache=not no_cache``."""


@click.group(cls=FactcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--root", type=click.Path(file_okay=False), envvar="FACTCHECK_ROOT", help=ROOT_HELP)
@click.option(
    "--color", type=click.Choice(COLORS), default="auto", show_default=True, help=COLOR_HELP
)
@click.version_option(__version__, prog_name="factcheck")
@click.pass_context
def main(context: click.Context, root: str | None, color: str) -> None:
    """Validate fact-checking claim files and print side-by-side verdict tables."""
    context.obj = Options(root, color)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option(formats("findings"), "How to print the findings.", default="text")
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
    machine_readable(output_format)
    workspace = options.workspace()
    validation = run_validation(workspace, [Path(path) for path in paths], cache=not no_cache)
    reporter = reporter_class("findings", output_format)(sys.stdout, options.color)
    if output_format == "github":
        reporter.path_prefix = repository_prefix(workspace.root)
    reporter.report(validation.result)
    sys.exit(validation.result.exit_code(strict=strict, exit_zero=exit_zero))


changed_since_option = click.option(
    "--changed-since",
    metavar="REV",
    help="Only the disputes whose claim files changed since git revision REV, and those a "
    "changed catalogue entry, document or setting reaches (for a pull request).",
)


def output_to(output: str | None, write: Callable[[TextIO], object]) -> None:
    """Let ``write`` write to stdout, or to FILE (UTF-8) as it goes; a usage error if FILE
    cannot be written."""
    if output is None:
        write(sys.stdout)
        return
    try:
        with open(output, "w", encoding="utf-8") as stream:
            write(stream)
    except OSError as error:
        raise UsageProblem(f"cannot write {output}: {error.strerror or error}") from None


def validate_for_report(
    options: Options, paths: list[Path], no_cache: bool, records: bool = False
) -> Validation:
    """Validate, deriving each dispute's row (and with ``records`` its JSON record) beside
    the checks and caching it, with a progress bar on stderr when that takes a while on a
    terminal."""
    from factcheck.reporters.progress import progress_bar
    from factcheck.views.report import REPORT_EXTRA, ROWS_EXTRA

    workspace = options.workspace()
    extra = REPORT_EXTRA if records else ROWS_EXTRA
    with progress_bar(sys.stderr, options.color) as progress:
        return run_validation(workspace, paths, cache=not no_cache, extra=extra, progress=progress)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@format_option(
    formats("report"),
    "table for a terminal or CI log, markdown for $GITHUB_STEP_SUMMARY and pull "
    "requests, json for programs.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write the report to FILE instead of stdout.",
)
@click.option(
    "--details", is_flag=True, help="Add each dispute's card: every row of its side-by-side table."
)
@id_option(
    "--party",
    kind="party",
    multiple=True,
    help="Disputes where this party speaks.",
)
@id_option(
    "--side",
    kind="side",
    multiple=True,
    help="Disputes where this side speaks.",
)
@click.option(
    "--verdict", multiple=True, metavar="V", help="Disputes with a position rated V, or pending."
)
@click.option("--tag", multiple=True, metavar="T", help="Disputes tagged T.")
@changed_since_option
@click.option("--strict", is_flag=True, help="Fail on warnings too, as validate --strict.")
@cache_option
@click.pass_obj
def report(
    options: Options,
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    details: bool,
    party: tuple[str, ...],
    side: tuple[str, ...],
    verdict: tuple[str, ...],
    tag: tuple[str, ...],
    changed_since: str | None,
    strict: bool,
    no_cache: bool,
) -> None:
    """Validate, then print what is broken, the verdict table and the totals.

    First the files with errors and their findings; then one row per dispute: its id and
    title, and the party, verdict and corroboration of the claim and of each counter-claim,
    side by side; then totals by verdict and side. --details (or a filter) adds each
    dispute's card: party and side, statement, where asserted, evidence, corroboration,
    verdict and rationale. Filters combine; each may be repeated. Findings also go to
    stderr. Exit status is validate's: 0 no errors, 1 errors, 2 usage.
    """
    from factcheck.views.changes import changes_since
    from factcheck.views.report import Filters, build_report

    if output is None:
        machine_readable(output_format)
    selected = [Path(path) for path in paths]
    validation = validate_for_report(options, selected, no_cache, output_format == "json")
    changes = changes_since(validation, changed_since) if changed_since else None
    the_report = build_report(
        validation,
        Filters(party, side, verdict, tag),
        selected,
        details=details,
        changes=changes,
    )
    reporter_class("findings", "text")(sys.stderr, options.color).report(validation.result)
    reporter = reporter_class("report", output_format)
    prefix = (
        repository_prefix(validation.archive.workspace.root) if output_format == "markdown" else ""
    )
    output_to(
        output,
        lambda stream: reporter(stream, options.color, path_prefix=prefix).report(the_report),
    )
    sys.exit(validation.result.exit_code(strict=strict))


def write_output(output: str | None, text: str) -> None:
    """Write a whole result to stdout or to the file ``--output`` names."""
    output_to(output, lambda stream: stream.write(text))


@main.command()
@click.argument("dispute", required=False, shell_complete=complete("dispute"))
@format_option(formats("show"), PEOPLE_AND_PROGRAMS)
@changed_since_option
@cache_option
@click.pass_obj
def show(
    options: Options,
    dispute: str | None,
    output_format: str,
    changed_since: str | None,
    no_cache: bool,
) -> None:
    """Show one dispute in full: every passage and the evidence-by-position matrix.

    DISPUTE is a dispute id (or its claim file); with --changed-since REV instead, every
    dispute the change touched. Each passage is shown with its source, file, line and
    column where the quote was found, its origin and whether it is independent. Exit
    status: 0, or 1 when a shown dispute's file has errors (listed on stderr); 2 for an
    unknown dispute.
    """
    from factcheck.views.changes import changes_since
    from factcheck.views.report import show_changed, show_dispute

    if (dispute is None) == (changed_since is None):
        raise UsageProblem("give a DISPUTE or --changed-since REV (one of them)")
    if dispute is not None:
        validation = run_validation(options.workspace(), cache=not no_cache)
        shown = show_dispute(validation, dispute)
    else:
        assert changed_since is not None  # exactly one of the two was given
        validation = validate_for_report(options, [], no_cache)
        shown = show_changed(validation, changes_since(validation, changed_since))
    if shown.result.findings:
        reporter_class("findings", "text")(sys.stderr, options.color).report(shown.result)
    for item in shown.disputes:
        if item.parsed is None:
            message = f"{item.path} cannot be read as a dispute; fix the findings above."
            click.echo(terminal_safe(message), err=True)
    machine_readable(output_format)
    reporter_class("show", output_format)(sys.stdout, options.color).show(shown)
    sys.exit(shown.result.exit_code())


@main.command()
@click.argument("rev", default="HEAD")
@format_option(formats("diff"), PEOPLE_AND_PROGRAMS)
@click.pass_obj
def diff(options: Options, rev: str, output_format: str) -> None:
    """Show what changed in the findings between git revision REV and the working tree.

    Dispute by dispute: disputes added, removed or renamed; positions added or removed;
    statements, verdicts, corroboration and rationales old to new; passages added or
    removed; catalogue changes with the disputes they move; files invalid on either side.
    REV (default HEAD) is read with git, never checked out. Exit status: 0 when the
    comparison ran, changes or not; 2 when this is not a git repository or REV is unknown.
    """
    from factcheck.views.diff import diff_revision

    machine_readable(output_format)
    workspace = options.workspace()
    changes = diff_revision(workspace, rev)
    prefix = repository_prefix(workspace.root) if output_format == "markdown" else ""
    reporter_class("diff", output_format)(sys.stdout, options.color, path_prefix=prefix).report(
        changes
    )


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
@click.argument("directory", required=False, type=click.Path(file_okay=False))
@click.option(
    "--ci",
    type=click.Choice(["github", "none"]),
    help="Also write a GitHub Actions workflow (default: ask on a terminal, else none).",
)
@click.option(
    "--pre-commit/--no-pre-commit",
    "pre_commit",
    default=None,
    help="Also write .pre-commit-config.yaml (default: ask on a terminal, else no).",
)
@click.option(
    "--install",
    metavar="SPEC",
    help="The pip requirement the workflow installs (default: where this factcheck came from).",
)
@click.pass_obj
def init(
    options: Options,
    directory: str | None,
    ci: str | None,
    pre_commit: bool | None,
    install: str | None,
) -> None:
    """Create a workspace in DIRECTORY (default: --root, else here) that validates as it is.

    Writes factcheck.yaml with every setting explained and commented out, claims/, and
    empty catalogues in seeds/; with --ci github a workflow, and with --pre-commit a
    pre-commit configuration, at the root of the git repository that holds the workspace
    (they work when the workspace is a subdirectory). Never overwrites a file. Exit
    status: 0 done, 2 refused.
    """
    from factcheck.authoring.init import init_workspace
    from factcheck.reporters.authoring import report_init

    asking = sys.stdin.isatty()
    if ci is None:
        ci = "github" if asking and click.confirm("Write a GitHub Actions workflow?") else "none"
    if pre_commit is None:
        pre_commit = asking and click.confirm("Write a pre-commit configuration?")
    done = init_workspace(
        directory or options.root or ".",
        github=ci == "github",
        pre_commit=pre_commit,
        install=install,
    )
    report_init(done, sys.stdout, options.color)


@main.command()
@click.argument("dispute")
@id_option(
    "--party",
    kind="party",
    required=True,
    help="The party that makes the claim.",
)
@id_option(
    "--counter-party",
    "counter_parties",
    kind="party",
    multiple=True,
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
@click.argument("source", shell_complete=complete("source"))
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
@click.option(
    "--title",
    metavar="TEXT",
    help="The document's title (required unless the page or PDF declares one).",
)
@id_option(
    "--party",
    kind="party",
    help="Whom a passage speaks for when it names no speaker.",
)
@click.option("--author", metavar="TEXT", help="The author as the document shows it.")
@click.option("--publisher", metavar="TEXT", help="The publisher or outlet.")
@click.option("--published", metavar="DATE", help="Publication date, YYYY-MM-DD.")
@click.option("--url", metavar="URL", help="Where the document was published.")
@click.option(
    "--reliability",
    type=click.Choice(["A", "B", "C", "D", "E", "F"]),
    help="Admiralty source-reliability grade: A completely reliable ... F cannot be judged.",
)
@id_option(
    "--based-on",
    "based_on",
    kind="source",
    multiple=True,
    help="A source this document re-reports (repeatable).",
)
@click.pass_obj
def add_source_command(
    options: Options,
    file: str,
    source_id: str,
    title: str | None,
    party: str | None,
    author: str | None,
    publisher: str | None,
    published: str | None,
    url: str | None,
    reliability: str | None,
    based_on: tuple[str, ...],
) -> None:
    """Archive FILE in seeds/ and record its sha256 and metadata in seeds/sources.yaml.

    FILE is UTF-8 text, a web page (HTML) or a PDF. Text is copied exactly. A page or a
    PDF is kept as it is, with its own sha256, and its readable text is archived beside
    it (FILE.txt): the text is what quotes are matched against. The title, author,
    publisher, date and URL the page or PDF declares fill what the options leave out,
    and each is printed so the desk can check it. Nothing is overwritten; a file already
    in seeds/ is catalogued where it is; sources.yaml keeps its comments. Exit status:
    0 added, 2 refused.
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
        reliability=reliability,
        based_on=based_on,
    )
    report_added_source(added, sys.stdout, options.color)


@main.command("record-digest")
@click.argument("source", metavar="SOURCE", shell_complete=complete("source"))
@click.option("--yes", "-y", is_flag=True, help="Record without asking (after the diff).")
@click.pass_obj
def record_digest(options: Options, source: str, yes: bool) -> None:
    """Record the new sha256 of SOURCE's document after a deliberate change (FC205's fix).

    Shows first how the text differs from the copy the old digest was recorded for (the
    one committed in git, when it matches), then asks; sources.yaml keeps its comments.
    Exit status: 0 recorded or nothing to record, 1 declined, 2 refused.
    """
    from factcheck.authoring.digest import digest_change, record_digests
    from factcheck.reporters.authoring import report_digest_change

    workspace = options.workspace()
    change = digest_change(workspace, source)
    report_digest_change(change, sys.stdout, options.color)
    if not change.files:
        return
    if not yes:
        if not sys.stdin.isatty():
            click.echo("nothing recorded: read the diff above, then run again with --yes", err=True)
            sys.exit(1)
        if not click.confirm("Record the new digest?", default=False):
            click.echo("nothing recorded", err=True)
            sys.exit(1)
    record_digests(workspace, change)
    click.echo(f"recorded in seeds/sources.yaml for source '{source}'")


@main.command("add-party")
@click.argument("party_id", metavar="ID")
@click.option("--name", required=True, metavar="TEXT", help="The party's full name.")
@id_option(
    "--side",
    kind="side-or-none",
    help="A side declared in seeds/parties.yaml, or 'none' when the desk has checked that "
    "the party is aligned with no side (then --description is required).",
)
@click.option("--kind", metavar="KIND", help="government, military, media, person, ...")
@click.option("--description", metavar="TEXT", help="Who the party is (and why its side).")
@click.pass_obj
def add_party_command(
    options: Options,
    party_id: str,
    name: str,
    side: str | None,
    kind: str | None,
    description: str | None,
) -> None:
    """Add party ID to seeds/parties.yaml, keeping its comments and layout.

    Without --side the party's alignment is not recorded, and evidence from it does not
    count until it is (docs/methodology.md). Exit status: 0 added, 2 refused.
    """
    from factcheck.authoring.parties import add_party
    from factcheck.reporters.authoring import report_added_party

    added = add_party(
        options.workspace(), party_id, name, side=side, kind=kind, description=description
    )
    report_added_party(added, sys.stdout, options.color)


catalogue_format = format_option(formats("catalogue"), "table for people, json for programs.")


@main.command()
@catalogue_format
@click.pass_obj
def sources(options: Options, output_format: str) -> None:
    """List the archived documents with how often claim files cite them, and where.

    Documents no claim cites (and no other document re-reports) are marked unused.
    """
    from factcheck.authoring.lookup import load_catalogue
    from factcheck.views.catalogue import source_usage

    machine_readable(output_format)
    rows = source_usage(load_catalogue(options.workspace(), "source"))
    reporter_class("catalogue", output_format)(sys.stdout, options.color).sources(rows)


@main.command()
@catalogue_format
@click.pass_obj
def parties(options: Options, output_format: str) -> None:
    """List the parties with the positions they hold and the passages that come from them.

    Parties that no claim file and no source relies on are marked unused.
    """
    from factcheck.authoring.lookup import load_catalogue
    from factcheck.views.catalogue import party_usage

    machine_readable(output_format)
    rows = party_usage(load_catalogue(options.workspace(), "party"))
    reporter_class("catalogue", output_format)(sys.stdout, options.color).parties(rows)


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
@click.pass_obj
def schema(options: Options, kind: str, output: str | None) -> None:
    """Print the JSON Schema (draft-07) of claim files, for editors' YAML language servers.

    Verdicts are the labels of the workspace's rating scale (the built-in verdicts outside
    a workspace). Point an editor at it with a first line such as
    '# yaml-language-server: $schema=../factcheck.schema.json'; see docs/editors.md.
    """
    text = schema_text(kind, _rating_scale(options))
    if output is None:
        machine_readable("json")
        sys.stdout.write(text)
        return
    write_output(output, text)
    click.echo(f"wrote the {kind} schema to {output}", err=True)


def _rating_scale(options: Options) -> RatingScale:
    """The workspace's rating scale, or the built-in one where there is no workspace."""
    if options.root is None:
        try:
            find_root()
        except WorkspaceError:
            return DEFAULT_SCALE
    return options.workspace().settings.rating_scale


@main.group(cls=FactcheckGroup)
def export() -> None:
    """Export the desk's verdicts in the formats other tools take."""


@export.command("claimreview")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonld", "factcheck-api"]),
    default="jsonld",
    show_default=True,
    help="jsonld: schema.org ClaimReview objects, as pages embed them; factcheck-api: "
    "ClaimReviewMarkupPage objects for Google's Fact Check Tools API, one per page.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout."
)
@cache_option
@click.pass_obj
def export_claimreview(
    options: Options, output_format: str, output: str | None, no_cache: bool
) -> None:
    """Export one ClaimReview per rated position of every valid dispute, as JSON.

    Needs 'publisher' and 'site_url' in factcheck.yaml. Pending positions (no verdict yet)
    are skipped and counted on stderr, as are files with errors, whose findings go to
    stderr. Exit status is validate's: 0 no errors, 1 errors, 2 usage.
    """
    from factcheck.reporters.export import claimreview_json
    from factcheck.views.claimreview import claim_reviews, markup_pages, require_publishing
    from factcheck.views.report import build_report

    workspace = options.workspace()
    settings = workspace.settings
    require_publishing(settings)
    validation = run_validation(workspace, cache=not no_cache)
    the_report = build_report(validation)
    reporter_class("findings", "text")(sys.stderr, options.color).report(validation.result)
    reviews = claim_reviews(the_report.views(), validation.archive.catalogue, settings)
    if output_format == "jsonld":
        text = claimreview_json(reviews.reviews)
    else:
        text = claimreview_json(markup_pages(reviews.reviews, settings))
    if output is None:
        machine_readable("json")
    write_output(output, text)
    click.echo(
        f"{_count(len(reviews.reviews), 'review')} exported; "
        f"{_count(reviews.pending, 'pending position')} skipped (no verdict yet)",
        err=True,
    )
    sys.exit(validation.result.exit_code())


@main.command()
@click.option(
    "--output",
    "-o",
    required=True,
    type=click.Path(file_okay=False),
    help="The directory to write the site to (created if needed).",
)
@cache_option
@click.pass_obj
def site(options: Options, output: str, no_cache: bool) -> None:
    """Build the static site: the verdict table, a page per dispute, document and party.

    The pages work from file:// and any web server, use no external assets and no
    scripts; each dispute page embeds its ClaimReview JSON-LD when 'publisher' and
    'site_url' are set in factcheck.yaml. A rebuild rewrites only the pages whose content
    changed. Files with errors are left out (their findings go to stderr). Exit status is
    validate's: 0 no errors, 1 errors, 2 usage.
    """
    try:
        from factcheck.reporters.html import SiteWriter, build_site, site_extra
    except ImportError as error:
        raise UsageProblem(
            f"factcheck site needs Jinja2 ({error}); install it with "
            "python3 -m pip install 'factcheck-workbench[publish]' (or '.[publish]' in a checkout)"
        ) from None
    from factcheck.engine.incremental import gc_paused, worker_count
    from factcheck.views.site import SiteBuilder, site_files

    workspace = options.workspace()
    settings = workspace.settings
    target = Path(output)
    try:
        writer = SiteWriter(target, settings)
    except OSError as error:
        raise UsageProblem(f"cannot write the site to {output}: {error}") from None
    with writer:
        # the dispute pages are rendered beside the checks, in the validation's workers,
        # and written as they come back
        validation = run_validation(
            workspace, cache=not no_cache, extra=site_extra(settings), arrived=writer.arrived
        )
        reporter_class("findings", "text")(sys.stderr, options.color).report(validation.result)
        missing = [name for name in ("publisher", "site_url") if getattr(settings, name) is None]
        if missing:
            click.echo(
                f"note: {' and '.join(missing)} not set in factcheck.yaml: the pages carry no "
                "ClaimReview until they are",
                err=True,
            )
        with gc_paused():  # many small objects, none of them cyclic
            parts, invalid = site_files(validation)
            builder = SiteBuilder(validation.archive, settings, invalid)
            try:
                written = build_site(builder, parts, writer, worker_count(None))
            except OSError as error:
                raise UsageProblem(f"cannot write the site to {output}: {error}") from None
    click.echo(
        f"site in {output}: {_count(written.written, 'page')} written, "
        f"{written.unchanged} unchanged, {written.removed} removed; open "
        f"{target / 'index.html'}",
        err=True,
    )
    sys.exit(validation.result.exit_code())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@main.group(cls=FactcheckGroup)
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
