"""The checks, one module per family of codes; together they see the whole workspace.

``fields`` (FC101–FC106) runs while each file is read; ``references`` (FC2xx) and
``evidence`` (FC3xx) run once every file is loaded. None of them prints or chooses a
severity: they yield findings with the code's default, and ``findings.decide`` applies
the workspace's settings.
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.checks import evidence, references
from factcheck.findings import Finding
from factcheck.loader import Archive


def run_checks(archive: Archive, min_origins: int) -> list[Finding]:
    """Every finding of a loaded workspace, undecided and unsorted."""
    found = list(archive.findings)
    for claim_file in archive.claim_files:
        found.extend(claim_file.findings)
    found.extend(check_claims(archive, min_origins))
    found.extend(references.check_catalogue(archive, *references.named_ids(archive.disputes)))
    return found


def check_claims(archive: Archive, min_origins: int) -> Iterator[Finding]:
    """The cross-file findings of the claim files, each at its own file: these depend on
    the claim file, the catalogues and the documents it quotes, and nothing else."""
    yield from references.check_disputes(archive)
    yield from evidence.check(archive, min_origins)
