"""Every Vietnamese text the bot shows, in one catalogue (handlers format nothing themselves)."""

from __future__ import annotations

from datetime import date, datetime

from bot.base.text import and_more

STATUS_LABELS = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "blocked": "Vướng mắc",
    "unknown": "Chưa rõ",
    "retracted": "Đã huỷ báo cáo",
}
STATUS_ICONS = {"done": "✅", "in_progress": "🔄", "not_started": "⏸", "blocked": "⚠️", "unknown": "❔"}
ROLE_LABELS = {"staff": "cán bộ", "head": "lãnh đạo đơn vị", "coordinator": "đầu mối tổng hợp", "admin": "quản trị"}

BUTTON_STATUS = [("done", "Hoàn thành"), ("in_progress", "Đang thực hiện"), ("not_started", "Chưa thực hiện"),
                 ("blocked", "Vướng mắc")]
BUTTON_UNDO = "↩️ Hoàn tác"
BUTTON_SKIP = "Bỏ qua ➡️"

COMMANDS = [
    ("help", "Hướng dẫn sử dụng"), ("huongdan", "Hướng dẫn sử dụng"),
    ("tasks", "Nhiệm vụ của đơn vị"), ("nhiemvu", "Nhiệm vụ của đơn vị"),
    ("report", "Báo cáo tiến độ kỳ này"), ("baocao", "Báo cáo tiến độ kỳ này"),
    ("summary", "Tổng hợp (đầu mối)"), ("tonghop", "Tổng hợp (đầu mối)"),
    ("invite", "Tạo mã mời (đầu mối, lãnh đạo)"), ("moi", "Tạo mã mời (đầu mối, lãnh đạo)"),
    ("unbind", "Gỡ nhóm khỏi đơn vị (lãnh đạo, đầu mối)"), ("gonhom", "Gỡ nhóm khỏi đơn vị (lãnh đạo, đầu mối)"),
    ("web", "Đường dẫn đăng nhập trang web"), ("trangweb", "Đường dẫn đăng nhập trang web"),
    ("check", "Kiểm tra ai chưa được nhắc (đầu mối)"), ("kiemtra", "Kiểm tra ai chưa được nhắc (đầu mối)"),
]

STRANGER = (
    "Xin chào! Đây là trợ lý nhắc việc và tổng hợp báo cáo định kỳ.\n"
    "Bạn chưa được đăng ký cho đơn vị nào. Hãy xin <b>mã mời</b> từ đầu mối tổng hợp (hoặc lãnh đạo đơn vị), "
    "rồi gửi: <code>/start MÃ_MỜI</code>"
)
NOT_MEMBER_OF_UNIT = "Bạn chưa được đăng ký cho đơn vị của nhiệm vụ này nên không thể báo cáo thay. Hãy xin mã mời."
GROUP_NOT_BOUND = ("Nhóm này chưa gắn với đơn vị nào. Lãnh đạo hoặc đầu mối hãy gửi <code>/start MÃ_MỜI</code> "
                   "trong nhóm để gắn nhóm với đơn vị.")
COORDINATOR_ONLY = ("Chỉ đầu mối tổng hợp và quản trị mới xem được tổng hợp. "
                    "Bạn có thể dùng /nhiemvu để xem việc của đơn vị.")
CHECK_COORDINATOR_ONLY = ("Chỉ đầu mối tổng hợp và quản trị mới dùng được /kiemtra (kiểm tra ai chưa được nhắc). "
                          "Bạn có thể dùng /nhiemvu để xem việc của đơn vị.")
SUMMARY_NOT_HERE = ("Để giữ kín số liệu của các đơn vị, tổng hợp chỉ gửi trong trò chuyện riêng với bot "
                    "hoặc trong nhóm của đầu mối tổng hợp.")
INVITE_NOT_ALLOWED = "Chỉ đầu mối tổng hợp, quản trị hoặc lãnh đạo đơn vị mới tạo được mã mời."
BUTTON_GONE = "Nút này không còn dùng được."
FLOOD = "Bạn thao tác hơi nhanh, vui lòng chờ ít giây rồi thử lại."
ERROR = "Xin lỗi, có lỗi khi xử lý. Thông tin của bạn chưa bị mất; vui lòng thử lại sau ít phút."
# Console messages of `nhacviec run` (for the IT staff who deploy it).
TOKEN_REJECTED = ("Bot API từ chối TELEGRAM_BOT_TOKEN: token sai hoặc đã bị thu hồi (lấy lại từ @BotFather), hoặc "
                  "TELEGRAM_API_BASE_URL sai (dạng đúng: https://máy-chủ/bot). Sửa trong .env rồi chạy lại.")
WEBHOOK_SECRET_MISSING = ("Đã đặt WEBHOOK_URL nhưng thiếu WEBHOOK_SECRET: bot không chạy webhook mà không có mã bí mật "
                          "(ai cũng gửi được cập nhật giả). Tạo một mã: python3 -c \"import secrets; "
                          "print(secrets.token_urlsafe(32))\", đặt WEBHOOK_SECRET=<mã đó> trong .env rồi chạy lại.")
