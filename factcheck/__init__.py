"""factcheck: validate fact-checking desks' claim files and print side-by-side verdicts.

The library comes first and the command line is a thin layer on it::

    from factcheck import open_workspace, validate
    validation = validate(open_workspace("path/to/desk"))
    print(validation.result.summary())
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("factcheck")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

from factcheck.run import Validation, validate
from factcheck.workspace import Workspace, WorkspaceError, open_workspace

__all__ = ["Validation", "Workspace", "WorkspaceError", "__version__", "open_workspace", "validate"]
