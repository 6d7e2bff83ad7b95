"""The `nhacviec` command line: one group, one module per feature."""

from __future__ import annotations

import logging
import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from bot.cli import (
    calendar_cmd,
    db_cmd,
    demo_cmd,
    explain_cmd,
    import_cmd,
    invite_cmd,
    nudges_cmd,
    plans_cmd,
    request_cmd,
    run_cmd,
    sandbox_cmd,
    summary_cmd,
    tasks_cmd,
    units_cmd,
)
from bot.cli.context import CliContext
from bot.errors import UserError
from bot.logs import configure_logging


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="nhacviec")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """nhacviec: nhắc việc và tổng hợp báo cáo định kỳ cho cơ quan nhà nước.

    Reminders and progress reports for Vietnamese government offices.
    """
    obj = ctx.ensure_object(CliContext)
    ctx.call_on_close(obj.close)


for _module in (db_cmd, calendar_cmd, units_cmd, sandbox_cmd, invite_cmd, run_cmd, import_cmd, plans_cmd, tasks_cmd,
                summary_cmd, explain_cmd, nudges_cmd, request_cmd, demo_cmd):
    cli.add_command(_module.command)


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
    except SQLAlchemyError as exc:
        logging.getLogger("nhacviec").debug("database error", exc_info=True)
        click.echo(f"Lỗi cơ sở dữ liệu: {exc.__class__.__name__}. Không có gì được ghi.", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