BOT_API_UNREACHABLE = ("Chưa kết nối được Bot API (mạng hoặc TELEGRAM_API_BASE_URL?); thử lại sau {seconds:.0f} giây. "
                       "Ctrl+C để dừng.")
DATABASE_UNREACHABLE = ("{reason}. Bot chờ cơ sở dữ liệu sẵn sàng (kiểm tra máy chủ cơ sở dữ liệu hoặc DATABASE_URL); "
                        "thử lại sau {seconds:.0f} giây. Ctrl+C để dừng.")
NO_PLAN = "Chưa có kế hoạch nào được nhập. Đầu mối tổng hợp hãy gửi tệp kế hoạch (Word, Excel) cho bot."
NO_TASKS = "Đơn vị không còn nhiệm vụ nào cần báo cáo trong kỳ này. Cảm ơn!"
ALL_REPORTED = "Đơn vị đã báo cáo đủ các nhiệm vụ kỳ {period}. Cảm ơn! Gửi /nhiemvu để xem lại."
TASKS_FOOTER = "Gửi /baocao để báo cáo, hoặc <code>/baocao MÃ nội dung</code>, ví dụ <code>/baocao 3 xong</code>."
REPLY_NOT_TASK = "Tin bạn trả lời không gắn với nhiệm vụ nào. Hãy trả lời vào thẻ nhiệm vụ hoặc gửi /baocao."
PLAIN_TEXT_HINT = ("Để báo cáo, hãy <b>trả lời (reply)</b> vào thẻ nhiệm vụ hoặc tin nhắc của bot, hoặc gửi /baocao "
                   "để báo cáo từng nhiệm vụ. Gửi /nhiemvu để xem nhiệm vụ, /huongdan để xem hướng dẫn.")
IMPORT_HINT = ("Để nhập kế hoạch, gửi tệp kế hoạch (.docx, .xlsx, .pdf hoặc .txt) vào trò chuyện này; bot đọc, "
               "cho xem trước danh sách nhiệm vụ rồi mới lưu.")


def already_joined(unit: str, role: str) -> str:
    """A person who sends again the invite they joined with."""
    return (f"Bạn đã tham gia <b>{escape(unit)}</b> ({ROLE_LABELS.get(role, role)}) bằng mã mời này rồi; "
            "không cần gửi lại. Gửi /nhiemvu để xem nhiệm vụ, /baocao để báo cáo.")
UNDO_DONE = "Đã hoàn tác. Trạng thái hiện tại: {status}."
UNDO_TOO_LATE = "Báo cáo này đã được cập nhật sau đó nên không hoàn tác được nữa."
REPORT_CODE_UNKNOWN = "Không có nhiệm vụ mã «{code}» của đơn vị. Gửi /nhiemvu để xem mã nhiệm vụ."
BAD_PERIOD = ("Không hiểu kỳ «{text}». Ví dụ: /tonghop T11/2026, /tonghop tháng 11, /tonghop tuần 48, "
              "/tonghop tuần này, /tonghop Q2, /tonghop 6T (6 tháng), /tonghop 2026.")
PLAN_PERIODS = "Các kỳ của {plan}: {keys}."
UNIT_NOT_FOUND = "Không tìm thấy đơn vị «{text}». {hint}"


WELCOME_HINT = "Khi bot nhắc việc, bạn chỉ cần bấm nút hoặc trả lời ngắn vào tin nhắc"


def welcome(unit: str, role: str, group: bool) -> str:
    where = "Nhóm này đã được gắn với" if group else "Bạn đã được đăng ký là"
    who = f"{where} <b>{escape(unit)}</b>" + ("" if group else f" ({ROLE_LABELS.get(role, role)})")
    text = (f"{who}.\n\nGửi /nhiemvu để xem nhiệm vụ, /baocao để báo cáo tiến độ. "
            f"{WELCOME_HINT}, ví dụ: «hoàn thành», «đang làm 60%, dự kiến xong 20/6», «vướng: chưa có kinh phí».")
    if role in ("coordinator", "admin"):
        text += "\n\n" + IMPORT_HINT + " Gửi /tonghop để xem tổng hợp, /yeucau để yêu cầu báo cáo đột xuất."
    return text


