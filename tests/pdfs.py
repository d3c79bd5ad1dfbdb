"""PDFs made in memory with PyMuPDF: sound ones in Vietnamese, and every kind a secretary should
never get through (encrypted, truncated, corrupt, not a PDF at all)."""

from __future__ import annotations

import secrets

import pymupdf

#: ISO 216 A4 in PDF points
A4 = (pymupdf.paper_rect("a4").width, pymupdf.paper_rect("a4").height)
#: what a council's documents say; every Vietnamese diacritic family appears in it
VIETNAMESE = "Dự toán ngân sách địa phương năm 2027 — Hội đồng nhân dân quận thảo luận, biểu quyết."


def make_pdf(
    pages: int = 1,
    size: tuple[float, float] = A4,
    text: str = VIETNAMESE,
    sizes: list[tuple[float, float]] | None = None,
) -> bytes:
    """A sound PDF of pages pages (or one page per entry of sizes), each with text in Noto Sans."""
    font = pymupdf.Font("notos")
    doc = pymupdf.open()
    for number, (width, height) in enumerate(sizes or [size] * pages, start=1):
        page = doc.new_page(width=width, height=height)
        writer = pymupdf.TextWriter(page.rect)
        writer.append((36, 48), f"{text} ({number})", font=font, fontsize=11)
        writer.write_text(page)
    doc.subset_fonts()
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


def make_encrypted_pdf(user_pw: str = "mật-khẩu", owner_pw: str = "chủ-sở-hữu") -> bytes:
    """A PDF that needs a password to open."""
    doc = pymupdf.open(stream=make_pdf(), filetype="pdf")
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=user_pw, owner_pw=owner_pw)
    doc.close()
    return data


def make_truncated_pdf(pages: int = 3) -> bytes:
    """The first half of a sound PDF, as an interrupted download leaves it."""
    data = make_pdf(pages=pages)
    return data[: len(data) // 2]


def make_corrupt_pdf() -> bytes:
    """A PDF header, then garbage, then an end-of-file marker: looks like a PDF, is not one."""
    return b"%PDF-1.7\n" + secrets.token_bytes(4096) + b"\n%%EOF\n"


def make_png() -> bytes:
    """A small PNG image (what a phone's camera app shares)."""
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 8, 8), False)
    pixmap.clear_with(200)
    return pixmap.tobytes("png")


def make_pdf_of_size(size_bytes: int) -> bytes:
    """A sound one-page PDF padded with an incompressible attachment to size_bytes, or a few bytes more."""
    padding = size_bytes
    for _ in range(5):
        doc = pymupdf.open(stream=make_pdf(), filetype="pdf")
        doc.embfile_add("phụ-lục.bin", secrets.token_bytes(max(padding, 1)), filename="phu-luc.bin")
        data = doc.tobytes()
        doc.close()
        if size_bytes <= len(data) <= size_bytes + 64:
            return data
        padding -= len(data) - size_bytes
    raise AssertionError(f"could not make a PDF of {size_bytes} bytes (last: {len(data)})")


def page_sizes_of(data: bytes) -> list[list[float]]:
    """Each page's [width, height] in points, as PyMuPDF reads the file."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [[round(page.rect.width, 2), round(page.rect.height, 2)] for page in doc]


def text_of(path: object) -> str:
    """The text layer of every page of the PDF at path."""
    with pymupdf.open(path) as doc:
        return "\n".join(page.get_text() for page in doc)
