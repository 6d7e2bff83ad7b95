"""Communes, wards and special zones of a province, from the `vietnam-provinces` package.

Why that package: it is maintained (releases through 2025 and 2026), it carries the two-level structure in
force since 1 July 2025 (34 provinces and cities, 3,321 communes, wards and special zones, with the General
Statistics Office's codes), it ships the data inside the wheel (nothing fetched at run time), and it has a
small public API (`Province.iter_all`, `Ward.iter_by_province`). Its licence is GPL-3.0 while nhacviec is MIT,
so it is an optional extra (`pip install 'nhacviec[communes]'`), imported only by the commands that use it.
Its 2026 releases need Python 3.12; on 3.11 pip takes 2025.10.1, whose data (2025-10-18) has the same 3,321
units; names are compared folded and with spaces collapsed, so either release gives the same units.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from rapidfuzz import fuzz, process

from bot.base.errors import UserError
from bot.base.text import fold
from bot.datasets.offer import OfferedUnit

COMMUNE_GROUP = "UBND cấp xã"
INSTALL_HINT = "pip install 'nhacviec[communes]'"
_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")


@dataclass(frozen=True)
class Province:
    name: str  # "Sơn La", "Thành phố Hà Nội"
    code: int
    city: bool  # a centrally-run city ("thành phố trung ương")

    @property
    def short(self) -> str:
        """The name without "Tỉnh"/"Thành phố": "Sơn La", "Hà Nội"."""
        return strip_prefix(self.name)

    @property
    def title(self) -> str:
        """ "tỉnh Sơn La", "thành phố Hà Nội"."""
        return f"{'thành phố' if self.city else 'tỉnh'} {self.short}"


@dataclass(frozen=True)
class Commune:
    name: str  # as the dataset writes it: "Xã Mường Bú"
    kind: str  # xã | phường | đặc khu
    code: int

    @property
    def unit_name(self) -> str:
        """ "UBND xã Mường Bú": the name plans use for the commune's People's Committee."""
        return f"UBND {self.kind} {_own_name(self.name, self.kind)}"

    def offered(self) -> OfferedUnit:
        bare = f"{self.kind.capitalize()} {_own_name(self.name, self.kind)}"
        return OfferedUnit(name=self.unit_name, kind=self.kind, aliases=(bare,), groups=(COMMUNE_GROUP,))


def _package() -> ModuleType:
    try:
        import vietnam_provinces
    except ImportError:
        raise UserError("Chưa cài dữ liệu đơn vị hành chính (gói vietnam-provinces). Cài bằng: "
                        f"{INSTALL_HINT}, rồi chạy lại lệnh.") from None
    return vietnam_provinces


def source() -> str:
    package = _package()
    return f"vietnam-provinces {package.__version__} (dữ liệu ngày {package.__data_version__})"


def provinces() -> list[Province]:
    package = _package()
    return [Province(name=" ".join(p.name.split()), code=int(p.code),
                     city=str(p.division_type.value) == "thành phố trung ương")
            for p in package.Province.iter_all()]


def find_province(name: str) -> Province:
    """A province by its name, with or without "tỉnh"/"thành phố", diacritics or case."""
    wanted = strip_prefix(name)
    every = provinces()
    for province in every:
        if fold(province.short) == fold(wanted):
            return province
    keys = {fold(p.short): p.short for p in every}
    close = [keys[k] for k, _, _ in process.extract(fold(wanted), list(keys), scorer=fuzz.ratio, limit=3,
                                                     score_cutoff=85)]
    hint = f" Có phải: {', '.join(close)}?" if close else ""
    raise UserError(f"Không có tỉnh, thành phố «{name}» trong {len(every)} tỉnh, thành phố từ 01/7/2025.{hint} "
                    "Tỉnh đã sáp nhập thì dùng tên tỉnh mới. Các tên hợp lệ: "
                    + ", ".join(sorted((p.short for p in every), key=fold)))


def communes(province: Province) -> list[Commune]:
    package = _package()
    found = [Commune(name=" ".join(w.name.split()), kind=str(w.division_type.value), code=int(w.code))
             for w in package.Ward.iter_by_province(package.ProvinceCode(province.code))]
    return sorted(found, key=lambda c: c.code)


def strip_prefix(name: str) -> str:
    name = " ".join(name.split())
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return name[len(prefix):].strip()
    return name


def _own_name(name: str, kind: str) -> str:
    """ "Xã Mường Bú" -> "Mường Bú" (the dataset writes "Xã", "xã", "Phường", "Đặc khu")."""
    if fold(name).startswith(fold(kind) + " "):
        return name[len(kind):].strip()
    return name