HELP = (
    "<b>Hướng dẫn nhanh</b>\n"
    "• /nhiemvu (/tasks): nhiệm vụ của đơn vị, hạn và trạng thái mới nhất.\n"
    "• /baocao (/report): báo cáo từng nhiệm vụ bằng nút bấm. Có thể gõ nhanh: <code>/baocao 3 xong</code>.\n"
    "• Trả lời (reply) vào thẻ nhiệm vụ hoặc tin nhắc bằng câu ngắn, có dấu hay không dấu đều được:\n"
    "  «hoàn thành», «ht», «dang lam 50% du kien xong 20/6», «chưa triển khai do chưa có kinh phí», "
    "«vướng: chưa có hướng dẫn của Sở».\n"
    "• Sửa tin đã trả lời thì báo cáo được cập nhật; bấm «Hoàn tác» để huỷ.\n"
    "• /web (/trangweb): đường dẫn đăng nhập trang web (xem tiến độ, tải tệp trên máy tính).\n"
    "• Đầu mối: /tonghop (/summary) [kỳ] [đơn vị], ví dụ <code>/tonghop Q2 Phòng Kinh tế</code>, "
    "<code>/tonghop T11/2026</code>, <code>/tonghop tuần này</code>; "
    "/moi (/invite) [vai trò] [đơn vị] để tạo mã mời; /kiemtra (/check): ai chưa được nhắc, vì sao.\n"
    "• Gắn nhóm chat với đơn vị: lãnh đạo hoặc đầu mối gửi <code>/start MÃ_MỜI</code> trong nhóm (mã lãnh đạo); "
    "gỡ: /gonhom.\n"
    "• Đầu mối nhập kế hoạch: gửi tệp kế hoạch (.docx, .xlsx, .pdf hoặc .txt) vào trò chuyện riêng với bot; "
    "bot cho xem trước rồi mới lưu."
)


def check_lines(lines: list[str]) -> list[str]:
    """`plans check` lines for chat (/kiemtra): the headline in bold, every line escaped."""
    return [f"<b>{escape(lines[0])}</b>", *map(escape, lines[1:])]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def deadline_text(deadlines: list[str], recurrence: str) -> str:
    if deadlines:
        return ", ".join(fmt_date(date.fromisoformat(d)) for d in deadlines)
    return {"continuous": "Thường xuyên", "yearly": "Hằng năm", "quarterly": "Hằng quý",
            "monthly": "Hằng tháng", "half_yearly": "6 tháng", "weekly": "Hằng tuần"}.get(recurrence, "Không ghi hạn")


CARD_HINT = "<i>Bấm nút hoặc trả lời tin này bằng một câu ngắn.</i>"  # on a platform with buttons and replies


def task_card(*, code: str, title: str, deadlines: list[str], recurrence: str, period_label: str,
              status: str | None, product: str | None = None) -> str:
    lines = [f"📌 <b>Nhiệm vụ {escape(code)}</b> — kỳ {escape(period_label)}", escape(title)]
    if product:
        lines.append(f"Sản phẩm: {escape(product)}")
    lines.append(f"Hạn: {deadline_text(deadlines, recurrence)}")
    lines.append("Trạng thái: " + (f"{STATUS_ICONS.get(status, '')} {STATUS_LABELS.get(status, status)}"
                                   if status else "chưa báo cáo"))
    lines.append(CARD_HINT)
    return "\n".join(lines)


def task_list_line(*, code: str, title: str, deadlines: list[str], recurrence: str, status: str | None,
                   role: str, overdue: str | None = None) -> str:
    mark = f"{STATUS_ICONS.get(status, '')} {STATUS_LABELS.get(status, status)}" if status else "— chưa báo cáo"
    if overdue:
        mark += f" · ⚠️ <b>{escape(overdue)}</b>"
    support = " (phối hợp)" if role == "support" else ""
    short = title if len(title) <= 160 else title[:157] + "..."
    return f"<b>{escape(code)}</b>{support}. {escape(short)}\n   Hạn: {deadline_text(deadlines, recurrence)} · {mark}"


def tasks_header(unit: str, plan: str, period_label: str, count: int) -> str:
    return f"<b>{escape(unit)}</b> — {escape(plan)}\nKỳ báo cáo: {escape(period_label)} · {count} nhiệm vụ"


def recorded(*, code: str, understood: str, late: bool) -> str:
    tail = " (ghi nhận sau hạn)" if late else ""
    return f"Đã ghi nhiệm vụ {escape(code)}: {escape(understood.rstrip('. '))}{tail}."


def ask_back(code: str, reason: str | None) -> str:
    why = f" ({escape(reason)})" if reason else ""
    return (f"Chưa rõ tình trạng nhiệm vụ {escape(code)}{why}. Bạn chọn giúp một trạng thái, "
            "hoặc trả lời lại rõ hơn, ví dụ «đang làm 50%».")


def ask_note(status: str) -> str:
    if status == "blocked":
        return "Trả lời tin này để nói rõ vướng mắc (ví dụ: «chưa có kinh phí»)."
    return "Có thể trả lời tin này để thêm ghi chú ngắn (không bắt buộc)."


def invite_created(*, code: str, unit: str, role: str, link: str | None, expires: str) -> str:
    lines = [f"Mã mời cho <b>{escape(unit)}</b> ({ROLE_LABELS.get(role, role)}): <code>{escape(code)}</code>",
             f"Hết hạn: {expires}. Chỉ dùng một lần.",
             f"Người được mời gửi cho bot: <code>/start {escape(code)}</code>"]
    if link:
        lines.append(f"Hoặc bấm: {link}")
    return "\n".join(lines)


INVITE_HEAD_OWN_STAFF = "Lãnh đạo đơn vị chỉ tạo được mã mời cán bộ cho đơn vị mình: gửi /moi"
INVITE_ADMIN_ONLY = "Chỉ quản trị mới tạo được mã mời quản trị. Mời vai trò khác: /moi cán bộ Phòng Kinh tế"
INVITE_NO_OWN_UNIT = ("Bạn chưa thuộc đơn vị nào, nên hãy ghi tên đơn vị được mời, ví dụ: "
                      "<code>/moi cán bộ Phòng Kinh tế</code>.")
