"""The static site's HTML: Jinja2 templates with autoescaping, and the files they become.

Every text in a page comes from files that anyone can edit in a pull request, so the
templates never mark file text as safe: Jinja2 escapes it for HTML everywhere, the
ClaimReview JSON-LD goes through ``tojson`` (which escapes ``<``, ``>``, ``&`` and ``'``,
so no ``</script>`` can end its block), and a recorded address becomes a link only when
``views.claimreview.web_url`` accepts it. A Content-Security-Policy forbids scripts
altogether, as a second wall: the pages need none, the filters are CSS.

Only the pages whose data changed since the last build are rendered and written; the
digests are kept in ``.factcheck-site.json`` in the output directory, together with a
digest of the templates themselves, so a new version of the tool rebuilds everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from factcheck import __version__
from factcheck.files.write import write_atomic
from factcheck.model import Dispute
from factcheck.views.site import MANIFEST, Gathered, Page, SiteBuilder, needs_writing, stale

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
STATIC_FILES = ("style.css", "print.css")

_PAGE_PATH = re.compile(r"(?:index|(?:disputes|documents|parties)/[a-z0-9]+(?:-[a-z0-9]+)*)\.html")
"""The only paths the site writes or removes: a manifest from elsewhere cannot point out."""


@dataclass(frozen=True)
class SiteWrite:
    """What a build did: pages written, pages left as they were, stale pages removed."""

    output: Path
    written: int
    unchanged: int
    removed: int


class _Environment(Environment):
    """Looks up ``page.field`` in a page's data (plain dicts) before trying attributes.

    Jinja2 tries an attribute first and an item second; every page is built from dicts,
    and the failed attribute lookups were a third of the time spent rendering.
    """

    def getattr(self, obj: object, attribute: str) -> object:
        if obj.__class__ is dict:
            try:
                return obj[attribute]  # type: ignore[index]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment() -> Environment:
    """The templates, with autoescaping on for every one of them."""
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    return env


def templates_digest() -> str:
    """The tool's version and the bytes of every template and stylesheet."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted([*TEMPLATES.iterdir(), *STATIC.iterdir()]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def build_site(
    builder: SiteBuilder,
    disputes: Sequence[Dispute],
    output: Path,
    publisher_url: str | None,
    workers: int = 1,
) -> SiteWrite:
    """Build and write the pages that changed; remove the pages the site no longer has.

    With ``workers`` > 1 and many disputes, the dispute pages are built, rendered and
    written in that many forked processes, each taking a stretch of the disputes, and what
    they gathered is joined in order for the index, document and party pages.
    """
    output.mkdir(parents=True, exist_ok=True)
    for directory in ("disputes", "documents", "parties"):
        (output / directory).mkdir(exist_ok=True)
    salt = templates_digest()
    writer = _Writer(output, publisher_url, _read_manifest(output, salt))
    if not _in_workers(builder, disputes, writer, workers):
        for dispute in disputes:
            writer.put(builder.dispute_page(dispute))
    for page in builder.finish():
        writer.put(page)
    for name in STATIC_FILES:
        data = (STATIC / name).read_bytes()
        target = output / name
        if not target.is_file() or target.read_bytes() != data:
            replace_file(target, data)
    removed = 0
    for path in stale(writer.previous, writer.digests):
        if _PAGE_PATH.fullmatch(path):
            with contextlib.suppress(FileNotFoundError):
                (output / path).unlink()
                removed += 1
    text = json.dumps(writer.digests | {"": salt}, sort_keys=True, indent=0)
    replace_file(output / MANIFEST, text.encode("utf-8"))
    return SiteWrite(output, writer.written, writer.unchanged, removed)


class _Writer:
    """Renders and writes each page whose digest differs from the last build's."""

    def __init__(self, output: Path, publisher_url: str | None, previous: dict[str, str]):
        self.output = output
        self.previous = previous
        self.digests: dict[str, str] = {}
        self.written = 0
        self.unchanged = 0
        self.env = environment()
        self.env.globals["publisher_url"] = publisher_url
        self.templates: dict[str, Template] = {}

    def put(self, page: Page) -> None:
        path = self.output / page.path
        self.digests[page.path] = page.digest
        if not needs_writing(page, self.previous, path.is_file):
            self.unchanged += 1
            return
        template = self.templates.get(page.template)
        if template is None:
            template = self.templates[page.template] = self.env.get_template(page.template)
        replace_file(path, template.render(page.context).encode("utf-8"))
        self.written += 1


PARALLEL_DISPUTES = 400
"""Fewer disputes than this are built in-process: starting workers would cost more.
``FACTCHECK_PARALLEL_THRESHOLD`` overrides it, as it does for validation (the tests set
it to 1 to take the parallel path)."""


def _parallel_threshold() -> int:
    try:
        return max(1, int(os.environ["FACTCHECK_PARALLEL_THRESHOLD"]))
    except (KeyError, ValueError):
        return PARALLEL_DISPUTES


_JOB: tuple[SiteBuilder, Sequence[Dispute], _Writer] | None = None


def _in_workers(
    builder: SiteBuilder, disputes: Sequence[Dispute], writer: _Writer, workers: int
) -> bool:
    """Build, render and write the dispute pages in forked workers; False if not done.

    The workers are forked after the archive is read, so they see it in memory; each
    returns only what it gathered and the digests of its pages. If the pool fails in any
    way, nothing of its work is kept and the caller does it all in-process.
    """
    global _JOB
    if workers < 2 or len(disputes) < _parallel_threshold():
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    size = -(-len(disputes) // workers)
    stretches = [
        (start, min(start + size, len(disputes))) for start in range(0, len(disputes), size)
    ]
    _JOB = (builder, disputes, writer)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            results = list(pool.map(_stretch, stretches))
    except Exception:  # a worker died or could not start: the caller works in-process
        return False
    finally:
        _JOB = None
    for gathered, digests, written, unchanged in results:
        builder.gathered.join(gathered)
        writer.digests.update(digests)
        writer.written += written
        writer.unchanged += unchanged
    return True


def _stretch(bounds: tuple[int, int]) -> tuple[Gathered, dict[str, str], int, int]:
    """In a worker: the dispute pages of one stretch of the disputes."""
    assert _JOB is not None
    builder, disputes, writer = _JOB
    builder.gathered = Gathered()
    writer.digests, writer.written, writer.unchanged = {}, 0, 0
    for dispute in disputes[bounds[0] : bounds[1]]:
        writer.put(builder.dispute_page(dispute))
    return builder.gathered, writer.digests, writer.written, writer.unchanged


def _read_manifest(output: Path, salt: str) -> dict[str, str]:
    """The digests of the last build, or none when it was built by other templates."""
    try:
        data = json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("") != salt:
        return {}
    return {
        key: value
        for key, value in data.items()
        if isinstance(key, str) and isinstance(value, str) and key
    }


def replace_file(path: Path, data: bytes) -> None:
    """Write a page in one step (a reader sees the old page or the new one, never half),
    without flushing each of thousands of pages to disk: the next build rewrites them."""
    write_atomic(path, data, durable=False)
