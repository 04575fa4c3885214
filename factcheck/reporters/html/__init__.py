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
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from factcheck import __version__
from factcheck.files.write import write_atomic
from factcheck.views.site import MANIFEST, Page, manifest, plan

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


def write_site(
    pages: Sequence[Page], output: Path, publisher_url: str | None, workers: int = 1
) -> SiteWrite:
    """Render and write the pages that changed; remove the pages the site no longer has.

    ``workers`` processes share the rendering when there are many pages to write.
    """
    output.mkdir(parents=True, exist_ok=True)
    salt = templates_digest()
    previous = _read_manifest(output, salt)
    todo = plan(pages, previous, lambda path: (output / path).is_file())
    for directory in ("disputes", "documents", "parties"):
        (output / directory).mkdir(exist_ok=True)
    render_pages(todo.write, output, publisher_url, workers)
    for name in STATIC_FILES:
        data = (STATIC / name).read_bytes()
        target = output / name
        if not target.is_file() or target.read_bytes() != data:
            replace_file(target, data)
    removed = 0
    for path in todo.remove:
        if _PAGE_PATH.fullmatch(path):
            with contextlib.suppress(FileNotFoundError):
                (output / path).unlink()
                removed += 1
    text = json.dumps(manifest(pages, salt), sort_keys=True, indent=0)
    replace_file(output / MANIFEST, text.encode("utf-8"))
    return SiteWrite(output, len(todo.write), todo.unchanged, removed)


PARALLEL_PAGES = 400
"""Fewer pages than this are rendered in-process: starting workers would cost more."""

_JOB: tuple[Sequence[Page], Path, str | None] | None = None


def render_pages(
    pages: Sequence[Page], output: Path, publisher_url: str | None, workers: int
) -> None:
    """Render and write pages, in worker processes when there are many of them.

    The workers are forked after the pages are built, so they read them from memory
    rather than receive them; each renders a stripe of the list. If the pool fails in any
    way, the pages are rendered here: none is left unwritten.
    """
    global _JOB
    if workers < 2 or len(pages) < PARALLEL_PAGES or "fork" not in _start_methods():
        _render_stripe(pages, output, publisher_url, 0, 1)
        return
    _JOB = (pages, output, publisher_url)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            list(pool.map(_render_job_stripe, range(workers), [workers] * workers))
    except Exception:  # a worker died or could not start: render everything here
        _render_stripe(pages, output, publisher_url, 0, 1)
    finally:
        _JOB = None


def _render_job_stripe(start: int, step: int) -> None:
    assert _JOB is not None
    _render_stripe(*_JOB, start, step)


def _render_stripe(
    pages: Sequence[Page], output: Path, publisher_url: str | None, start: int, step: int
) -> None:
    env = environment()
    env.globals["publisher_url"] = publisher_url
    templates: dict[str, Template] = {}
    for page in pages[start::step]:
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = env.get_template(page.template)
        replace_file(output / page.path, template.render(page.context).encode("utf-8"))


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()


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
