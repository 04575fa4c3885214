"""The checks, one module per family of codes; together they see the whole workspace.

``workspace.fields`` (FC101–FC106) runs while each file is read; ``check_claims`` (the FC2xx and
FC3xx findings at a claim file) runs on batches of loaded claim files, and
``references.check_catalogue`` once per run on the catalogues (see ``engine.incremental``).
None of them prints or chooses a severity: they yield findings with the code's default,
and ``findings.decide`` applies the workspace's settings.
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.checks import evidence, references
from factcheck.findings import Finding
from factcheck.rules.scale import DEFAULT_SCALE, RatingScale
from factcheck.workspace.loader import Archive


def check_claims(
    archive: Archive, min_origins: int, scale: RatingScale = DEFAULT_SCALE
) -> Iterator[Finding]:
    """The cross-file findings of the claim files, each at its own file: these depend on
    the claim file, the catalogues, the documents it quotes and the settings (the minimum
    of origins, the rating scale), and nothing else."""
    yield from references.check_disputes(archive)
    yield from evidence.check(archive, min_origins, scale)
