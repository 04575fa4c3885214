"""The command line: click commands that parse options, build the parts, and exit.

Nothing here checks or formats anything itself. Each command opens the workspace, calls
the library, hands the result to a reporter and exits with the code the result derives.
Usage and configuration problems exit 2 with a one-line message; so does an unexpected
internal error, without a traceback unless FACTCHECK_DEBUG is set.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from factcheck import __version__
from factcheck.diff import diff_revision
from factcheck.reporters.diff import REPORTER_BY_NAME as DIFF_REPORTERS
from factcheck.reporters.findings import REPORTER_BY_NAME
from factcheck.run import validate as run_validation
from factcheck.workspace import Workspace, WorkspaceError, open_workspace

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
@click.pass_obj
def validate(
    options: Options, paths: tuple[str, ...], output_format: str, strict: bool, exit_zero: bool
) -> None:
    """Run every check and print the findings with a one-line summary.

    PATHS limit the report to those claim files; cross-file checks still see the whole
    workspace. Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage.
    """
    workspace = options.workspace()
    validation = run_validation(workspace, [Path(path) for path in paths])
    reporter = REPORTER_BY_NAME[output_format](sys.stdout, options.color)
    reporter.report(validation.result)
    sys.exit(validation.result.exit_code(strict=strict, exit_zero=exit_zero))


@main.command()
@click.argument("rev", default="HEAD")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(DIFF_REPORTERS)),
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
    changes = diff_revision(options.workspace(), rev)
    DIFF_REPORTERS[output_format](sys.stdout, options.color).report(changes)
