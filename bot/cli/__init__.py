"""The `nhacviec` command line: one group, one module per feature."""

from __future__ import annotations

import gc
import importlib
import logging
import sys
import textwrap
from typing import Any, NoReturn

import click

from bot.base.errors import UserError
from bot.cli.context import CliContext
from bot.logs import configure_logging

# name -> (module holding `command`, the line `nhacviec --help` shows). A command's module, and what it needs
# (SQLAlchemy, openpyxl, matplotlib...), is imported only when that command runs or shows its own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "db": ("bot.cli.db_cmd", "Cơ sở dữ liệu: tạo mới hoặc nâng cấp lược đồ (database schema)."),
    "calendar": ("bot.cli.calendar_cmd", "Lịch kỳ báo cáo của một năm: quý, 6 tháng, năm, với hạn chót."),
    "units": ("bot.cli.units_cmd", "Đơn vị (sở, phòng, xã, ...): danh mục, tên gọi khác, nhóm; nhập và xuất tệp."),
    "sandbox": ("bot.cli.sandbox_cmd", "Máy chủ Telegram Bot API giả, chạy cục bộ (cho thử nghiệm)."),
    "invite": ("bot.cli.invite_cmd", "Tạo mã mời dùng một lần; người được mời gửi /start MÃ cho bot."),
    "run": ("bot.cli.run_cmd", "Chạy bot: long polling mặc định, webhook khi đặt WEBHOOK_URL."),
    "import": ("bot.cli.import_cmd", "Nhập kế hoạch từ tệp: xem trước (--dry-run) hoặc ghi vào cơ sở dữ liệu."),
    "plans": ("bot.cli.plans_cmd", "Kế hoạch đã nhập."),
    "tasks": ("bot.cli.tasks_cmd", "Nhiệm vụ đã nhập."),
    "summary": ("bot.cli.summary_cmd", "Báo cáo tổng hợp một kỳ: đơn vị đã/chưa báo cáo, quá hạn, vướng mắc."),
    "explain": ("bot.cli.explain_cmd", "Giải thích cách bot hiểu nội dung người dùng viết (thời hạn, ...)."),
    "nudges": ("bot.cli.nudges_cmd", "Nhắc việc: xem lịch nhắc, gửi các tin đến hạn, xem hàng đợi."),
    "request": ("bot.cli.request_cmd", "Tạo yêu cầu báo cáo đột xuất cho các đơn vị chủ trì."),
    "web": ("bot.cli.web_cmd", "Trang web: tiến độ theo đơn vị, nhiệm vụ, quá hạn, tệp tổng hợp; đường dẫn đăng nhập."),
    "demo": ("bot.cli.demo_cmd", "Chạy thử trọn một kỳ báo cáo trong hộp cát, không cần token."),
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when it is used (click's documented lazy-loading pattern).

    `lazy` maps a name to (module holding `command`, the line the group's help shows); commands added the usual
    way (`@group.command`, `add_command`) sit beside them. `shorten` cuts the lazy lines to the width the way
    click cuts the others' ("..."), for a group whose list mixes both; otherwise they are shown whole.
    """

    def __init__(
        self, *args: Any, lazy: dict[str, tuple[str, str]] | None = None, shorten: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self.shorten = shorten

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        command = importlib.import_module(self.lazy[cmd_name][0]).command
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)
        rows = []
        for name in names:
            if name not in self.lazy:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
                continue
            line = self.lazy[name][1]
            if self.shorten and len(line) > limit:
                line = textwrap.shorten(line, max(limit, 3), placeholder="...", break_on_hyphens=False)
            rows.append((name, line))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(package_name="nhacviec")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """nhacviec: nhắc việc và tổng hợp báo cáo định kỳ cho cơ quan nhà nước.

    Reminders and progress reports for Vietnamese government offices.
    """
    obj = ctx.ensure_object(CliContext)
    ctx.call_on_close(obj.close)


def _is_database_error(exc: BaseException) -> bool:
    """SQLAlchemy's errors, recognised without importing SQLAlchemy for commands that never touch the database."""
    return any(c.__name__ == "SQLAlchemyError" and c.__module__ == "sqlalchemy.exc" for c in type(exc).__mro__)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; known problems print one clear line and exit non-zero, never a traceback."""
    configure_logging()
    try:
        cli.main(args=argv, prog_name="nhacviec", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Đã huỷ.", err=True)
        return 1
    except UserError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        logging.getLogger("nhacviec").debug("database error", exc_info=True)
        click.echo(f"Lỗi cơ sở dữ liệu: {exc.__class__.__name__}. Không có gì được ghi.", err=True)
        return 1
    return 0


def entry() -> NoReturn:
    """The `nhacviec` console script: main(), then the process ends without a last pass of the cyclic garbage
    collector over everything still alive (the modules, and what a command left in cycles: a workbook's cells),
    which the interpreter makes on exit and which frees nothing the end of the process does not (0.2-0.3 s
    after a province-scale `nhacviec summary --format xlsx`). Exit handlers still run; what is in cycles is not
    finalized (every command closes its files and its database before it returns)."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
