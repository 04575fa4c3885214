"""The static site's HTML: Jinja2 templates with autoescaping, and the files they become.

Every text in a page comes from files that anyone can edit in a pull request, so the
templates never mark file text as safe: Jinja2 escapes it for HTML everywhere, the
ClaimReview JSON-LD goes through ``tojson`` (which escapes ``<``, ``>``, ``&`` and ``'``,
so no ``</script>`` can end its block), and a recorded address becomes a link only when
``views.claimreview.web_url`` accepts it. A Content-Security-Policy forbids scripts
altogether, as a second wall: the pages need none, the filters are CSS.

Only the pages whose HTML changed since the last build are written; the digests are kept
in ``.factcheck-site.json`` in the output directory, together with a digest of the
templates themselves, so a new version of the tool rebuilds everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import re
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache, partial
from html import escape as escape_html
from pathlib import Path
from types import CodeType
from typing import Any, cast

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from factcheck import __version__
from factcheck.engine.incremental import Extra, parallel_threshold
from factcheck.files.write import replace_quickly
from factcheck.findings import Finding, RunResult, decide
from factcheck.model import Dispute
from factcheck.text import json_text
from factcheck.views.site import (
    MANIFEST,
    DisputePart,
    Page,
    SiteBuilder,
    SitePart,
    needs_writing,
    page_digest,
    stale,
)
from factcheck.workspace.loader import Archive
from factcheck.workspace.root import Settings

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


def _escape(value: object) -> str:
    """What a template writes for ``{{ value }}``: the value's own markup when it has some
    (``tojson``'s, say), else its text with the five characters ``& < > " '`` escaped."""
    if type(value) is str:  # not a subclass: Markup is one
        return escape_html(value)
    markup = getattr(value, "__html__", None)
    return markup() if markup is not None else escape_html(str(value))


class _Template(Template):
    """A template whose ``{{ value }}`` is escaped to a plain string.

    With autoescaping, every value a template writes goes through markupsafe's ``escape``,
    which returns a ``Markup`` built by Python code: 150 values a dispute page, a third of
    rendering it. What a template writes is only joined into the page (where Jinja2 makes
    markup of a template's output, in a macro or a ``set`` block, it wraps the joined text
    in ``Markup`` itself), so ``_escape`` escapes the same characters into a plain string.
    Should a Jinja2 release compile templates otherwise, this only stops saving time.
    """

    @classmethod
    def from_code(
        cls,
        environment: Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = _escape
        return template


class _Environment(Environment):
    """Looks up ``page.field`` in a page's data (plain dicts) before trying attributes.

    Jinja2 tries an attribute first and an item second; every page is built from dicts,
    and the failed attribute lookups were a third of the time spent rendering.
    """

    template_class = _Template

    def getattr(self, obj: object, attribute: str) -> object:
        if obj.__class__ is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


@cache
def environment(publisher_url: str | None) -> Environment:
    """The templates, with autoescaping on for every one of them; compiled once per
    process and publisher (a worker renders many batches of dispute pages)."""
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.globals["publisher_url"] = publisher_url
    # tojson: the tool's JSON encoder (orjson), which Jinja2 then makes safe in a script
    env.policies["json.dumps_function"] = _json_for_script
    env.policies["json.dumps_kwargs"] = {}
    return env


def _json_for_script(payload: object) -> str:
    """The JSON ``tojson`` writes (a page's ClaimReview): ``text.json_text``, compact and
    encoded by orjson, four times faster than the standard library's. Jinja2 escapes
    ``<``, ``>``, ``&`` and ``'`` in it afterwards, so no text can end the script block."""
    return json_text(payload)


@cache
def templates_digest() -> str:
    """The tool's version and the bytes of every template and stylesheet, and of this
    module, which renders them (the cache's digest of the tool's code leaves the
    reporters out). Read once per process: each worker's batches ask for it again."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted([*TEMPLATES.iterdir(), *STATIC.iterdir(), Path(__file__)]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


SITE_CACHE = "site"
"""The name of the cache of rendered dispute pages: ``site.pack``."""


def site_extra(settings: Settings) -> Extra:
    """Pass to ``validate(..., extra=...)``: each worker renders the pages of the disputes
    it checks (``rendered_dispute``), and the cache keeps them with the findings."""
    return Extra(
        SITE_CACHE, rendered_dispute, partial(_made_with, renderer_key(settings)), records=True
    )


def renderer_key(settings: Settings) -> str:
    """What a dispute page depends on besides the claim file and what its findings
    depend on: the templates (and the tool's version) and the publisher."""
    text = repr((templates_digest(), settings.publisher, settings.site_url))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _made_with(key: str, derived: object) -> bool:
    """Whether a cached dispute part was rendered as this run would render it."""
    part = derived[0] if isinstance(derived, tuple) and derived else None
    return isinstance(part, DisputePart) and part.made_with == key


class _DisputeRenderer:
    """Renders the pages of the disputes of one archive (a worker's batch of claim files)."""

    def __init__(self, archive: Archive) -> None:
        settings = archive.workspace.settings
        self.archive = archive
        self.builder = SiteBuilder(archive, settings)
        self.template = environment(publisher_url(settings)).get_template("dispute.html")
        self.key = renderer_key(settings)

    def part(self, dispute: Dispute) -> tuple[DisputePart, bytes]:
        page, gathered = self.builder.dispute_page(dispute)
        html = self.template.render(page.context).encode("utf-8")
        return DisputePart(dispute.path, page.path, page_digest(html), gathered, self.key), html


_RENDERER: _DisputeRenderer | None = None


def rendered_dispute(archive: Archive, dispute: Dispute) -> tuple[DisputePart, bytes]:
    """What a dispute's page gathers, and its HTML (``site_extra``'s ``derive``, which the
    run keeps as a record); the disputes of a batch share one renderer."""
    global _RENDERER
    if _RENDERER is None or _RENDERER.archive is not archive:
        _RENDERER = _DisputeRenderer(archive)
    return _RENDERER.part(dispute)


def publisher_url(settings: Settings) -> str | None:
    return settings.publisher.url if settings.publisher else None


def build_site(
    builder: SiteBuilder, parts: Sequence[SitePart], writer: SiteWriter, workers: int = 1
) -> SiteWrite:
    """Write the dispute pages that changed, build and write the other pages that changed,
    and remove the pages the site no longer has.

    The dispute pages come rendered (``site_extra``): those the validation examined were
    written as they arrived (``SiteWriter.arrived``); the others' HTML is read from the
    run's records as each is written, and a page whose record is gone is rendered again
    if it must be written. What they gathered is joined in order for the index, document
    and party pages. With ``workers`` > 1 and many disputes, the pages to render are built
    and rendered in forked workers while this process writes the dispute pages.
    """
    if writer.failure is not None:
        raise writer.failure
    for part, _ in parts:
        builder.gathered.join(part.gathered)
    writer.withdraw(writer.early - {part.path for part, _ in parts})
    if len(parts) < parallel_threshold():
        workers = 1
    makers = builder.finish()
    finished = len(makers)  # the makers after these are of pages known to need writing
    claim_files = {item.path: item for item in builder.archive.claim_files}
    read = builder.archive.read_record
    ready: list[tuple[DisputePart, object]] = []
    for part, ref in parts:
        if part.path not in writer.early and writer.changed(part.path, part.digest):
            if ref is not None and read is not None:
                ready.append((part, ref))
            else:
                makers.append(partial(builder.page_again, claim_files[part.file]))
    rendered = _start_rendering(makers, writer.env, workers)
    for part, ref in ready:
        html = read(ref) if read is not None else None
        if html is None:  # the record file let us down: render the page here
            html = render(builder.page_again(claim_files[part.file]), writer.env)
        writer.write(part.path, html)
    for index, (path, html) in enumerate(rendered()):
        if index >= finished or writer.changed(path, page_digest(html)):
            writer.write(path, html)
    output = writer.output
    for name in STATIC_FILES:
        data = (STATIC / name).read_bytes()
        target = output / name
        if not target.is_file() or target.read_bytes() != data:
            replace_quickly(target, data)
    removed = 0
    for path in stale(writer.previous, writer.digests):
        if _PAGE_PATH.fullmatch(path):
            with contextlib.suppress(FileNotFoundError):
                (output / path).unlink()
                removed += 1
    writer.save_manifest(writer.digests)
    return SiteWrite(output, writer.written, writer.unchanged, removed)


class SiteWriter:
    """Writes the pages of a site into its output directory: each page whose digest
    differs from the last build's (kept in the directory's manifest), or whose file is
    gone.

    It is opened before the validation, so that each dispute page can be written as soon
    as the worker that rendered it sends it back (``arrived``): creating ten thousand files
    then overlaps checking the claim files instead of following it. Used as a context, it
    leaves a manifest true to the files should the build stop part-way (a page that cannot
    be written, an interruption): the last build's digests, and those of the pages written
    since, so that the next build neither keeps a page it should rewrite nor forgets one.
    """

    def __init__(self, output: Path, settings: Settings) -> None:
        """Make the output's directories (an ``OSError`` if it cannot be written) and read
        the last build's manifest."""
        output.mkdir(parents=True, exist_ok=True)
        for directory in ("disputes", "documents", "parties"):
            (output / directory).mkdir(exist_ok=True)
        self.output = output
        self.settings = settings
        self.salt = templates_digest()
        self.previous = _read_manifest(output, self.salt)
        self.digests: dict[str, str] = {}
        """Every page of this build, by path: its digest."""
        self.fresh: dict[str, str] = {}
        """The pages this build has written, by path: their digests."""
        self.early: set[str] = set()
        """The dispute pages decided as they arrived (written, or found unchanged)."""
        self.failure: OSError | None = None
        """Why writing a page as it arrived failed: ``build_site`` raises it."""
        self.env = environment(publisher_url(settings))

    @property
    def written(self) -> int:
        return len(self.fresh)

    @property
    def unchanged(self) -> int:
        return len(self.digests) - len(self.fresh)

    def __enter__(self) -> SiteWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and self.fresh:  # stopped part-way: say what is on disk
            with contextlib.suppress(OSError):
                self.save_manifest(self.previous | self.fresh)

    def save_manifest(self, digests: Mapping[str, str]) -> None:
        """Write the manifest: each page's digest, and the templates' (the ``salt``)."""
        text = json.dumps({**digests, "": self.salt}, sort_keys=True, indent=0)
        replace_quickly(self.output / MANIFEST, text.encode("utf-8"))

    def arrived(self, path: str, findings: list[Finding], derived: object) -> bool:
        """A dispute's page, back from the worker that checked its claim file and rendered
        it (an ``engine.incremental.Arrival``): written now if the file has no error (the
        site leaves such files out) and the page changed; the run is then done with its
        HTML (as it is with the page of a file with an error). A failure to write is kept
        for ``build_site`` to report, so the validation goes on undisturbed."""
        part, html = cast(tuple[DisputePart, bytes | None], derived)
        if self.failure is not None or html is None:
            return False
        if self._has_error(findings):
            return True  # the site leaves the file out: its page is not needed
        try:
            if self.changed(part.path, part.digest):
                self.write(part.path, html)
        except OSError as error:
            self.failure = error
            return False
        self.early.add(part.path)
        return True

    def _has_error(self, findings: list[Finding]) -> bool:
        """Whether any finding is an error once the workspace's settings have decided."""
        settings = self.settings
        return RunResult(decide(findings, settings.ignore, settings.severity)).errors > 0

    def withdraw(self, paths: Iterable[str]) -> None:
        """Take back pages written as they arrived that the site leaves out after all (the
        whole run's findings hold an error at their file): a page the last build had is
        removed as stale, a new one here."""
        for path in paths:
            self.early.discard(path)
            self.digests.pop(path, None)
            if self.fresh.pop(path, None) is not None and path not in self.previous:
                with contextlib.suppress(FileNotFoundError):
                    (self.output / path).unlink()

    def changed(self, path: str, digest: str) -> bool:
        """Record a page's digest; whether it must be written (else it stays unchanged)."""
        self.digests[path] = digest
        return needs_writing(path, digest, self.previous, (self.output / path).is_file)

    def write(self, path: str, html: bytes) -> None:
        """Write a page whose digest ``changed`` has recorded."""
        replace_quickly(self.output / path, html)
        self.fresh[path] = self.digests[path]


def render(page: Page, env: Environment) -> bytes:
    return env.get_template(page.template).render(page.context).encode("utf-8")


def _render(make: Callable[[], Page], env: Environment) -> tuple[str, bytes]:
    """Build a page and render it: its path and HTML."""
    page = make()
    return page.path, render(page, env)


_FINISHING: tuple[list[Callable[[], Page]], Environment] | None = None


def _start_rendering(
    makers: list[Callable[[], Page]], env: Environment, workers: int
) -> Callable[[], list[tuple[str, bytes]]]:
    """Start building and rendering pages, in ``workers`` forked processes when there is
    more than one; the function returned waits for them (path and HTML, in order).

    The workers are forked after the dispute pages' gatherings are joined, so they see
    them in memory, and send back only HTML. If the pool fails in any way, nothing of its
    work is kept and the pages are rendered in this process.
    """
    global _FINISHING

    def here() -> list[tuple[str, bytes]]:
        return [_render(make, env) for make in makers]

    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return here
    _FINISHING = (makers, env)
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        results = pool.map(_render_in_worker, range(len(makers)))
    except Exception:  # the pool could not start: this process renders them
        _FINISHING = None
        return here

    def wait() -> list[tuple[str, bytes]]:
        global _FINISHING
        try:
            return list(results)
        except Exception:  # a worker died: this process renders them all
            return here()
        finally:
            pool.shutdown()
            _FINISHING = None

    return wait


def _render_in_worker(index: int) -> tuple[str, bytes]:
    assert _FINISHING is not None
    makers, env = _FINISHING
    return _render(makers[index], env)


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
