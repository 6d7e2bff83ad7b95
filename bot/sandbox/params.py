"""Bot API parameters as Telegram reads them: strings from a query or form, or native JSON values.

Objects and arrays may arrive as JSON text (python-telegram-bot sends them so in form bodies);
`attach://name` points at an uploaded multipart part.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bot.sandbox.errors import bad_request


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}
_INT = re.compile(r"^[+-]?\d+$")


class Params:
    """Typed access to one request's parameters; missing or malformed ones raise Telegram's 400s."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile] | None = None) -> None:
        self._values = values
        self._files = files or {}

    def has(self, name: str) -> bool:
        return name in self._values or name in self._files

    def raw(self, name: str) -> Any:
        return self._values.get(name)

    def str(self, name: str, *, required: bool = False) -> str | None:
        value = self._values.get(name)
        if value is None:
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, (dict, list)):
            raise bad_request(f"field \"{name}\" must be of type String")
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def int(self, name: str, *, required: bool = False, default: int | None = None) -> int | None:
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT.match(value.strip()):
            return int(value.strip())
        raise bad_request(f"invalid {name} specified")

    def float(self, name: str, *, default: float | None = None) -> float | None:
        value = self._values.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: str, *, default: bool = False) -> bool:
        value = self._values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return bool(value)
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad_request(f"invalid {name} specified")

    def json(self, name: str, *, error: str | None = None) -> Any:
        """An object or array, given natively or as JSON text; `error` replaces the default 400 reason."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, (dict, list)):
            return value
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                pass
        raise bad_request(error or f"can't parse {name} JSON object")

    def chat_id(self, name: str = "chat_id", *, required: bool = True) -> int | str | None:
        """An integer id or an "@username"."""
        value = self._values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, str) and value.startswith("@"):
            return value
        return self.int(name)

    def file(self, name: str) -> UploadedFile | str | None:
        """An uploaded part, or the string given (a file_id or URL); `attach://x` resolves to part x."""
        if name in self._files:
            return self._files[name]
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.startswith("attach://"):
            part = self._files.get(value.removeprefix("attach://"))
            if part is None:
                raise bad_request(f"can't find attached file \"{value.removeprefix('attach://')}\"")
            return part
        if not isinstance(value, str):
            raise bad_request(f"invalid {name} specified")
        return value
