"""PDF files through the importer: the text layer is read (pypdf), page numbers and signature stamps dropped."""

from __future__ import annotations

import pytest

from bot.base.errors import UserError
from bot.importer import parse_plan
from bot.importer.parse import load_document

pytest.importorskip("pypdf")


def _pdf(pages: list[list[str]]) -> bytes:
    """A minimal PDF with one Helvetica text line per entry (ASCII only: the standard font has no Vietnamese)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", ""]
    kids = []
    for lines in pages:
        ops = " ".join(f"1 0 0 1 50 {780 - 16 * i} Tm ({line}) Tj" for i, line in enumerate(lines))
        stream = f"BT /F1 11 Tf {ops} ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        content = len(objects)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content} 0 R "
                       "/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_text_layer_is_read_as_a_plan() -> None:
    pages = [["KE HOACH", "Don kho nam 2026", "", "1. Phong Noi vu", "- Kiem ke kho truoc ngay 31/3/2026.", "1"],
             ["2", "2. Phong Tai chinh", "- Mua ke moi truoc ngay 30/6/2026."]]
    doc = load_document(_pdf(pages), "kehoach.pdf")
    texts = [b.text for b in doc.blocks]
    assert texts[:2] == ["KE HOACH", "Don kho nam 2026"] and "1" not in texts and "2" not in texts  # page numbers
    assert "- Mua ke moi truoc ngay 30/6/2026." in texts
    with pytest.raises(UserError) as refused:
        parse_plan(_pdf(pages), "kehoach.pdf")
    # ASCII names are not Vietnamese unit words: the file was read (no PDF refusal), and found no duty
    assert "Không tìm thấy bảng nhiệm vụ" in str(refused.value)


def test_broken_pdf_is_a_clear_message() -> None:
    with pytest.raises(UserError, match="PDF"):
        parse_plan(b"%PDF-1.4\nnot really a pdf", "hong.pdf")
