"""Hostile plan files (issue 20, finding 2): bounded while reading, refused with a message, nothing written.

Speed and memory are measured in bench/bench_bombs.py; these tests assert behaviour only.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document

from bot.base.errors import UserError
from bot.devtools.hostile import MB, continuation_document, continuation_sheet, paragraph_bomb
from bot.importer.extract import extract
from bot.importer.limits import Budget, CountingReader, Limits, TooComplex
from bot.importer.parse import load_document, parse_plan
from bot.importer.worker import PlanParser


def test_continuation_join_of_100k_rows_keeps_every_line_once() -> None:
    items = extract(continuation_document(100_000)).items
    assert len(items) == 1
    lines = (items[0].product or "").split("\n")
    assert lines[0] == "Báo cáo" and lines[1] == "Sản phẩm 0" and lines[-1] == "Sản phẩm 99999"
    assert len(lines) == 100_001


@pytest.fixture(scope="module")
def paragraphs_200mb() -> bytes:
    return paragraph_bomb(200 * MB)


def test_docx_unpacking_to_200_mb_of_paragraphs_is_refused_naming_the_bound(paragraphs_200mb: bytes) -> None:
    assert len(paragraphs_200mb) < MB  # small on disk: the upload limit does not catch it
    with pytest.raises(TooComplex) as refused:
        parse_plan(paragraphs_200mb, "kehoach.docx", plan_year=2026)
    message = str(refused.value)
    assert re.match(r"Tệp quá lớn hoặc quá phức tạp \(phần «word/document\.xml» giải nén ra 200,\d MB, "
                    r"giới hạn 32,0 MB\)\. ", message)
    assert "tách kế hoạch" in message and "phụ lục" in message  # what to do next


def test_a_part_whose_header_understates_its_size_is_refused() -> None:
    """zipfile stops at the declared size; whatever the reader, the file is refused, never read whole."""
    honest = paragraph_bomb(8 * MB)
    archive = zipfile.ZipFile(io.BytesIO(honest))
    info = archive.getinfo("word/document.xml")
    lying = bytearray(honest)
    central = honest.index(b"PK\x01\x02")  # the central directory: zipfile believes its sizes
    while honest[central + 46: central + 46 + len(info.filename)] != info.filename.encode():
        central = honest.index(b"PK\x01\x02", central + 4)
    lying[central + 24: central + 28] = (1024).to_bytes(4, "little")  # "1 KB unpacked"
    with pytest.raises(UserError, match=r"Không mở được tệp Word|quá lớn"):
        parse_plan(bytes(lying), "kehoach.docx", plan_year=2026)


def test_bytes_are_counted_while_streaming_whatever_the_header_says() -> None:
    budget = Budget(Limits(part_bytes=MB))
    stream = CountingReader(io.BytesIO(b"x" * (2 * MB)), "word/document.xml", budget)
    with pytest.raises(TooComplex, match=r"phần «word/document.xml» giải nén ra hơn 1,\d MB, giới hạn 1,0 MB"):
        while stream.read(1 << 16):
            pass
    assert stream.total <= MB + (1 << 16)  # stopped at the bound, not at the end


def test_sheet_of_one_task_and_60k_continuation_rows_is_refused_on_rows() -> None:
    with pytest.raises(TooComplex, match=r"^Tệp quá lớn hoặc quá phức tạp \(hơn 50\.000 hàng trong các bảng\)"):
        parse_plan(continuation_sheet(60_000), "kehoach.xlsx", plan_year=2026)


def test_too_many_elements_cells_and_text_are_each_refused() -> None:
    data = paragraph_bomb(2 * MB)
    with pytest.raises(TooComplex, match=r"hơn 1\.000 phần tử XML"):
        parse_plan(data, "kehoach.docx", plan_year=2026, limits=Limits(elements=1_000))
    with pytest.raises(TooComplex, match=r"hơn 10\.000 ký tự văn bản"):
        parse_plan(data, "kehoach.docx", plan_year=2026, limits=Limits(text_chars=10_000))
    with pytest.raises(TooComplex, match=r"hơn 20 ô trong các bảng"):
        parse_plan(continuation_sheet(10), "kehoach.xlsx", plan_year=2026, limits=Limits(cells=20))
    rows = "\n".join(["KẾ HOẠCH năm 2026", "TT\tNhiệm vụ\tCơ quan chủ trì", "1\tViệc\tSở Tài chính",
                      *("\tthêm\t" for _ in range(200))])
    with pytest.raises(TooComplex, match=r"hơn 100 hàng"):
        parse_plan(rows.encode(), "kehoach.txt", limits=Limits(rows=100))


def test_entities_are_not_expanded() -> None:
    """Billion laughs: entities are never expanded (a part that needs them is refused as broken, at once)."""
    base = io.BytesIO()
    Document().save(base)
    lol = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "lollollollollollollollollollol">'
           + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
           + ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           '<w:p><w:r><w:t>KẾ HOẠCH năm 2026 &i;</w:t></w:r></w:p></w:body></w:document>')
    data = _replace_part(base.getvalue(), "word/document.xml", lol.encode())
    with pytest.raises(UserError, match=r"Không mở được tệp Word \(\.docx\): tệp hỏng"):
        load_document(data, "kehoach.docx")


def _replace_part(package: bytes, part: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == part else src.read(info.filename))
    return out.getvalue()


def test_the_worker_refuses_a_file_that_needs_more_memory_than_its_ceiling() -> None:
    """The ceiling is the worker's address space: a MemoryError there is a refusal, never a crash."""
    parser = PlanParser(memory_mb=64)  # below what a Python process with the readers loaded already maps
    with pytest.raises(TooComplex, match=r"^Tệp quá lớn hoặc quá phức tạp \(cần hơn 64 MB bộ nhớ để đọc\)\. Hãy"):
        parser.parse(continuation_sheet(20_000), "kehoach.xlsx", plan_year=2026)
    assert len(PlanParser().parse(continuation_sheet(2_000), "kehoach.xlsx", plan_year=2026).items) == 1