INVITE_USAGE = ("Cú pháp: <code>/moi [vai trò] [đơn vị]</code>; vai trò: cán bộ (staff), lãnh đạo (head), "
                "đầu mối tổng hợp (coordinator); đơn vị: tên đầy đủ hoặc tên viết tắt, ví dụ "
                "<code>/moi lãnh đạo Phòng TCHCQT</code>.")
BUTTON_STALE = "Nút này không còn dùng được."


def invite_unknown(*, written: str, suggested: int) -> str:
    if suggested:
        return (f"Không tìm thấy đơn vị «{escape(written)}». Có phải một trong các đơn vị dưới đây? "
                "Bấm để tạo mã mời, hoặc gửi lại lệnh với tên đúng.")
    return (f"Không tìm thấy đơn vị «{escape(written)}», cũng không có đơn vị nào tên gần giống. "
            f"Kiểm tra lại tên, hoặc nhờ quản trị đăng ký đơn vị (nhacviec units add \"Tên đơn vị\").\n{INVITE_USAGE}")


def invite_group(*, group: str, role: str, count: int, shown: int) -> str:
    if not count:
        return (f"«{escape(group)}» là một nhóm đơn vị nhưng chưa có đơn vị thành viên nào. "
                "Mã mời dành cho một đơn vị: gửi lại lệnh với tên một đơn vị, ví dụ "
                "<code>/moi cán bộ Phòng Kinh tế</code>.")
    more = and_more(count, shown, "đơn vị")
    return (f"«{escape(group)}» là một nhóm gồm {count} đơn vị; mã mời dành cho từng đơn vị. "
            f"Bấm một đơn vị để tạo mã mời {ROLE_LABELS.get(role, role)}"
            + (f" ({more}: gửi /moi với tên đơn vị đó)." if more else "."))


def did_you_mean(names: list[str]) -> str:
    return "Có phải: " + "; ".join(f"«{escape(n)}»" for n in names) + "?"


def invite_vague(written: str) -> str:
    return (f"«{escape(written)}» không chỉ một đơn vị cụ thể. Gửi lại lệnh với tên một đơn vị, ví dụ "
            "<code>/moi cán bộ Phòng Kinh tế</code>.")


# --- plan import in chat ------------------------------------------------------------------------------
BUTTON_IMPORT = "✅ Nhập kế hoạch"
BUTTON_IMPORT_CREATE = "✅ Nhập và đăng ký đơn vị mới"
BUTTON_CANCEL = "Huỷ"
BUTTON_IMPORT_LEAVE_OUT = "✂️ Bỏ bớt mục"
LEAVE_OUT_PRESS = f"bấm «{BUTTON_IMPORT_LEAVE_OUT}» hoặc "  # left out where there are no buttons (Zalo)
BUTTON_LEAVE_OUT_DONE = "↩️ Xong, về bản xem trước"
BUTTON_PAGE_BACK = "« Trước"
BUTTON_PAGE_NEXT = "Sau »"
IMPORT_COORDINATOR_ONLY = "Chỉ đầu mối tổng hợp và quản trị mới nhập được kế hoạch."
IMPORT_TOO_LARGE = "Tệp quá lớn (tối đa {mb} MB). Hãy gửi riêng phần phụ lục nhiệm vụ."
IMPORT_BEING_READ = ("Tệp này đang được đọc; bot sẽ gửi bản xem trước ngay khi đọc xong, không cần gửi lại.")
IMPORT_ALREADY_PREVIEWED = ("Tệp này đã có bản xem trước ở tin nhắn trước: bấm nút «✅ Nhập…» ở đó để ghi, "
                            "hoặc «Huỷ» rồi gửi lại tệp.")
IMPORT_GONE = "Tệp xem trước này không còn nữa. Hãy gửi lại tệp kế hoạch."
IMPORT_CANCELLED = "Đã huỷ, không có gì được ghi."


def whole_lines(text: str, limit: int) -> str:
    """The lines of `text` that fit in `limit` characters, and how many did not ("… còn 12 dòng nữa")."""
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    used = 0
    for line in lines:
        if used + len(line) + 1 > limit - 60:
            break
        kept.append(line)
        used += len(line) + 1
    if not kept:  # one very long line: cut inside it
        return text[:limit - 60] + "…"
    return "\n".join(kept) + f"\n… còn {len(lines) - len(kept)} dòng nữa không hiển thị ở đây."


def import_preview(summary: str, *, examples: list[str] | None = None) -> str:
    """The preview of a plan file; `examples`: the first items' codes, for the typed way to leave items out (a chat
    without buttons, or a coordinator who prefers typing)."""
    body = whole_lines(escape(summary), 3500)
    typed = ""
    if examples:
        typed = (f"\nMuốn bỏ bớt mục: {LEAVE_OUT_PRESS}gõ «bỏ» và mã (hoặc số thứ tự) các mục, "
                 f"ví dụ «bỏ {escape(' '.join(examples))}» hay «bỏ 3, 5» (gõ «giữ MÃ» để lấy lại một mục).")
    return (f"<b>Xem trước khi nhập</b>\n{body}\n\n"
            f"Kiểm tra rồi bấm nút để nhập (mọi thứ được ghi một lần, hoặc không gì cả).{typed}")


