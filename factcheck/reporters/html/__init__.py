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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

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


def environment() -> Environment:
    """The templates, with autoescaping on for every one of them."""
    env = Environment(
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


def write_site(pages: Sequence[Page], output: Path, publisher_url: str | None) -> SiteWrite:
    """Render and write the pages that changed; remove the pages the site no longer has."""
    output.mkdir(parents=True, exist_ok=True)
    salt = templates_digest()
    previous = _read_manifest(output, salt)
    todo = plan(pages, previous, lambda path: (output / path).is_file())
    env = environment()
    env.globals["publisher_url"] = publisher_url
    for directory in ("disputes", "documents", "parties"):
        (output / directory).mkdir(exist_ok=True)
    templates = {}
    for page in todo.write:
        template = templates.get(page.template)
        if template is None:
            template = templates[page.template] = env.get_template(page.template)
        replace_file(output / page.path, template.render(page.context).encode("utf-8"))
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
