"""Reading a rendered page as a reader of its language sees it."""

from __future__ import annotations

import re
from html.parser import HTMLParser

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Texts(HTMLParser):
    """Collect the text nodes of a page that are in the page's own language.

    An element marked with another `lang` (a quote, a source's title, a note in English) or with
    `translate="no"` (a proper name, an alias) is content in its own language, not interface.
    """

    def __init__(self, *, skip_ids: tuple[str, ...] = ()) -> None:
        super().__init__(convert_charrefs=True)
        self.page_language = ""
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.skip_ids = skip_ids

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.page_language = values.get("lang") or ""
            return
        skipped = bool(self.stack and self.stack[-1][1])
        language = values.get("lang")
        if (
            tag in ("script", "style")
            or (language is not None and language != self.page_language)
            or values.get("translate") == "no"
            or any((values.get("id") or "").startswith(prefix) for prefix in self.skip_ids)
        ):
            skipped = True
        for name in ("title", "aria-label", "placeholder", "alt"):
            if values.get(name) and not skipped:
                self.texts.append(values[name] or "")
        if tag in VOID:
            return
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][1]:
            return
        text = " ".join(data.split())
        if text:
            self.texts.append(text)


def interface_texts(html: str, *, skip_ids: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """Return the page's language and its text in that language (attributes included)."""
    parser = _Texts(skip_ids=skip_ids)
    parser.feed(html)
    return parser.page_language, parser.texts


def untranslated(english_html: str, other_html: str, **options) -> list[str]:
    """Texts of `other_html` with Latin words that read exactly as on the English page."""
    _, english = interface_texts(english_html, **options)
    _, other = interface_texts(other_html, **options)
    english_texts = set(english)
    return sorted({text for text in other if LATIN_WORD.search(text) and text in english_texts})