def left_out_line(codes: list[str]) -> str:
    """What the coordinator left out at the preview, said under it (empty when nothing is)."""
    if not codes:
        return ""
    shown = ", ".join(codes[:30]) + (f" và {len(codes) - 30} mục khác" if len(codes) > 30 else "")
    return f"✂️ Sẽ bỏ {len(codes)} mục khi nhập: {escape(shown)}."


def import_leave_out_list(count: int, page: int, pages: int, left_out: list[str]) -> str:
    head = (f"<b>Bỏ bớt mục</b> (trang {page + 1}/{pages}, {count} mục). Bấm một mục để bỏ (❌), bấm lần nữa để "
            "giữ lại; một nhóm bỏ đi thì bỏ cả các mục con.")
    return "\n\n".join(t for t in (head, left_out_line(left_out) or "Chưa bỏ mục nào.") if t)


def typed_leave_out_unknown(codes: list[str]) -> str:
    return (f"Bản xem trước không có mục mã {escape(', '.join(codes[:10]))}. Xem mã các mục ở bản xem trước rồi "
            "gõ lại, ví dụ «bỏ 2 3».")


def typed_leave_out_ambiguous(found: dict[str, list[str]]) -> str:
    said = "; ".join(f"«{escape(typed)}»: {escape(', '.join(codes[:6]))}" for typed, codes in list(found.items())[:5])
    return f"Có nhiều mục cùng số: {said}. Gõ đủ mã mục, ví dụ «bỏ {escape(next(iter(found.values()))[0])}»."


def typed_left_out(line: str) -> str:
    said = line or "Không bỏ mục nào: mọi mục trong tệp sẽ được nhập."
    return f"{said}\nBấm «✅ Nhập…» ở bản xem trước để nhập (gõ «giữ MÃ» để lấy lại một mục)."


def import_failed(name: str, reason: str) -> str:
    return f"Không nhập được tệp «{escape(name)}»: {escape(reason)}\nKhông có gì được ghi."


def import_done(summary: str) -> str:
    return f"<b>Đã nhập.</b>\n{whole_lines(escape(summary), 3800)}"


# --- Nudges, escalations, summaries and requests (scheduler/; owner: the scheduler) ---------------------------

NUDGE_COMMANDS = [
    ("nudge", "Nhắc ngay các đơn vị chưa báo cáo (đầu mối)"),
    ("nhacnho", "Nhắc ngay các đơn vị chưa báo cáo (đầu mối)"),
    ("request", "Yêu cầu báo cáo đột xuất (đầu mối)"), ("yeucau", "Yêu cầu báo cáo đột xuất (đầu mối)"),
]
COMMANDS += NUDGE_COMMANDS

NUDGE_COORDINATOR_ONLY = "Chỉ đầu mối tổng hợp hoặc quản trị mới dùng được lệnh này."
REQUEST_USAGE = ("Cú pháp: <code>/yeucau NGÀY nội dung</code>, ví dụ "
                 "<code>/yeucau 30/11 Báo cáo nhanh tình hình triển khai nhiệm vụ chuyển đổi số</code>.")
REQUEST_BAD_DATE = "Không hiểu hạn «{text}». Ghi ngày dạng 30/11 hoặc 30/11/2026. " + REQUEST_USAGE
REQUEST_PAST = "Hạn {deadline} đã qua; hãy chọn một ngày từ hôm nay trở đi."
REQUEST_NO_TEXT = "Hãy ghi nội dung cần báo cáo sau ngày hạn. " + REQUEST_USAGE


def request_created(*, key: str, deadline: date, units: int, text: str) -> str:
    return (f"Đã tạo yêu cầu báo cáo đột xuất <b>{escape(key)}</b>, hạn {fmt_date(deadline)}:\n«{escape(text)}»\n"
            f"Bot sẽ nhắc {units} đơn vị chủ trì ngay bây giờ và trước hạn.")


def nudge_queued(*, units: int, period_label: str, later: str | None) -> str:
    if units == 0:
        return f"Tất cả đơn vị đã báo cáo đủ kỳ {escape(period_label)}; không cần nhắc."
    when = f" (ngoài giờ làm việc: tin sẽ gửi lúc {later})" if later else ""
    return f"Đã xếp lịch nhắc {units} đơn vị chưa báo cáo đủ kỳ {escape(period_label)}{when}."


