# ruff: noqa: E501 (the HTML page keeps its long lines, as pages do)
"""Write the small test documents of this folder (run: python tests/files/make_files.py).

The PDFs are written by hand, object by object, so that no PDF library is needed to make them:
one with a text layer (Helvetica text), one whose only page is an image (no text layer at all).
"""

from __future__ import annotations

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

REPORT_LINES = [
    "Coast guards of Taiwan and Japan hold a joint exercise",
    "Keelung, 18 July 2023. The coast guards of Taiwan and Japan held their first",
    "joint humanitarian assistance and disaster relief exercise off Keelung today.",
    "Officials said the drill tested search and rescue at sea.",
    "Both sides agreed to hold the exercise every year.",
]


def _pdf(objects: list[bytes]) -> bytes:
    """Assemble numbered objects (1 is the catalog) into a PDF with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _stream(data: bytes, extra: str = "") -> bytes:
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def text_pdf() -> bytes:
    lines = []
    y = 760
    for line in REPORT_LINES:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        lines.append(f"BT /F1 11 Tf 56 {y} Td ({escaped}) Tj ET")
        y -= 18
    content = "\n".join(lines).encode("latin-1")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ]
    )


def image_pdf() -> bytes:
    """A page that is a picture of text: stripes of grey, and no text operator at all."""
    width, height = 64, 32
    pixels = bytes((255 if (row // 4) % 2 else 40) for row in range(height) for _ in range(width))
    image = zlib.compress(pixels)
    content = b"q 480 0 0 240 66 500 cm /Im1 Do Q"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
            _stream(content),
            _stream(
                image,
                f" /Type /XObject /Subtype /Image /Width {width} /Height {height} "
                "/ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode",
            ),
        ]
    )


ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Coast guards hold joint HADR exercise | Harbour News</title>
<style>body { font-family: serif; } .promo { color: red; }</style>
<script>window.trackingId = "NAVIGATION-SCRIPT-SHOULD-NOT-APPEAR";</script>
</head>
<body>
<header><a href="/">Harbour News</a> <span>Subscribe today</span></header>
<nav><ul><li><a href="/politics">Politics menu item</a></li><li><a href="/sport">Sport menu item</a></li></ul></nav>
<main>
<article>
<h1>Coast guards hold joint HADR exercise</h1>
<p class="byline">By Mei Lin, 18 July 2023</p>
<p>The coast guards of Taiwan and Japan held their first joint humanitarian assistance and disaster relief exercise off Keelung on Tuesday, officials said.</p>
<p>The drill tested search and rescue at sea, with two patrol vessels and a helicopter from each side taking part in the exercise.</p>
<p>Both sides agreed to hold the exercise every year, and officials described the drill as a step towards closer cooperation between Taiwan and Japan at sea.</p>
</article>
</main>
<aside class="promo">Read more: ten things to do in Keelung</aside>
<footer>Copyright Harbour News. All rights reserved. Footer text.</footer>
<script>document.write("SCRIPT-OUTPUT-SHOULD-NOT-APPEAR");</script>
</body>
</html>
"""

LATIN1_TEXT = (
    "Communiqué de presse\n"
    "La garde côtière a présenté un rapport détaillé à Genève.\n"
    "Über die Übung wurde später in Zürich berichtet.\n"
)


def main() -> None:
    (HERE / "report-with-text.pdf").write_bytes(text_pdf())
    (HERE / "scanned-image-only.pdf").write_bytes(image_pdf())
    (HERE / "article-with-navigation.html").write_text(ARTICLE_HTML, encoding="utf-8")
    (HERE / "communique-latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))


if __name__ == "__main__":
    main()
