"""Bounds on what a plan file may unpack to, checked while it is read (never after it has all been read).

A 700 KB .docx can unpack to 200 MB of paragraphs, and a 5 MB .xlsx to a million rows: each reader counts
what it reads against `Limits` and stops at the first bound crossed with `TooComplex`, naming the bound and
the figure. Zip archives are checked twice: the sizes their headers declare (`ZipInfo.file_size`, before
anything is unpacked), and the bytes actually unpacked while streaming (headers can lie).

The defaults keep a worker under ~300 MB resident for any file up to the upload limit (bench/bench_bombs.py)
and are far above real plans (the largest seen: a 2,000-row appendix, a 4 MB document.xml).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO

from bot.base.errors import UserError

MB = 1024 * 1024
NEXT_STEP = ("Hãy tách kế hoạch thành nhiều tệp nhỏ hơn, hoặc chỉ gửi phần phụ lục danh sách nhiệm vụ "
             "(bỏ hình ảnh, bảng biểu không cần thiết) rồi gửi lại.")


@dataclass(frozen=True)
class Limits:
    part_bytes: int = 32 * MB  # one part of a .docx/.xlsx once unpacked (document.xml, a sheet, shared strings)
    archive_bytes: int = 128 * MB  # every part together, once unpacked
    elements: int = 2_000_000  # XML elements in the parts read
    rows: int = 50_000  # table rows (every table, every sheet)
    cells: int = 500_000  # table cells
    text_chars: int = 5_000_000  # characters of text (about 2,500 pages)
    pages: int = 1_000  # PDF pages


DEFAULT_LIMITS = Limits()


class TooComplex(UserError):
    """A plan file over one of its bounds: what bound, the figure, and what to do instead."""

    def __init__(self, what: str, *, message: str | None = None) -> None:
        super().__init__(message or f"Tệp quá lớn hoặc quá phức tạp ({what}). {NEXT_STEP}")


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB".replace(",", "_").replace(".", ",").replace("_", ".")  # 1.024,0 MB


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Budget:
    """What has been read so far, against the limits; every reader of one file shares one budget."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.unpacked = 0
        self.elements = 0
        self.rows = 0
        self.cells = 0
        self.chars = 0

    def add_unpacked(self, part: str, part_total: int, size: int) -> None:
        self.unpacked += size
        if part_total > self.limits.part_bytes:
            raise TooComplex(f"phần «{part}» giải nén ra hơn {_mb(part_total)}, giới hạn {_mb(self.limits.part_bytes)}")
        if self.unpacked > self.limits.archive_bytes:
            raise TooComplex(f"giải nén ra hơn {_mb(self.unpacked)}, giới hạn {_mb(self.limits.archive_bytes)}")

    def add_elements(self, n: int = 1) -> None:
        self.elements += n
        if self.elements > self.limits.elements:
            raise TooComplex(f"hơn {_count(self.limits.elements)} phần tử XML")

    def add_row(self, cells: int) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > self.limits.rows:
            raise TooComplex(f"hơn {_count(self.limits.rows)} hàng trong các bảng")
        if self.cells > self.limits.cells:
            raise TooComplex(f"hơn {_count(self.limits.cells)} ô trong các bảng")

    def add_text(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.text_chars:
            raise TooComplex(f"hơn {_count(self.limits.text_chars)} ký tự văn bản")

    def check_declared(self, archive: zipfile.ZipFile) -> None:
        """The sizes the archive declares, before anything is unpacked."""
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.file_size > self.limits.part_bytes:
                raise TooComplex(f"phần «{info.filename}» giải nén ra {_mb(info.file_size)}, "
                                 f"giới hạn {_mb(self.limits.part_bytes)}")
        if total > self.limits.archive_bytes:
            raise TooComplex(f"giải nén ra {_mb(total)}, giới hạn {_mb(self.limits.archive_bytes)}")


class CountingReader(io.RawIOBase):
    """A zip member as a stream, counting the bytes actually unpacked against the budget as they come."""

    def __init__(self, stream: IO[bytes], part: str, budget: Budget) -> None:
        self.stream, self.part, self.budget, self.total = stream, part, budget, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.stream.read(min(len(buffer), 1 << 16))
        self.total += len(data)
        self.budget.add_unpacked(self.part, self.total, len(data))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(1 << 16 if size is None or size < 0 else min(size, 1 << 16))
        self.total += len(data)
        self.budget.add_unpacked(self.part, self.total, len(data))
        return data


def open_part(archive: zipfile.ZipFile, name: str, budget: Budget) -> CountingReader:
    return CountingReader(archive.open(name), name, budget)


def unpack_all(archive: zipfile.ZipFile, budget: Budget) -> None:
    """Unpack every part once, discarding it, to count what it really holds (for readers that open the
    archive themselves, such as openpyxl): a part whose header lies is caught here, before it is parsed."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        with open_part(archive, info.filename, budget) as stream:
            while stream.read(1 << 16):
                pass