def nudge_header(*, unit: str, period_label: str, count: int, last_day: date, request_text: str | None,
                 days_left: int | None) -> str:
    if request_text:
        head = (f"🔔 <b>Yêu cầu báo cáo đột xuất</b> gửi <b>{escape(unit)}</b>:\n«{escape(request_text)}»\n"
                f"Hạn báo cáo: hết ngày {fmt_date(last_day)}.")
    else:
        left = f" (còn {days_left} ngày làm việc)" if days_left else ""
        head = (f"🔔 <b>Nhắc báo cáo kỳ {escape(period_label)}</b> — {escape(unit)}\n"
                f"Hạn báo cáo: hết ngày {fmt_date(last_day)}{left}.")
    return (f"{head}\nĐơn vị còn <b>{count}</b> nhiệm vụ chưa báo cáo; mỗi nhiệm vụ có một thẻ ngay sau tin này. "
            f"{NUDGE_HINT}")


NUDGE_HINT = "Bấm nút trên thẻ hoặc trả lời thẻ bằng một câu ngắn."


def deadline_banner(*, deadline: date, days_left: int) -> str:
    left = f"còn {days_left} ngày làm việc" if days_left else "hôm nay là ngày làm việc cuối cùng trước hạn"
    return f"⏰ <b>Sắp đến hạn hoàn thành</b>: {fmt_date(deadline)} ({left})."


def escalation_head(*, unit: str, period_label: str, last_day: date, lines: list[str]) -> str:
    shown = "\n".join(f"• {escape(line)}" for line in lines[:30])
    more = f"\n… và {len(lines) - 30} nhiệm vụ khác." if len(lines) > 30 else ""
    return (f"⚠️ <b>Đôn đốc báo cáo kỳ {escape(period_label)}</b>\n<b>{escape(unit)}</b> đã quá hạn báo cáo "
            f"(hết ngày {fmt_date(last_day)}) mà còn {len(lines)} nhiệm vụ chưa báo cáo:\n{shown}{more}\n"
            "Đề nghị lãnh đạo đơn vị chỉ đạo cán bộ báo cáo ngay (trả lời thẻ nhiệm vụ hoặc gửi /baocao).")


def escalation_coordinator(*, period_label: str, last_day: date, missing: list[tuple[str, int]], total: int) -> str:
    if not missing:
        return f"✅ Kỳ {escape(period_label)}: tất cả {total} đơn vị chủ trì đã báo cáo đủ đúng hạn."
    lines = "\n".join(f"• {escape(name)}: {count} nhiệm vụ" for name, count in missing[:60])
    more = f"\n… và {len(missing) - 60} đơn vị khác." if len(missing) > 60 else ""
    return (f"⚠️ <b>Kỳ {escape(period_label)}</b> (hạn hết ngày {fmt_date(last_day)}): "
            f"{len(missing)}/{total} đơn vị chưa báo cáo đủ:\n{lines}{more}\n"
            "Bot đã nhắc lãnh đạo các đơn vị này. Báo cáo gửi muộn vẫn được ghi nhận (đánh dấu muộn).")


def upward_deadline(*, period_label: str, recipient: str, last_day: date, days_left: int,
                    missing: list[tuple[str, int]], total: int, summary_command: str, sender: str | None = None,
                    escalated: date | None = None) -> str:
    """A level's reminder before its own deadline to report a period upward (Nghị định 09/2019/NĐ-CP): the
    coordinator's, or with `sender` a higher level's; `escalated`: the units' last day, when this reminder also
    stands for that morning's escalation (one message, not two)."""
    left = f" (còn {days_left} ngày làm việc)" if days_left > 1 else " (hôm nay là ngày làm việc cuối)"
    who = f"Hạn {escape(sender)} tổng hợp, báo cáo" if sender else "Hạn tổng hợp, báo cáo"
    head = (f"📤 <b>Kỳ {escape(period_label)}</b>\n{who} {escape(recipient)}: hết ngày "
            f"{fmt_date(last_day)}{left}; ")
    if not missing:
        body = f"tất cả {total} đơn vị chủ trì đã báo cáo đủ."
    else:
        lines = "\n".join(f"• {escape(name)}: {count} nhiệm vụ" for name, count in missing[:60])
        more = f"\n… và {len(missing) - 60} đơn vị khác." if len(missing) > 60 else ""
        body = f"còn {len(missing)}/{total} đơn vị chưa báo cáo đủ:\n{lines}{more}"
    late = ""
    if escalated is not None:
        late = (f"\nHạn báo cáo của các đơn vị đã hết ngày {fmt_date(escalated)}"
                + ("; bot đã nhắc lãnh đạo các đơn vị chưa báo cáo đủ. Báo cáo gửi muộn vẫn được ghi nhận (đánh dấu "
                   "muộn)." if missing else "."))
    return (f"{head}{body}{late}\nGửi {escape(summary_command)} để xem tổng hợp kỳ này, kèm tệp Excel, Word để gửi "
            f"{escape(recipient)}.")


def summary_preview_title(period_label: str) -> str:
    return f"👀 <b>XEM TRƯỚC tổng hợp kỳ {escape(period_label)}</b> (hạn báo cáo là ngày mai; số liệu còn thay đổi)"


def summary_final_title(period_label: str) -> str:
    return f"📊 <b>Tổng hợp kỳ {escape(period_label)}</b> (chốt tại hạn báo cáo)"


