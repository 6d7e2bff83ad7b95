"""Reading a plan file in a worker process, with a time limit and a memory ceiling.

The bounds of `limits.py` keep a well-formed file in check; the worker is the backstop for whatever they do
not foresee (a PDF whose one page takes minutes, a library's own blow-up): the parse runs in a child
process started from a fork server (modules loaded once, nothing of the bot's threads or sockets inherited),
its address space capped (`memory_mb`, a MemoryError there is a refusal, never a swapping server), killed
when it runs past `seconds`. The caller's thread only waits on a pipe: the event loop and every other chat
keep going, and at most `workers` files are read at once (the next one waits its turn).

    parser = PlanParser(seconds=60)
    plan = parser.parse(data, "kehoach.docx", plan_year=2026)    # ParsedPlan, or UserError / TooComplex
"""

from __future__ import annotations

import asyncio
import io
import logging
import multiprocessing
import resource
import threading
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from bot.base.errors import UserError
from bot.importer.items import ParsedPlan
from bot.importer.limits import DEFAULT_LIMITS, Budget, Limits, TooComplex
from bot.importer.parse import DEFAULT_MAX_BYTES, parse_plan

log = logging.getLogger(__name__)
PRELOAD = ["bot.importer.parse", "bot.readers.timeframe", "bot.readers.regime"]
_context_lock = threading.Lock()
_context: Any = None


def _fork_server() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            _context = context
        return _context


def _child(conn: Connection, data: bytes, filename: str, options: dict[str, Any], memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    answer: tuple[str, Any]
    try:
        answer = ("ok", parse_plan(data, filename, **options))
    except TooComplex as exc:
        answer = ("too_complex", str(exc))
    except UserError as exc:
        answer = ("refused", str(exc))
    except MemoryError:
        answer = ("memory", "")
    except Exception as exc:  # a reader bug: the parent logs it and answers with a message
        answer = ("error", f"{exc.__class__.__name__}: {exc}"[:300])
    try:
        conn.send((*answer, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))  # peak RSS, KiB
    finally:
        conn.close()


class PlanParser:
    """Parses plan files in worker processes: `seconds` at most each, `memory_mb` of address space, `workers`
    at once."""

    def __init__(self, *, seconds: float = 60.0, memory_mb: int = 1024, workers: int = 2,
                 limits: Limits = DEFAULT_LIMITS) -> None:
        self.seconds, self.memory_mb, self.limits = seconds, memory_mb, limits
        self._slots = threading.BoundedSemaphore(workers)
        self.last_peak_mb = 0.0  # the peak resident memory of the last worker (for the log and the bench)
        # its own threads, only waiting on the children: queued files never take the database's threads
        self._waiters = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="plan-parser")

    def warm(self) -> None:
        """Start the fork server now (it loads the readers once, a few seconds), not on the first upload."""
        from multiprocessing import forkserver

        _fork_server()
        try:
            forkserver.ensure_running()
        except OSError as exc:  # the first upload tries again, and says so if it cannot
            log.warning("could not start the plan reader's fork server: %s", exc)

    async def parse_async(self, data: bytes, filename: str, **options: Any) -> ParsedPlan:
        """`parse` from the event loop: the loop goes on answering other chats meanwhile."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._waiters, lambda: self.parse(data, filename, **options))

    def parse(self, data: bytes, filename: str, *, plan_year: int | None = None,
              max_bytes: int = DEFAULT_MAX_BYTES, protected_names: Iterable[str] = ()) -> ParsedPlan:
        options = {"plan_year": plan_year, "max_bytes": max_bytes, "protected_names": list(protected_names),
                   "limits": self.limits}
        self._check_declared(data)
        with self._slots:
            context = _fork_server()
            receive, send = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(send, data, filename, options, self.memory_mb << 20),
                                      daemon=True)
            process.start()
            send.close()
            try:
                answer = receive.recv() if receive.poll(self.seconds) else None
            except EOFError:  # the child died without a word (killed by the system)
                answer = ("memory", "", 0)
            finally:
                receive.close()
                if process.is_alive():
                    process.kill()
                process.join()
        if answer is None:
            raise TooComplex(f"đọc quá {self.seconds:g} giây chưa xong".replace(".", ","))
        kind, value, peak_kb = answer
        self.last_peak_mb = peak_kb / 1024
        log.info("read %s in a worker: %s, peak %.0f MiB", filename, kind, self.last_peak_mb)
        if kind == "ok":
            return value  # type: ignore[no-any-return]
        if kind == "too_complex":
            raise TooComplex("", message=value)
        if kind == "refused":
            raise UserError(value)
        if kind == "memory":
            raise TooComplex(f"cần hơn {self.memory_mb} MB bộ nhớ để đọc")
        log.error("plan reader failed on %s: %s", filename, value)
        raise UserError("Bộ đọc kế hoạch gặp lỗi với tệp này. Hãy lưu lại tệp (Word .docx hoặc Excel .xlsx) "
                        "rồi gửi lại; nếu vẫn lỗi, gửi bản văn bản (.txt).")


    def _check_declared(self, data: bytes) -> None:
        """A zip whose declared sizes are over the bounds is refused here, at once, without taking a worker (the
        reader checks them again, and counts the bytes it really unpacks)."""
        if not data.startswith(b"PK\x03\x04"):
            return
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                Budget(self.limits).check_declared(archive)
        except (zipfile.BadZipFile, ValueError, EOFError):
            return  # broken: the reader says so, in its own words


def parse_guarded(data: bytes, filename: str, *, plan_year: int | None = None,
                  parser: PlanParser | None = None) -> ParsedPlan:
    """One file through a `PlanParser` (the bench's entry point)."""
    return (parser or PlanParser()).parse(data, filename, plan_year=plan_year)
