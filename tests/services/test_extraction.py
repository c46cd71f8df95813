"""Reading uploaded documents: the small real files of tests/files/."""

from __future__ import annotations

from pathlib import Path

import pytest

from proposals import errors, extraction

FILES = Path(__file__).resolve().parent.parent / "files"


def read(name: str, **kwargs) -> str:
    return extraction.extract(name=name, content=(FILES / name).read_bytes(), **kwargs).text


def test_a_pdf_gives_its_text_layer():
    text = read("report-with-text.pdf")
    assert text.startswith("Coast guards of Taiwan and Japan hold a joint exercise\n")
    assert "joint humanitarian assistance and disaster relief exercise off Keelung today." in text
    assert text.rstrip().endswith("Both sides agreed to hold the exercise every year.")


def test_a_pdf_of_images_only_needs_ocr():
    with pytest.raises(errors.NeedsOCR) as refused:
        read("scanned-image-only.pdf")
    assert "OCR" in refused.value.message
    assert refused.value.field == "file"


def test_an_html_page_gives_the_article_without_navigation_scripts_or_footer():
    text = read("article-with-navigation.html")
    assert "held their first joint humanitarian assistance and disaster relief exercise" in text
    assert "Both sides agreed to hold the exercise every year" in text
    for left_out in (
        "NAVIGATION-SCRIPT-SHOULD-NOT-APPEAR",
        "SCRIPT-OUTPUT-SHOULD-NOT-APPEAR",
        "Politics menu item",
        "Subscribe today",
        "Footer text",
        "font-family",
    ):
        assert left_out not in text


def test_the_html_fallback_drops_scripts_and_navigation_too():
    page = (FILES / "article-with-navigation.html").read_bytes()
    text = extraction._html_fallback(page)
    assert "held their first joint" in text
    assert "NAVIGATION-SCRIPT-SHOULD-NOT-APPEAR" not in text
    assert "Politics menu item" not in text


def test_a_latin1_text_file_is_detected_and_decoded():
    text = read("communique-latin1.txt")
    assert text == (
        "Communiqué de presse\n"
        "La garde côtière a présenté un rapport détaillé à Genève.\n"
        "Über die Übung wurde später in Zürich berichtet.\n"
    )


def test_a_declared_charset_is_used():
    content = "Der Bericht über Zürich".encode("iso8859_15")
    text = extraction.extract(
        name="bericht.txt", content=content, content_type="text/plain; charset=ISO-8859-15"
    ).text
    assert text == "Der Bericht über Zürich"


def test_a_wrong_declared_charset_is_refused():
    with pytest.raises(errors.UnreadableFile):
        extraction.extract(
            name="x.txt", content=b"\xff\xfe\xfd", content_type="text/plain; charset=ascii"
        )


def test_text_is_normalised_to_nfc_and_line_feeds():
    decomposed = "Cafe\u0301 au lait\r\nnext line\rlast".encode()
    assert extraction.extract(name="note.txt", content=decomposed).text == (
        "Caf\u00e9 au lait\nnext line\nlast"
    )


@pytest.mark.parametrize(
    "name", ["picture.png", "document.docx", "no-extension", "archive.pdf.zip"]
)
def test_other_file_types_are_refused(name):
    with pytest.raises(errors.UnsupportedFileType) as refused:
        extraction.extract(name=name, content=b"whatever")
    assert ".txt, .html or .pdf" in refused.value.message


def test_a_file_that_is_not_a_pdf_is_unreadable():
    with pytest.raises(errors.UnreadableFile):
        extraction.extract(name="broken.pdf", content=b"%PDF-1.4 this is not a PDF at all")


def test_a_binary_file_named_txt_is_unreadable():
    with pytest.raises(errors.UnreadableFile):
        extraction.extract(name="binary.txt", content=b"\x00\x01\x02binary")


def test_an_empty_text_file_is_empty():
    with pytest.raises(errors.EmptyText):
        extraction.extract(name="empty.txt", content=b"  \n\n ")