def late_digest(*, period_label: str, day: date, lines: list[tuple[str, str, str]]) -> str:
    body = "\n".join(f"• {escape(unit)} — nhiệm vụ {escape(code)}: {escape(STATUS_LABELS.get(status, status))}"
                     for unit, code, status in lines[:60])
    more = f"\n… và {len(lines) - 60} báo cáo khác." if len(lines) > 60 else ""
    return (f"🕓 <b>Báo cáo muộn kỳ {escape(period_label)}</b> nhận trong ngày {fmt_date(day)}: "
            f"{len(lines)} báo cáo.\n{body}{more}\nGửi /tonghop để xem tổng hợp mới nhất.")


def chat_lost(*, units: list[str], reason: str) -> str:
    names = ", ".join(escape(u) for u in units) or "(không rõ đơn vị)"
    return (f"❗ Bot không gửi được tin nhắc tới chat của <b>{names}</b> ({escape(reason)}). "
            "Chat này đã được tạm ngừng nhận tin. Hãy mời lại đơn vị (/moi) hoặc thêm bot lại vào nhóm.")


# Binding a group chat to a unit (issue 20): only a leader's code binds a group, one unit per group.
GROUP_NEEDS_LEADER_CODE = (
    "Mã mời cán bộ không gắn được nhóm chat. Mã vẫn còn dùng được: hãy gửi <code>/start MÃ_MỜI</code> trong "
    "<b>trò chuyện riêng</b> với bot{bot}.\nMuốn gắn nhóm này với đơn vị: lãnh đạo đơn vị hoặc đầu mối tổng hợp gửi "
    "<code>/start MÃ_MỜI</code> trong nhóm bằng mã lãnh đạo (đầu mối tạo bằng <code>/moi head TÊN_ĐƠN_VỊ</code>)."
)
GROUP_UNBIND_ONLY_IN_GROUP = "Lệnh /gonhom dùng trong nhóm chat đã gắn với đơn vị, để gỡ nhóm khỏi đơn vị đó."


def group_bound_elsewhere(unit: str) -> str:
    return (f"Nhóm này đã gắn với <b>{escape(unit)}</b>; mỗi nhóm chỉ gắn với một đơn vị. Mã mời của bạn chưa bị "
            f"dùng. Muốn đổi: lãnh đạo {escape(unit)} hoặc đầu mối tổng hợp gửi /gonhom trong nhóm, rồi gửi lại "
            "<code>/start MÃ_MỜI</code>.")


def group_unbound(unit: str) -> str:
    return (f"Đã gỡ nhóm này khỏi <b>{escape(unit)}</b>: bot không nhắc việc ở đây nữa. Muốn gắn với đơn vị khác, "
            "lãnh đạo hoặc đầu mối gửi <code>/start MÃ_MỜI</code> (mã lãnh đạo) trong nhóm.")


def group_unbind_refused(unit: str) -> str:
    return (f"Chỉ lãnh đạo {escape(unit)} hoặc đầu mối tổng hợp mới gỡ được nhóm này. Hãy nhờ một trong những "
            "người đó gửi /gonhom trong nhóm.")


def invite_blocked(until: datetime, failures: int) -> str:
    """The one message a sender gets when too many unusable codes block them (`until` in the local zone)."""
    return (f"Bạn đã gửi {failures} mã mời không dùng được trong một giờ, nên bot tạm ngừng nhận mã mời từ bạn đến "
            f"{until:%H:%M} ngày {until:%d/%m/%Y}. Sau giờ đó hãy gửi <code>/start MÃ_MỚI</code> với mã mới do đầu mối "
            "tổng hợp cấp.")
WEB_OFF = ("Trang web chưa được bật trên máy chủ này. Nhờ quản trị hệ thống đặt WEB_BASE_URL và chạy "
           "<code>nhacviec web</code>; trong lúc đó, gửi /tonghop (đầu mối) hoặc /nhiemvu (đơn vị) để xem ngay "
           "tại đây.")
WEB_SECRET_MISSING = ("Trang web cần WEB_SECRET (mã bí mật ký các đường dẫn tải tệp) mà chưa có. Tạo một mã: "
                      "python3 -c \"import secrets; print(secrets.token_urlsafe(32))\", đặt WEB_SECRET=<mã đó> trong "
                      ".env rồi chạy lại; hoặc bỏ trống WEB_BASE_URL nếu chưa dùng trang web.")
WEB_PRIVATE_ONLY = ("Đường dẫn đăng nhập chỉ gửi trong trò chuyện riêng (ai trong nhóm cũng bấm được). "
                    "Hãy mở trò chuyện riêng với bot và gửi /web.")


def web_link(url: str, expires: str) -> str:
    """The one-time sign-in link, readable on a platform without HTML too (the address is shown whole)."""
    return (f"Đường dẫn đăng nhập trang web của bạn (dùng một lần, hết hạn lúc {expires}):\n{escape(url)}\n\n"
            "Mở trên máy tính hoặc điện thoại của bạn; đừng chuyển cho người khác.")


