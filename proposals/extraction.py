"""
Reading the text of an uploaded document: plain text, an HTML page or a PDF's text layer.

The result is the text a source stores, normalised once (anchoring.normalise_text). What cannot
be read becomes a domain error that says what to do: a wrong file type, a file that does not
decode or parse, a PDF whose pages are images only (it needs OCR first), or no text at all.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import PurePath

from proposals import anchoring, errors

logger = logging.getLogger(__name__)

# File name endings and the reader each takes.
FILE_KINDS = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
ACCEPTED_EXTENSIONS = (".txt", ".html", ".pdf")

# C0 control characters but tab and line feed: artefacts of extraction (a PDF's form feeds,
# stray escapes), never words. Carriage returns are line ends, handled by normalise_text.
_EXTRACTION_ARTEFACTS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CHARSET = re.compile(r"charset\s*=\s*\"?([-\w.:]+)", re.IGNORECASE)
# Elements whose text never belongs to an article (the fallback reader drops them).
_NOT_CONTENT = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside")


@dataclass(frozen=True)
class Extracted:
    """The normalised text of a document, and how it was read."""

    text: str
    kind: str


def kind_of(name: str) -> str:
    """Return the reader for a file name ("text", "html" or "pdf"), or raise UnsupportedFileType."""
    kind = FILE_KINDS.get(PurePath(name).suffix.lower())
    if kind is None:
        raise errors.UnsupportedFileType(name)
    return kind


def _declared_charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def decode_text(name: str, content: bytes, content_type: str | None = None) -> str:
    """Decode a plain-text file: UTF-8, else the declared charset, else a detected one."""
    if b"\x00" in content:
        raise errors.UnreadableFile(name, "it holds NUL bytes, so it is not a text file.")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(content_type)
    if declared:
        try:
            return content.decode(declared)
        except (LookupError, UnicodeDecodeError):
            raise errors.UnreadableFile(
                name, f"it does not decode as the declared charset {declared!r}."
            ) from None
    return _detected(name, content)


# Among encodings that read a file equally well, the most common legacy ones of Western
# documents first: a short French or German text reads as well in Central European cp1250,
# which would turn its è into č.
_PREFERRED_LEGACY = ("cp1252", "latin_1", "iso8859_15")


def _detected(name: str, content: bytes) -> str:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(content))
    if not matches:
        raise errors.UnreadableFile(
            name, "its encoding could not be recognised; save it as UTF-8 and upload it again."
        )
    best = matches[0]
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    for encoding in _PREFERRED_LEGACY:
        for match in tied:
            if match.encoding == encoding:
                return str(match)
    return str(best)


def _html_fallback(content: bytes) -> str:
    """The page's text without scripts, styles and navigation, read with lxml alone."""
    import lxml.html

    root = lxml.html.document_fromstring(content)
    for element in root.iter(*_NOT_CONTENT):
        element.drop_tree()
    body = root.find("body")
    return (body if body is not None else root).text_content()


def html_text(name: str, content: bytes) -> str:
    """The article's main text (trafilatura), falling back to the page's text (lxml)."""
    import trafilatura
    from lxml.etree import LxmlError, ParserError

    try:
        text = trafilatura.extract(
            content, include_comments=False, include_tables=True, favor_precision=True
        )
        if not text or not text.strip():
            text = _html_fallback(content)
    except (LxmlError, ParserError, ValueError) as exc:
        raise errors.UnreadableFile(name, "it is not an HTML page that can be parsed.") from exc
    return text


def pdf_text(name: str, content: bytes) -> str:
    """The text layer of every page, pages separated by a blank line; NeedsOCR if there is none."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise errors.UnreadableFile(name, "it is encrypted; upload a copy without a password.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except errors.DomainError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        logger.info("Unreadable PDF %r: %s", name, exc)
        raise errors.UnreadableFile(name, "it is not a PDF that can be parsed.") from exc
    if not pages:
        raise errors.UnreadableFile(name, "it has no pages.")
    text = "\n\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise errors.NeedsOCR(name)
    return text


def extract(*, name: str, content: bytes, content_type: str | None = None) -> Extracted:
    """Read the text of an uploaded file, normalised as a source stores it."""
    kind = kind_of(name)
    if kind == "pdf":
        raw = pdf_text(name, content)
    elif kind == "html":
        raw = html_text(name, content)
    else:
        raw = decode_text(name, content, content_type)
    text = anchoring.normalise_text(_EXTRACTION_ARTEFACTS.sub("", raw))
    if not text.strip():
        raise errors.EmptyText("file")
    return Extracted(text=text, kind=kind)
