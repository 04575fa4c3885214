"""Web pages and PDF statements as archived text: what ``add-source`` keeps of them.

Quotes are matched against text, but a desk's documents are web pages and PDFs. The
original is archived as it is (with its own sha256) and its readable text beside it; the
text is what quotes are matched against. Reading either well is a hard problem that
maintained libraries solve better than hand-written code: trafilatura finds a page's
article among its menus and footers and reads the metadata the page declares (meta tags,
JSON-LD, its title), and pypdf reads a PDF's text and its document information. Both come
with the ``documents`` extra; without it, add-source says what to install.

Metadata is only ever what the document itself declares, never guessed: a value the
document does not declare stays empty, and every value found is reported for the desk to
check.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.workspace.root import WorkspaceError

INSTALL = "python3 -m pip install 'trafilatura>=1.12' lxml_html_clean 'pypdf>=4.0'"
"""What the ``documents`` extra installs, as a line that works whatever the checkout."""

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


class _Unreadable(Exception):
    """A document the library could not read."""


@dataclass(frozen=True)
class Readable:
    """A page's or PDF's readable text, and the metadata it declares, by source field."""

    kind: str
    text: str
    declared: dict[str, str] = field(default_factory=dict)


def kind_of(path: Path, data: bytes) -> str:
    """``html``, ``pdf`` or ``text``: by the bytes first, then by the file name."""
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        return "pdf"
    if path.suffix.lower() in HTML_SUFFIXES or _HTML_START.match(data[:4096]):
        return "html"
    return "text"


def readable(kind: str, data: bytes, display: str) -> Readable:
    """The readable text of an HTML page or a PDF, with what it declares about itself."""
    reader = _read_html if kind == "html" else _read_pdf
    try:
        result = reader(data)
    except _Unreadable as error:
        raise WorkspaceError(f"{display}: {error}; archive a text copy instead") from None
    except ImportError as error:
        raise WorkspaceError(
            f"{display}: reading {kind.upper()} needs the 'documents' extra "
            f"({error.name or 'a library'} is missing); install it with: {INSTALL}"
        ) from None
    if not result.text.strip():
        raise WorkspaceError(
            f"{display}: no readable text found in this {kind.upper()} (a scan or an empty "
            "page?); archive a text copy of the document instead"
        )
    return result


def _read_html(data: bytes) -> Readable:
    import trafilatura  # the documents extra

    # from the bytes, so that trafilatura honours the page's declared encoding; a tree per
    # call, because extracting the article prunes the tree it is given
    tree = trafilatura.load_html(data)
    if tree is None:
        raise _Unreadable("not a readable HTML page")
    text = trafilatura.extract(tree, include_comments=False, include_tables=True) or ""
    found = trafilatura.extract_metadata(trafilatura.load_html(data), extensive=False)
    declared = {
        "title": found.title,
        "author": found.author,
        "publisher": found.sitename,
        "published": found.date,
        "url": found.url,
    }
    return Readable("html", text + "\n" if text else "", _present(declared))


def _read_pdf(data: bytes) -> Readable:
    from pypdf import PdfReader  # the documents extra
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the desk's
    declared: dict[str, str | None] = {}
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
        if info is not None:
            created = info.creation_date if "/CreationDate" in info else None
            declared = {
                "title": info.title,
                "author": info.author,
                "published": created.date().isoformat() if created else None,
            }
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise _Unreadable(f"not a readable PDF ({' '.join(str(error).split())})") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    return Readable("pdf", text + "\n" if text else "", _present(declared))


def _present(values: dict[str, str | None]) -> dict[str, str]:
    """The declared values that say something, each on one line."""
    return {
        key: " ".join(str(value).split())
        for key, value in values.items()
        if value is not None and str(value).strip()
    }
