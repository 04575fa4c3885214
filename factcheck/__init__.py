"""factcheck: validate fact-checking desks' claim files and print side-by-side verdicts.

The library comes first and the command line is a thin layer on it::

    from factcheck import open_workspace, validate
    validation = validate(open_workspace("path/to/desk"))
    print(validation.result.summary())
"""

from __future__ import annotations

from factcheck.engine.run import Validation, validate
from factcheck.workspace.root import Workspace, WorkspaceError, open_workspace

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here. A constant, not
``importlib.metadata``: looking the installed version up cost every command 15 ms."""

__all__ = ["Validation", "Workspace", "WorkspaceError", "__version__", "open_workspace", "validate"]
