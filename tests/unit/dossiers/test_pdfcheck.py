"""Upload safety: inspect_pdf accepts sound PDFs within the limits and names every other problem."""

from __future__ import annotations

import pymupdf
import pytest

from meetings.pdf.check import UnacceptablePdf, inspect_pdf
from tests.pdfs import (
    A4,
    make_corrupt_pdf,
    make_encrypted_pdf,
    make_pdf,
    make_png,
    make_truncated_pdf,
    page_sizes_of,
)

LIMITS = {"max_pages": 5, "max_side_pt": 14400}


def inspect(tmp_path, data: bytes, **limits):
    path = tmp_path / "upload.part"
    path.write_bytes(data)
    return inspect_pdf(path, size=len(data), **{**LIMITS, **limits})


def refusal(tmp_path, data: bytes, **limits) -> UnacceptablePdf:
    with pytest.raises(UnacceptablePdf) as caught:
        inspect(tmp_path, data, **limits)
    return caught.value


def test_a_sound_pdf_reports_its_page_count_and_sizes(tmp_path):
    pdf = make_pdf(sizes=[A4, (842, 595), (1190.55, 1683.78)])

    facts = inspect(tmp_path, pdf)

    assert facts.page_count == 3
    assert facts.page_sizes == page_sizes_of(pdf)


@pytest.mark.parametrize(
    ("make", "status", "code"),
    [
        (lambda: b"", 422, "empty_file"),
        (make_png, 415, "not_pdf"),
        (lambda: "Biên bản".encode(), 415, "not_pdf"),
        (make_truncated_pdf, 422, "truncated_pdf"),
        (make_corrupt_pdf, 422, "corrupt_pdf"),
        (make_encrypted_pdf, 422, "encrypted_pdf"),
    ],
    ids=["empty", "png", "text", "truncated", "corrupt", "encrypted"],
)
def test_each_kind_of_bad_file_is_named(tmp_path, make, status, code):
    problem = refusal(tmp_path, make())

    assert (problem.status, problem.code) == (status, code)
    assert str(problem.message)


def test_a_pdf_at_the_page_limit_passes_and_one_more_page_does_not(tmp_path):
    assert inspect(tmp_path, make_pdf(pages=5)).page_count == 5

    problem = refusal(tmp_path, make_pdf(pages=6))

    assert problem.code == "too_many_pages"
    assert "6" in str(problem.message) and "5" in str(problem.message)


@pytest.mark.parametrize("size", [(1000, 500), (500, 1000)], ids=["wide", "tall"])
def test_a_page_side_at_the_bound_passes_and_beyond_it_does_not(tmp_path, size):
    assert inspect(tmp_path, make_pdf(size=size), max_side_pt=1000).page_count == 1

    over = (size[0] + 1, size[1]) if size[0] > size[1] else (size[0], size[1] + 1)
    assert refusal(tmp_path, make_pdf(size=over), max_side_pt=1000).code == "page_size_out_of_bounds"


def test_a_20000_pt_page_is_beyond_the_default_bound(tmp_path):
    with pymupdf.open(stream=make_pdf(size=(20000, 600)), filetype="pdf") as doc:
        assert doc[0].rect.width == 20000  # PyMuPDF does not clamp it, so the bound itself is tested

    assert refusal(tmp_path, make_pdf(size=(20000, 600))).code == "page_size_out_of_bounds"


def test_the_page_at_fault_is_named(tmp_path):
    problem = refusal(tmp_path, make_pdf(sizes=[A4, A4, (3000, 600)]), max_side_pt=2000)

    assert "3" in str(problem.message)


def test_trailing_bytes_after_the_end_marker_are_tolerated(tmp_path):
    pdf = make_pdf() + b"\r\n\x00" * 100

    assert inspect(tmp_path, pdf).page_count == 1


def test_a_pdf_header_late_in_the_first_kilobyte_is_still_a_pdf(tmp_path):
    pdf = b" " * 200 + make_pdf()

    assert inspect(tmp_path, pdf).page_count == 1
