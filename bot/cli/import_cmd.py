"""`nhacviec import FILE`: read a plan (.docx, .xlsx, .csv, .txt), preview it, and save it in one transaction."""

from __future__ import annotations

from pathlib import Path

import click
from sqlmodel import Session

from bot.base.errors import UserError
from bot.cli.context import CliContext, echo_json, pass_cli
from bot.importer.items import without_items
from bot.importer.service import ImportPreview, commit_import, preview_import, preview_parsed


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plan-year", type=int, help="Năm của kế hoạch (mặc định: đọc từ văn bản).")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì (preview only).")
@click.option("--json", "as_json", is_flag=True, help="In ra JSON.")
@click.option("--create-units", is_flag=True, help="Đăng ký luôn các đơn vị chưa có (thay vì từ chối).")
@click.option("--skip", "skip", multiple=True, metavar="MÃ",
              help="Bỏ mục có mã này (xem mã ở bản xem trước --dry-run); lặp lại được, hoặc 'MÃ1,MÃ2'.")
@pass_cli
def command(ctx: CliContext, file: Path, plan_year: int | None, dry_run: bool, as_json: bool,
            create_units: bool, skip: tuple[str, ...]) -> None:
    """Nhập kế hoạch từ tệp: xem trước (--dry-run) hoặc ghi vào cơ sở dữ liệu.

    Import a plan document; re-importing the same plan updates it without duplicating tasks.
    """
    data = read_file(file, ctx.settings.max_upload_mb)
    limit = ctx.settings.max_upload_mb * 1024 * 1024

    def run(*, session: Session) -> None:
        preview = preview_import(data, file.name, plan_year=plan_year, session=session, max_bytes=limit)
        if skip:
            preview = _skipped(preview, skip, session=session)
        if dry_run:
            _show_preview(preview, as_json=as_json, create_units=create_units)
            return
        result = commit_import(preview, session=session, now=ctx.now(), create_units=create_units)
        if as_json:
            echo_json({**preview.to_json(), "result": result.to_json()})
        else:
            click.echo(preview.summary_vi())
            click.echo("")
            click.echo(result.summary_vi())

    ctx.database().call(run)


def _skipped(preview: ImportPreview, skip: tuple[str, ...], *, session: Session) -> ImportPreview:
    codes = [code for value in skip for code in value.replace(";", ",").split(",")]
    plan, left_out, unknown = without_items(preview.plan, codes)
    if unknown:
        name = preview.plan.source_name or "TỆP"
        raise UserError(f"Tệp không có mục mã {', '.join(unknown)}. Xem mã các mục bằng "
                        f"nhacviec import {name} --dry-run rồi chạy lại với --skip đúng mã.")
    fresh = preview_parsed(plan, session=session)
    fresh.warnings.append(f"Đã bỏ theo yêu cầu (--skip) {len(left_out)} mục: {', '.join(left_out)}.")
    return fresh


def read_file(file: Path, max_mb: int) -> bytes:
    try:
        size = file.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise UserError(f"Tệp «{file.name}» quá lớn ({size / 1024 / 1024:.1f} MB); giới hạn là {max_mb} MB.")
        return file.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp «{file}» (file not found).") from None
    except OSError as exc:
        raise UserError(f"Không đọc được tệp «{file}»: {exc.strerror or exc.__class__.__name__}.") from None


def _show_preview(preview: ImportPreview, *, as_json: bool, create_units: bool) -> None:
    if as_json:
        echo_json(preview.to_json())
        return
    click.echo(preview.summary_vi())
    click.echo("")
    if preview.unknown_leads:
        click.echo("Mọi nhiệm vụ đều được nhập; tên đơn vị chưa có trong danh mục được giữ nguyên trên nhiệm vụ và "
                   "tự gán khi danh mục có tên đó (nhacviec units import DANH_MUC.csv, units alias)"
                   + ("" if create_units else " — hoặc nhập với --create-units") + ".")
    click.echo("Xem trước xong, chưa ghi gì. Chạy lại không có --dry-run để nhập"
               " (bỏ mục đọc sai bằng --skip MÃ).")