# ---- platforms without buttons or replies (Zalo): typed answers -------------------------------------------
TYPED_STATUS_ANSWERS = ("Trả lời: 1 Hoàn thành · 2 Đang thực hiện · 3 Chưa thực hiện · 4 Vướng mắc — "
                        "hoặc gõ tình hình")
TYPED_SKIP = " · 5 Bỏ qua"
TYPED_UNDO = "Nhầm? Gõ «hoàn tác» để huỷ ghi nhận này."
TYPED_IMPORT_ELSEWHERE = "Nhập kế hoạch từ tệp chỉ làm được trên Telegram hoặc bằng lệnh: nhacviec import TỆP"
TYPED_NOTHING_TO_UNDO = ("Không có ghi nhận nào gần đây trong trò chuyện này để hoàn tác. "
                         "Gửi /nhiemvu để xem trạng thái.")
TYPED_NO_CARD = "Chưa có thẻ nhiệm vụ nào trong trò chuyện này. Gửi /baocao để báo cáo từng nhiệm vụ."
TYPED_UNKNOWN_COMMAND = "Không có lệnh «{name}». Gửi /huongdan để xem các lệnh."
TYPED_HELP = ("\n\n<b>Trên Zalo</b> (không có nút bấm): trả lời thẻ nhiệm vụ bằng số (1 Hoàn thành, 2 Đang thực "
              "hiện, 3 Chưa thực hiện, 4 Vướng mắc) hoặc gõ tình hình, ví dụ «đang làm 60%». Báo cáo nhiệm vụ khác: "
              "gõ mã trước, ví dụ «NV3 xong» hoặc «3: đang làm 60%». Gõ «hoàn tác» để huỷ ghi nhận vừa rồi. "
              "Tham gia: gửi mã mời (hoặc /start MÃ_MỜI).")
CHART_CAPTION = "Biểu đồ tiến độ"
# what a platform without buttons and replies shows instead of the button-and-reply instructions
TYPED_INSTEAD = {
    LEAVE_OUT_PRESS: "",  # a plan preview: only the typed way to leave items out
    "\n" + CARD_HINT: "",  # the card's numbered answers say it
    WELCOME_HINT: "Khi bot nhắc việc, bạn chỉ cần gõ số trả lời của thẻ nhiệm vụ hoặc một câu ngắn",
    NUDGE_HINT: "Gõ số trả lời hoặc một câu ngắn cho thẻ gần nhất; nhiệm vụ khác: gõ mã trước, ví dụ «NV3 xong».",
}
TYPED_TEXT_ONLY = "Bot chỉ đọc tin nhắn chữ. Gõ tình hình, ví dụ «NV3 xong», hoặc gửi /huongdan."
NOT_TEXT = ("Bot chỉ đọc tin nhắn chữ và tệp kế hoạch (Excel, Word, PDF), không đọc ảnh, nhãn dán hay tin thoại. "
            "Để báo cáo, hãy trả lời (reply) bằng chữ vào thẻ nhiệm vụ, hoặc gửi /baocao; /huongdan để xem hướng dẫn.")


def which_task(tasks: list[tuple[str, str]], *, more: int = 0) -> str:
    """Asking which task a typed reply is about, with the unit's open tasks by code."""
    lines = ["Bạn báo cáo cho nhiệm vụ nào? Gõ mã nhiệm vụ trước tình hình, ví dụ «NV3 xong» hoặc "
             "«3: đang làm 60%»:"]
    lines += [f"{escape(code)}. {escape(title[:120])}" for code, title in tasks]
    if more:
        lines.append(f"… và {more} nhiệm vụ khác: gửi /nhiemvu để xem đủ.")
    return "\n".join(lines)


def file_link_line(name: str, url: str | None) -> str:
    if url:
        return f"Tải tệp «{name}» (đường dẫn có hạn): {url}"
    return (f"Tệp «{name}» chưa gửi được qua Zalo (Zalo không nhận tệp đính kèm). Lấy tệp trên Telegram bằng "
            f"/tonghop, hoặc trên máy chủ: nhacviec summary --format {name.rsplit('.', 1)[-1]}")
ZALO_TOKEN_REJECTED = ("Zalo Bot API từ chối ZALO_BOT_TOKEN: token sai hoặc đã bị thu hồi (lấy lại trong «Zalo Bot "
                       "Manager»), hoặc ZALO_API_BASE_URL sai. Sửa trong .env rồi chạy lại.")
ZALO_WEBHOOK_SECRET_MISSING = ("Đã đặt ZALO_WEBHOOK_URL nhưng thiếu ZALO_WEBHOOK_SECRET: bot không chạy webhook mà "
                               "không có mã bí mật (ai cũng gửi được cập nhật giả). Tạo một mã: python3 -c \"import "
                               "secrets; print(secrets.token_urlsafe(32))\", đặt ZALO_WEBHOOK_SECRET=<mã đó> trong "
                               ".env rồi chạy lại.")
ZALO_API_UNREACHABLE = ("Chưa kết nối được Zalo Bot API (mạng hoặc ZALO_API_BASE_URL?); thử lại sau {seconds:.0f} "
                        "giây. Ctrl+C để dừng.")
