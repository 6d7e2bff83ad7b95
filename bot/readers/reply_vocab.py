"""The words staff use in status replies, as patterns over folded text (no diacritics, lower case).

Folding merges "đã"/"dạ"/"da" and "đang"/"đăng", so most patterns need the next word to decide.
Each pattern is a cue; `bot.readers.status` decides between cues (see its docstring for the precedence).
"""

from __future__ import annotations

import re


def _any(*words: str) -> str:
    """An alternation, longest first so "hoan thanh" wins over "hoan"."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# "hoàn thành", "xong", "ht" and their typos and English forms.
DONE_WORD = _any(
    "hoan thanh", "hoan tat", "hoanthanh", "hthanh", "hoan thah", "hoan thnah", "hoan tanh", "hoan thanhf",
    "xong", "xog", "xonng", "ht", "dht", "done", "finished", "finish", "completed", "complete", "ket thuc",
)
_CHUA = r"(?:van\s+)?(?:chua|ch|chuaw)"
_KHONG = r"(?:khong|ko|k|kh|khg|hok|chang|hem)(?:\s+the)?"
_GAP = r"(?:[a-z]+\s+){0,2}?"  # up to two words in between ("chưa triển khai xong")

# "chưa xong", "chưa hoàn thành", "chưa làm xong", "cht": started but not finished.
# ... and "chưa hết đâu, mới xong phần thôn A": not all of it (not "chưa hết hạn")
NOT_YET_DONE = _re(
    rf"\b{_CHUA}\s+(?:duoc\s+)?{_GAP}{DONE_WORD}\b|\bcht\b"
    r"|\bchua het\b(?!\s+(?:han|thoi han|thang|nam|tuan|quy|ngay|gio|tien|kinh phi|von))"
)
# "không hoàn thành", "ko kịp xong": failed to finish.
FAILED_DONE = _re(rf"\b{_KHONG}\s+(?:kip\s+)?{_GAP}{DONE_WORD}\b")
# "không thực hiện được", "không thể triển khai", "ko làm được".
# ...and "chẳng ai làm cả", "không có ai làm": nobody to do it
CANNOT = _re(
    rf"\b{_KHONG}\s+(?:[a-z]+\s+){{0,3}}?duoc\b|\b(?:khong|ko|k) the\b|\bbat kha khang\b"
    r"|\b(?:chang|khong|ko|k)\s+(?:co\s+)?ai\s+(?:lam|phu trach|theo doi)\b"
)
_START_VERBS = _any(
    "thuc hien", "trien khai", "lam", "bat dau", "tien hanh", "to chuc", "khoi cong", "xay dung", "ban hanh",
    "thuc thi", "dong", "co ke hoach", "lam gi", "tham muu", "trien", "thi cong", "lam duoc", "tk", "th",
)
# "chưa triển khai", "chưa làm", "cth", "ctk", "không thực hiện" (without "được").
NOT_STARTED = _re(
    rf"\b{_CHUA}\s+(?:duoc\s+)?{_START_VERBS}\b|\b(?:cth|ctk|ctth|ctrk)\b|\bnot (?:yet )?started\b|\bnot yet\b"
    rf"|\b{_KHONG}\s+{_any('thuc hien', 'trien khai', 'lam')}\b(?!\s+(?:[a-z]+\s+){{0,2}}duoc\b)"
    r"|\bkhong phat sinh\b|\bchua co gi\b|\bchua bat tay\b"
    r"|\bchua co (?:[a-z]+\s+){1,3}?nao\b(?!\s+(?:chua|khong|bi|can|phai))"  # "chưa có lớp nào": none held yet
    # "chưa ạ, tuần sau em làm", "dạ chưa ạ, ...": the first clause says it
    r"|^(?:vang\s+)?(?:van\s+)?chua(?:\s+(?:a|ah|co|anh|chi|nhe))*\s*[,.;!]"
    # an emphatic "not yet": "chưa có đâu chị ơi", "dạ chưa đâu anh"
    r"|^(?:(?:vang|da|em|e|ben em|tui|minh)\s+){0,2}(?:van\s+)?chua(?:\s+co)?(?:\s+gi)?\s+dau\b"
    # the reply opens with "chưa" + what was not done: "chưa rà soát", "chưa đi kiểm tra", "dạ em chưa viết"
    r"|^(?:(?:da|vang|em|e|ben em|phong em|tui|minh|hien|hien tai|hien gio|chu|gio|van|nay)\s+){0,3}"
    r"(?:chua|chx)\s+(?!(?:xong|hoan|ht|co|duoc|ro|biet|nhan|kip|the|het|tra loi|bao cao|bc|gui bao cao|dat|dong y"
    r"|chiu|ve|toi|den|thay|phai)\b)[a-z]{2,}"
)
# Replies that are only "chưa" (with particles): "chưa ạ", "chua co", "vẫn chưa".
NOT_STARTED_ALONE = frozenset({("chua",), ("chua", "co"), ("chua", "co", "gi"), ("van", "chua"), ("chua", "lam", "gi"),
                               ("khong", "chua")})

# Future completion: "dự kiến hoàn thành", "sẽ xong", "phấn đấu hoàn thành": not done yet.
FUTURE_DONE = _re(
    rf"\b(?:se|du kien|dk|du tinh|phan dau|co gang)\s+{_GAP}{DONE_WORD}\b"
    # "kế hoạch hoàn thành 30/6" (the plan is to finish), not "kế hoạch xong rồi" (the plan itself is done)
    rf"|\b(?:ke hoach|kh)\s+{_GAP}{DONE_WORD}\b(?!\s+(?:roi|r|het|ca|xong)\b)"
    # "chiều nay phun nốt khu phố 4 là xong", "mốt phun khóm 4 là xong": a day to come, the last piece, then done
    r"|\b(?:chieu nay|toi nay|sang mai|chieu mai|ngay mai|mai|mot|ngay mot|tuan sau|tuan toi)\s+(?:[a-z0-9]+\s+){1,6}?"
    r"la xong\b"
)
# Future start: "sẽ triển khai", "dự kiến tổ chức": not started yet.
FUTURE_START = _re(
    rf"\b(?:se|du kien|du tinh|chuan bi)\s+(?:[a-z]+\s+)?{_START_VERBS}\b"
)
# Verbs that start the work (not deliver it: "gửi", "nộp" are the end): with a day to come and nothing done yet,
# "thứ 2 tới ra quân", "đầu tháng sau tổ chức", "sau Tết mới làm" is a plan, not started.
PLAN_START = _re(
    r"\b(?:lam|thuc hien|trien khai|bat dau|bat tay|tien hanh|to chuc|khoi cong|thi cong|mo lop|ra quan|ra soat"
    r"|ra|hop|kiem tra|di|sua|tong ket|tap huan|dieu tra|khao sat|tuyen truyen|phat dong|xuong|huan luyen|dao tao"
    r"|boi duong|chay thu|kham|tiem)\b"
)
# A cause of one's own making, not an obstacle for the coordinator: "chưa có time", "bận quá để tháng sau làm",
# "chưa tới lượt", "để xong vụ mùa": with nothing started, a plan, not a block.
OWN_CAUSE = _re(
    r"\b(?:ban (?:qua|lam|viec|hop|chuyen|du|ron)|dang ban|qua ban|time|thoi gian|ke hoach gi|plan|kip|luot|mua vu"
    r"|theo ke hoach|nhieu viec|chua (?:toi|den)(?:\s+(?:dot|han|luot|ky|thoi gian))?"
    r"|vu mua|thu hoach|nghi phep|sap xep"
    r"|(?:dang\s+)?(?:tap trung|uu tien)\s+(?:cho|vao|lam)|dang lo|phai lo)\b"  # "đang tập trung cho đợt tiêm chủng"
)
# "máy hư rồi, răng cập nhật được", "chưa có máy thì làm sao mà làm được": cannot, asked as a question
RHETORICAL_CANNOT = _re(r"\b(?:lam sao|rang|sao)\s+(?:ma\s+)?(?:[a-z]+\s+){0,4}?(?:duoc|noi)\b")
# "để thu hoạch xong dân rảnh mới họp", "để xong vụ mùa rồi làm": "xong" of something else, a time to wait for
AFTER_OTHER_DONE = _re(
    r"\bde\s+(?!(?:em|e|minh|tui|toi|anh|chi)\b)(?:[a-z]+\s+){0,5}?xong\b(?=(?:\s+[a-z]+){0,4}?\s+(?:moi|roi|thi)\s+[a-z]+)"
)
# Only the plan made, beside "chưa làm gì": "mới lập xong kế hoạch thôi", "kế hoạch xong rồi": not started yet
PLAN_MADE = _re(
    r"\b(?:moi|vua|da|chi|moi chi)\s+(?:(?:lap|xay dung|len|soan|lam|ban hanh|co|duoc|duyet|xong)\s+){0,3}"
    r"(?:ke hoach|phuong an|kh)\b(?:\s+(?:thoi|xong|roi|a|ah))*"
    r"|\b(?:ke hoach|phuong an)\s+(?:thi\s+)?(?:da\s+)?(?:xong|ban hanh|duyet|co)(?:\s+(?:roi|r|a|ah|thoi))*\b"
)
# Part of it done: "hoàn thành giai đoạn 1", "xong một phần", "cơ bản hoàn thành", "xong dự thảo".
PARTLY_DONE = _re(
    rf"\b{DONE_WORD}\s+{_GAP}(?:mot phan|1 phan|phan lon|giai doan|buoc \d|mot so|1 so|dot 1|phan \d|du thao)\b"
    rf"|\b(?:mot phan|1 phan|phan lon|co ban|cb)\s+(?:da\s+)?{DONE_WORD}\b"
    # some way along, said in words: "gần hết", "gần như xong", "được quá nửa", "mới được chút xíu", "mới bắt đầu"
    r"|\b(?:gan het|gan nhu|(?:hon|qua|gia|non|gan)\s+(?:mot\s+|1\s+|phan\s+)?nua|chua duoc bao nhieu|chua toi dau"
    r"|chua den dau|(?:duoc|lam)\s+(?:mot it|1 it|it|chut xiu|chut it|chut|mot chut|mot phan nho|1 phan nho|so so)"
    r"|moi\s+(?:duoc\s+)?(?:mot it|1 it|chut xiu|chut it|chut|mot phan nho|1 phan nho|so so|bat dau|khoi dong|chay thu"
    r"|lam so so)"
    r"|lam so so|dang do|do dang|lam do)\b(?!\s+(?:nao|gi)\b)|\bmoi\s+[a-z]+(?:\s+[a-z]+){0,3}?\s+thoi\b"
    # "cấp được 30 giấy rồi, mà còn nhiều hồ sơ", "kiểm tra được mấy chục chiếc rồi, còn mấy chiếc chưa về"
    r"|\bduoc\s+(?:\d+|may chuc|may tram|vai chuc|mot so)\s+[a-z]+(?:\s+[a-z]+){0,2}?\s+roi\b[^.;]*?\bcon\s+"
    r"(?:nhieu|may|lai|\d+)\b"
    # "thu thập phiếu xong, nhập liệu chưa" (not "rà soát chưa, cập nhật chưa": nothing done)
    rf"|\b{DONE_WORD}\b[^,]*,\s*(?:[a-z]+\s+){{1,3}}?chua(?:\s+(?:a|ah|nhe|nha))?\s*[.!]*\s*$"
    # something left before it is done: "còn 2 xã nữa là xong", "còn chút nữa"
    r"|\bcon\s+(?:[a-z0-9]+\s+){1,4}?nua\s+(?:la|thi)\s+(?:xong|hoan thanh)\b"
    r"|\bcon\s+(?:chut|mot chut|it|mot it)\s+nua\b"
    # the rest still to finish, so some is done: "sau Tết làm nốt", "tuần sau em làm nốt phần còn lại"
    r"|\b(?:lam|xong|hoan thanh|ht|hoan thien|trien khai|thuc hien|lam cho|ra soat|nhap)\s+not\b(?!\s+(?:yet|started))"
    r"|\bnot\s+phan\s+con\s+lai\b"
)
# "đang thực hiện", "vẫn đang làm", "dg trien khai"; not "đã đăng" (folded "da dang") nor "đang gặp khó khăn".
# What a unit waits for when it is stuck ("chờ Sở hướng dẫn", "đợi kinh phí"), unlike "chờ phê duyệt" (a stage).
_STUCK_ON = r"(?:cho|doi)\s+(?:[a-z]+\s+){0,3}?(?:huong dan|kinh phi|von|chi dao|y kien chi dao|cap kinh phi|phan bo)"
DOING = _re(
    r"(?<!\bda )\b(?:van\s+)?(?:dang|dg|dag)\s+(?!(?:gap|bi|vuong|co|la|o|thieu|ky)\b|\d"
    rf"|{_STUCK_ON}\b)[a-z]{{2,}}"
)
_WAIT_FOR = _any(
    "phe duyet", "duyet", "ky", "ky duyet", "tham dinh", "y kien", "gop y", "lanh dao", "cap tren", "xem xet",
    "thong qua", "ban hanh", "ket qua", "nghiem thu", "thanh toan", "quyet toan", "trinh", "phan hoi", "xac nhan",
)
STAGE = _re(
    r"\b(?:dtk|dth|dtt|dtth|wip|ongoing|in progress|doing|processing)\b"
    rf"|\bcho\s+{_WAIT_FOR}\b"
    r"|(?<!cong )(?<!chuong )(?<!lo )(?<!hanh )\b(?:da\s+|dang\s+)?trinh(?!\s+do)\b"
    r"|\bdu thao\b|\b(?:xin|lay|gop) y kien\b|\bhoan thien\b"
    r"|\b(?:sap|gan)\s+(?:xong|hoan thanh)\b|\btiep tuc\b"
    r"|(?<!bao cao )(?<!gui )(?<!nop )\bcham(?!\s+(?:soc|diem|thi|cong|chut|lo|bai))\b"
    r"|\b(?:tre han|tre tien do|bi tre|qua han)\b|\bda\s+(?:bat dau|khoi cong)\b|\bthi cong\b(?!\s+xong)"
    rf"|\bda\s+trien khai\b(?!\s+{_GAP}(?:xong|hoan thanh|hoan tat)\b)"
    r"|\btrien khai thuc hien\b|\bdang lam\b|\bthuong xuyen\b"
    r"|\b(?:van\s+)?dang\s+o\s+(?:buoc|giai doan|khau|cong doan)\b"  # "đang ở bước cuối": at a stage of the work
    # "đã gửi mẫu đi xét nghiệm, chưa có kết quả": under way after what was done ("chưa có kết quả" alone: ask)
    r"|(?:[,.;]\s*|\b(?:nhung|ma|van)\s+)chua co ket qua\b|\bchuyen\s+(?:[a-z]+\s+){0,3}?xu ly\b"
)
# A finished action: "đã ban hành", "đã tổ chức 2 hội nghị", "đã đăng 3 tin bài" (weaker than "hoàn thành").
_NOT_AN_ACTION = _any(
    "nhan", "xem", "ro", "co", "biet", "hieu", "trinh", "xin", "lay", "gui du thao", "bao cao", "bc", "trien khai",
    "bat dau", "khoi cong", "duoc giao", "giao", "het", "bi", "gap", "tiep thu", "em", "anh", "chi", "vang",
    "toi", "chung", "khong", "ko", "chua", "lam", "xong", "hoan thanh", "ht",
    "len", "noi", "hoi", "doc", "duoc", "vuong", "thieu", "cham", "chuyen", "dat",
)
ACTION_DONE = _re(
    rf"\b(?:da|d)\s+(?:duoc\s+)?(?!{_NOT_AN_ACTION}\b)[a-z]{{2,}}|\bdone\b"
    r"|^(?:da\s+)?dat(?:\s+(?:yeu cau|chi tieu|ke hoach))?$|(?<!khong )(?<!chua )\bdat (?:yeu cau|chi tieu|ke hoach)\b"
    r"|\bvuot (?:chi tieu|ke hoach)\b"
    # a finished action said with "rồi" and no "đã": "kế hoạch ban hành rồi", "nộp hôm qua rồi"
    r"|\b(?:ban hanh|nop|gui|ky|phe duyet|nghiem thu|ban giao|khai truong|khanh thanh|chi tra|tiem|bau|tuyen"
    r"|cap nhat|dang tai|niem yet|cong khai)\s+(?:[a-z0-9/]+\s+){0,3}?roi\b"
)
# Nothing left to do: "không còn gì phải làm nữa", "ko còn việc gì cần làm" (done; blanked out as "no blocker")
NOTHING_LEFT = _re(
    r"\b(?:khong|ko|k|chang|cha)\s+con\s+(?:viec\s+|cai\s+)?gi\s+(?:phai\s+|can\s+)?(?:lam|xu ly)"
    r"(?:\s+(?:nua|them))?\b")
# "xong chưa?", "hoàn thành chưa nhỉ": the person asks back; never read as an answer.
_ASKED_OF = r"(?:\s+(?:anh|chi|em|a|ah|oi|nhe|ta|the|vay|nhi|ha))*\s*[?.!]*\s*$"
QUESTION = _re(
    rf"\b{DONE_WORD}\s+chua\b|\?\s*$"
    rf"|\b(?:vay|nhi|ta)(?:\s+(?:anh|chi|em|a|ah|oi|nhe))*\s*[?.!]*\s*$"  # "hạn 30/6 hay 30/9 vậy anh"
    rf"|\b(?:vay|nhi)(?:\s+(?:anh|chi|em|a|ah|oi|nhe))*\s*\?"  # "... vậy anh? Em sợ nhầm": more after the question
    rf"|\b(?:duoc|co|phai|dung)\s+(?:khong|ko|k|hong|hok|khum){_ASKED_OF}"  # "... được không", "đúng không ạ"
    r"|\b(?:may gio|ngay may|truoc ngay may|ngay nao|bao gio|khi nao|luc nao|o dau|the nao|nhu the nao|ra sao|la gi"
    r"|la sao|mo rua)\b"
    r"(?![^,.;!?]*\bthi\b)"  # "khi nào có lại máy thì bên em làm tiếp": a condition, not a question
    r"|^(?:[a-z]+\s+){0,3}?cho (?:em|e|minh|toi|tui) xin\b"  # "anh cho em xin file kế hoạch": a request
    rf"|\b\d{{1,2}}/\d{{1,2}}\s+hay(?:\s+la)?\s+(?:ngay\s+)?\d|^\s*ua\b"
    rf"|(?<!chua duoc )(?<!chua )(?<!duoc )\bbao nhieu\b.*{_ASKED_OF}"
    # "anh coi giúp em có cần bổ sung gì không ạ": "có ... không" closing the reply is a question
    rf"|\bco\s+(?:[a-z]+\s+){{1,4}}?(?:khong|ko|hong|hok|khum){_ASKED_OF}"
    # "làm xong rồi thì báo cáo cho ai ạ", "nộp cho ai vậy anh": who to send it to, asked at the end
    r"|(?<!giao )\b(?:cho|voi|gui|nop|bao)\s+ai(?:\s+(?:a|ah|vay|nhi|the|oi|anh|chi|em|day))*\s*[?.!]*\s*$"
    # "hoàn thành là phải nộp bản giấy luôn hả ạ" typed without its tones: "hả" closing the reply
    r"|\b(?:luon|roi|phai|that|vay|nua|do|nay|ni)\s+ha(?:\s+(?:a|ah|anh|chi|em))*\s*[?.!]*\s*$"
    # "hạn 30/6 hả ạ? hay 30/9": "hả" with its question mark, or a choice offered after one
    r"|\bha(?:\s+(?:a|ah|anh|chi|em))*\s*\?|\?\s*hay\b"
    # "hạn 30/6 à anh? em tưởng 30/9": a question, then what the writer thought
    r"|\?\s*(?:(?:the|ma)\s+)?(?:(?:ben\s+)?(?:em|e|minh|tui|toi)\s+)?tuong\b"
    # "có được lùi hạn sang tháng sau k chị": "có ..." opening a clause, "không" closing the reply
    rf"|(?:^|[,.;!?]\s*)(?:[a-z]+\s+){{0,2}}?co\s+(?:[a-z]+\s+){{1,8}}?(?:khong|k){_ASKED_OF}"
)
# A figure the writer is unsure of: "3/5 hay 3/6 gì đó", "60 hoặc 70%", "chắc tầm 40% gì đó": no share to record
# Unsure of the state itself: "hình như xong rồi, em không chắc lắm"
UNSURE_STATE = _re(
    r"\bhinh nhu\b|\b(?:khong|ko|k|chua|cha)\s+(?:dam\s+)?chac(?:\s+(?:lam|nua|a|lam a))?\s*(?:[,.;!?]|$)")
UNSURE_FIGURE = _re(
    r"\b\d+(?:[/,.]\d+)?\s*%?\s+(?:hay|hoac|hay la|hoac la)\s+\d+(?:[/,.]\d+)?\s*%?(?!\s*(?:/|thang|ngay))"
    r"|\b\d+(?:[/,.]\d+)?\s*%?\s+(?:[a-z]+\s+)?(?:gi do|gi day|chi do)\b"
)
# "1 trong 3 lớp là của phòng em hay của cả xã ạ?": a choice asked, even with a share in it
CHOICE_ASKED = _re(r"\bhay(?:\s+la)?\s+(?:[a-z0-9/]+\s+){0,8}?(?:[a-z0-9/]+)(?:\s+(?:a|ah|vay|nhi|anh|chi))*\s*\?")
# "đang lấy ý kiến các phòng nhưng coi như xong": as good as done (not "gần như xong", nearly)
AS_GOOD_AS_DONE = _re(r"\b(?:coi|xem)\s+nhu\s+(?:la\s+)?(?:da\s+)?(?:xong|hoan thanh|ht)\b(?!\s*\d)")
# "quý nào vậy anh", "biểu mẫu nào ạ": a question, unless a negation makes "nào" mean "any" ("chưa lớp nào").
WHICH = _re(rf"\bnao{_ASKED_OF}")
NEGATION = _re(rf"\b(?:{_CHUA}|{_KHONG})\b")
# Not this unit's task, or nothing received: "bên công an xã chủ trì", "em không nắm được", "chưa nhận được kế hoạch".
NOT_OURS = _re(
    r"\b(?:khong|ko|k|chua|chang)\s+(?:co\s+)?(?:biet|nam|nam duoc|phai (?:ben|phong|cua|viec))\b"
    r"|\b(?:khong|ko|k|chua|chang)\s+(?:co\s+)?duoc giao(?:\s+(?:nhiem vu|viec|cai|phan)|\s*[,.;!?]|\s*$)"
    r"|\b(?:khong|ko|k|chua|chang)\s+(?:co\s+)?nhan duoc\s+(?:ke hoach|cong van|van ban|nhiem vu|thong bao|tin|gi|cai)"
    r"|\b(?:ben|phong|o|chi|anh|ong|ba|co|chu|thay)\s+(?:[a-z]+\s+){1,5}?(?:phu trach|chu tri)\b"
    # "gửi nhầm rồi, xã em không có nhiệm vụ này": the card went to the wrong unit
    r"|\bgui nham\b|\b(?:khong|ko|k|chang)\s+co\s+(?:nhiem vu|viec|cai)\s+(?:nay|do|ni)\b"
)
# Busy now, will answer later: "đang họp", "đang lái xe", "nghỉ phép tới thứ 2", "lát em báo".
BUSY = _re(
    r"\b(?:dang|e dang|em dang)\s+(?:di\s+)?(?:hop|lai xe|chay xe|ban|cong tac|nghi|tiep dan|tiep khach|tren duong"
    r"|o ngoai)\b"
    r"|\bnghi (?:phep|om|le)\b|\bdi cong tac\b|\blat\s+(?:nua\s+)?(?:em|e)?\s*(?:bao|tra loi|gui|nhan|noi)"
    r"|\bve\s+(?:em|e|toi|tui|minh)\s+(?:bao|gui|tra loi)|\b(?:noi|bao)\s+(?:sau|lai)\b|\bmai noi\b"
    r"|\b(?:doi|cho) em (?:chut|xiu|ti|lat)|\broi tinh\b|\bnhan lai\b"
    r"|\b(?:moi|se)\s+di lam lai\b"  # "tuần sau em mới đi làm lại": away now, the answer comes later
    # "đầu tháng sau em mới biết được", "họp xong mới rõ": they will know then, not now
    r"|\bmoi\s+(?:biet|ro|nam duoc)\b"
    # "để mai họp xong em báo", "để chiều về rồi tôi trả lời": the answer comes after something else
    r"|\bde\s+(?:mai|chieu|toi|sang|trua|lat|tuan sau|thu \d)\b[^,.;!?]{0,30}?\b(?:xong|roi|ve)\s+"
    r"(?:(?:em|e|toi|tui|minh)\s+)?(?:bao|tra loi|rep|noi)\b(?!\s+cao)"
)
# "đã báo cáo bằng văn bản", "đã gửi báo cáo", "đã nộp bc": the unit reported elsewhere, status unsaid.
# A report is named, not the task's state: "đã báo cáo bằng văn bản số 123", "đã gửi báo cáo số 12". A plain "đã gửi
# báo cáo (rồi)" is done: the writers read it so (16 replies of 16 without a complaint "... rồi mà").
REPORTED = _re(
    r"\b(?:da|d)\s+(?:gui\s+|co\s+|nop\s+)?(?:bao cao|bc)\s+(?:so|theo|bang)\b|\bbao cao bang van ban\b"
    r"|\bbang van ban so\b"
    r"|\bda gui (?:cong van|van ban)\b"
)
# "em báo là xong rồi mà", "bữa trước em gửi rồi mà": they say it was reported before (a complaint), and ask back.
REPORTED_BEFORE = _re(
    r"\b(?:bao|gui|nop|bao cao)\b(?:\s+[a-z]+){0,4}?\s+roi ma\b"
    r"|\b(?:truoc|hom truoc|lan truoc|bua truoc|hom bua|ky truoc)\s+(?:em|e|minh|tui)\s+(?:da\s+)?(?:bao|gui|nop)\b"
)
# "sẽ báo cáo sau", "để em kiểm tra lại", "mai em gửi": a promise to answer later.
DEFERRED = _re(
    r"\b(?:bao cao|gui|tra loi|phan hoi|cap nhat)\s+(?:[a-z]+\s+){0,2}?(?:sau|lai)\b"
    r"|\b(?:de|cho|xin phep)\s+(?:em|e)\s+(?:hoi|kiem tra|xem|tong hop|ra soat)\b"
    r"|\b(?:kiem tra|hoi|xem|check|coi) lai\b"
    r"|\b(?:roi|xong|sau|em|e)\s+(?:em\s+|e\s+)?rep\b|\brep\s+(?:lai|sau)\b"  # "check lại rồi rep anh", "mai e rep"
    r"|\bde\s+(?:mai|mai mot|mai ngay kia|sau|tuan sau|hom khac|bua khac|bua sau)\s+(?:roi\s+)?tinh\b"  # "để mai tính"
    r"|\bem\s+(?:se\s+)?(?:gui|bao cao|tra loi|cap nhat)\b|\b(?:em|e)\s+(?:se\s+)?bao(?:\s+lai)?\b(?!\s+cao)"
    r"|\b(?:kiem tra|check|xem)\s+(?:lai\s+)?(?:giup|gium|ho)\b"  # "chị kiểm tra giúp": a request, not a state
    r"|\b(?:bao cao|gui|nop)\s+(?:bao cao\s+)?(?:cham|tre|muon)\b|\bxin (?:phep )?gia han\b"  # the report is late
    # "lúc đó em check rồi báo nhé", "em xem xong báo lại": an answer to come
    r"|\b(?:check|kiem tra|xem|hoi)\s+(?:lai\s+)?(?:roi|xong)\s+(?:(?:em|e)\s+)?bao\b(?!\s+cao)"
)
# "em gửi", "em nộp", "em gửi báo cáo": delivering the work (a promise), when a day is named with it.
PROMISE = _re(
    r"\b(?:em|e|tui|minh|toi)\s+(?:se\s+)?(?:gui|nop)\s+"
    r"(?:bao cao|bc|ho so|file|bieu|danh sach|ke hoach|san pham|ket qua)\b"
    r"|\b(?:em|e|tui|minh|toi)\s+(?:se\s+)?nop\b"  # "mai em gửi" alone may be the answer, not the work: asked back
)
# A date in the same clause as one of these words is a completion date ("dự kiến xong 20/6", "trước 30/6").
COMPLETION_CUE = _re(rf"\b(?:truoc|du kien|dk|cham nhat|han|den|trong|vao|ket thuc|se|{DONE_WORD})\b")

# Blockers. An introducer is dropped ("vướng: chưa có hướng dẫn" -> "chưa có hướng dẫn"); a self-contained
# blocker keeps its first word ("thiếu kinh phí", "khó khăn về nhân lực", "vướng thủ tục thanh toán").
BLOCKER_INTRO = _re(
    r"\b(?:kho khan,?\s*(?:va\s+)?vuong mac|vuong mac,?\s*kho khan|kho khan|vuong mac|vuong|ton tai|han che"
    r"|ly do|nguyen nhan|kho)\s*[:\-]\s*"
)
BLOCKER_SELF = _re(
    r"\b(?:thieu|het kinh phi|het von|chua co(?! ket qua)|chua duoc|khong co|ko co|k co|chua bo tri|chua phan bo"
    r"|chua cap"
    r"|gap kho khan|gap vuong mac|kho khan|vuong mac|vuong|bi (?:vuong|ach tac|tra lai|dung|treo|thieu)"
    rf"|{_STUCK_ON})\b"
)
# A cause: "do ...", "vì ...", "bởi vì ..."; counted as a blocker only after a negative state (see NEGATIVE_STATE).
_NOT_CAUSE_DO = "".join(  # "tiến độ", "cái đó"
    f"(?<!{w} )" for w in ("trinh", "tien", "muc", "che", "thai", "toc", "cai", "viec", "vu", "chuyen"))
_NOT_CAUSE_VI = "".join(f"(?<!{w} )" for w in ("don", "pham", "dia", "tu"))  # "đơn vị", "phạm vi"...
BLOCKER_CAUSE = _re(rf"\b(?:boi vi|tai vi|la do|{_NOT_CAUSE_DO}do|{_NOT_CAUSE_VI}vi|boi)\s+(?=[a-z])")
NEGATIVE_STATE = _re(
    rf"\b(?:{_CHUA}|{_KHONG})\b|\bcham(?!\s+(?:soc|diem|thi|cong))\b|\btre\b|\bvuong\b|\bkho khan\b|\bngung\b"
    r"|\btam dung\b|\bdung lai\b"
)
# "không có khó khăn", "chưa có vướng mắc gì", "ko vướng gì": no blocker at all.
NO_BLOCKER = _re(
    r"\b(?:khong|ko|k|chua|khg|cha|chang)\s+(?:con\s+)?(?:co\s+)?(?:gi\s+)?(?:gap\s+)?(?:phat sinh\s+)?"
    r"(?:kho khan|vuong mac|vuong|thieu gi|van de)(?:,?\s*(?:va\s+|hay\s+)?(?:kho khan|vuong mac|vuong|gi|ca))*"
    # "không còn hộ nào chưa cấp", "ko còn gì phải làm nữa": nothing left
    r"|\b(?:khong|ko|k|cha|chang)\s+con\s+(?:[a-z]+\s+){0,2}?(?:nao|gi)(?:\s+(?:chua|phai)(?:\s+[a-z]+){1,2})?"
    # what an inspection found, not a lack: "hổng có vi phạm gì", "không phát hiện sai phạm", "ko thấy sai sót"
    r"|\b(?:khong|ko|k|chua|cha|chang)\s+(?:co|phat hien|thay|ghi nhan)\s+(?:co\s+)?"
    r"(?:truong hop\s+|dau hieu\s+|ai\s+)?"
    r"(?:vi pham|sai pham|sai sot|sai|gian lan|tham nhung|khieu nai|to cao|su co|ton tai)\b(?:\s+(?:gi|nao))?"
    r"|\b(?:chua|khong|ko|k)\s+(?:co\s+)?gi\s+phat sinh\b"  # "tiêm xong rồi, chưa có gì phát sinh": all went well
)
# Where a blocker ends: a sentence end, "nên" (its consequence), or a comma before a new status or date.
BLOCKER_END = _re(
    r"[.;!?\n]|\s+nen\s+|\s+dan den\s+|\s+nhung\s+|\s*,?\s+(?:du kien|dk|dat|dang|da|hien|se|tien do|truoc"
    r"|tuy nhien|con lai|em|phan dau|cam on)\b|,\s*\d+\s*%"
)

# Polite words that carry no status: stripped from the note's edges, ignored when judging an acknowledgement.
_ACK_TEXT = (
    "ok oke okie okay oki okela okla vang da u uh um uhm uk uki nhan duoc roi ro cam on camon thank thanks tks thx "
    "hi hello chao xin alo em e anh chi a ah nhe nha nhen nhe tiep thu xem y noted note roger like sticker voi "
    "moi nguoi ca minh toi chung ad admin sep thua kinh gui bao cao bc vay the nay ban tin nhan day rui dc r "
    "sticker"
)
ACK_WORDS = frozenset(_ACK_TEXT.split())
LEADING_POLITE = _re(
    r"^(?:(?:vang|kinh gui[^:,]{0,40}|kinh thua[^:,]{0,40}|thua [a-z ]{1,20}|em xin bao cao|em bao cao|xin bao cao"
    r"|xin chao|chao [a-z]+|em|e)(?=[\s,:.!-]|$)[\s,:.!-]*)+"
)
TRAILING_POLITE = _re(r"(?:[\s,.!]*\b(?:a|ah|nhe|nha|nhen)\b)+[\s.!]*$")

# ---- waiting on someone else, paused, broken ---------------------------------------------------------------
# "chờ"/"đợi" folds to "cho"/"doi", which are also "for/give" and "team/change": written without diacritics,
# they are a wait only where a clause starts or after a word that leads one ("đang", "còn lại", "tạm dừng").
WAIT_WORD = _re(r"\b(cho|doi|ngong)\s+(?=[a-z])")
WAIT_LEAD = _re(
    r"(?:[,.;:!?(\-]|\b(?:dang|van|con|lai|phai|thi|nen|de|dung|ngung|hien|hien tai|hien gio|gio|chu|ma|nhung|vi"
    r"|do|pending|bi|roi|con lai|tam|a|nhe|anh|chi|em|ben em|xa|phong|so|chi|chu|van con|con phai|dang phai)\s*)\s*$"
)
NOT_A_WAIT = _re(
    r"(?:cho|doi)\s+(?:em|anh|chi|minh|toi|hoi|phep|biet|xin|nen|den|toi|tuong|soat|moi|chieu|ngu|voi|thoai|hop"
    r"|nguoi|dan|can bo|hoc sinh|hoc vien|cac|cong chuc|vien chuc|doan vien|hoi vien|ho|gia dinh|tre em|dai bieu)\b"
)
# A wait for the approval or signature of what the unit has submitted is a stage of the work (the table's
# convention: "chờ phê duyệt", "đang chờ UBND tỉnh phê duyệt", "chờ ký" are in progress)...
APPROVAL_WAIT = _re(
    r"^(?:cho|doi)\s+(?:[a-z]+\s+){0,4}?(?:phe duyet|duyet|ky duyet|ky ban hanh|ky|y kien (?:cua )?lanh dao)"
    r"(?:\s+(?:a|nhe|nha))*\s*$"
)
# ...unless the unit cannot go on until it comes ("chờ huyện phê duyệt danh sách mới làm được").
PREREQUISITE = _re(
    r"\bmoi\s+(?:[a-z]+\s+){0,3}?(?:duoc|tiep)\b|\broi moi\b|\bmoi (?:lam|trien khai|thuc hien|to chuc|tien hanh)\b"
    r"|\bnen chua\b|\bchua\s+(?:[a-z]+\s+){0,3}?duoc\b|\b(?:tam|phai)\s+(?:dung|ngung)\b|\bdung lai\b"
)
# Paused or stuck: "tạm dừng", "dừng lại", "tạm ngưng", "đang kẹt", "pending", "stuck".
PAUSED = _re(
    r"\b(?:tam dung|tam ngung|tam hoan|dung lai|ngung lai|dang dung|phai dung|bi dung|thi dung|ngung"
    r"|(?:dung|ngung) (?:thi cong|trien khai|thuc hien)|pending|stuck|bi treo|dang treo"
    r"|(?:dang|bi|con|van|chu|gio|hien|^)\s*ket(?!\s+(?:qua|luan|thuc|hop|noi|nap|toan|cau))|nam do"
    r"|bi (?:tra lai|tra ve|dung|treo))\b"
)
# Something of theirs broken or missing: "phần mềm lỗi", "máy hư", "hệ thống đang nâng cấp", "sắp xếp bộ máy".
BROKEN = _re(
    r"(?<!tra )\b(?:loi|hong|hu|bao tri|nang cap|sap xep (?:lai )?bo may|sap xep lai|sap nhap|het thuoc"
    r"|thuoc het|het vac xin|chua ban giao|(?:giong|may|thiet bi|vat tu|tien|kinh phi|von|thuoc|vac xin|hang|phan bon"
    r"|tai lieu|phoi|the)\s+(?:[a-z]+\s+){0,2}?chua (?:ve|toi|den)|chua cap|chua chuyen|chua giai ngan|chua phe duyet"
    r"|chua thanh lap"
    r"|khong chiu|chua chiu|chua dong y|khieu nai)\b"
)
# Sent up and left unanswered: "hồ sơ trình huyện 2 tuần rồi mà chưa thấy duyệt", "gửi Sở từ tháng trước, vẫn chưa
# được trả lời": a wait on someone else (blocked), not a stage of the work
UNANSWERED = _re(
    r"\b(?:trinh|gui|nop)\b[^.;!?]{0,60}?\b(?:ma\s+|nhung\s+)?(?:van\s+|gio\s+)?(chua)\s+(?:thay\s+|duoc\s+|co\s+)?"
    r"(?:duyet|phe duyet|tra loi|phan hoi|y kien|hoi am|tra ket qua|tra ho so)\b"
)
# "X nên chưa/không Y": X is why the work cannot go on.
CAUSE_THEN_NOT = _re(
    rf"(?<=\S)\s+(?:nen|thanh ra|nen la)\s+(?:van\s+|vi vay\s+)?(?:(?:tui|chung|em|e|ben|minh|toi|xa|phong)\s+){{0,2}}"
    rf"(?:{_CHUA}|{_KHONG}|dung|tam dung|ngung)\b"
)
# A wait for a time or a season is a plan, not an obstacle: "chưa làm, chờ qua Tết", "đợi hết mùa mưa".
TIME_WAIT = _re(
    r"^(?:cho|doi)\s+(?:(?:den|toi|qua|het|sau|xong|ket thuc)\s+)?(?:[a-z]+\s+){0,2}?(?:tet|ram|vu|dai hoi"
    r"|mua (?:mua|lu|kho|nuoc|he|dong|thu|xuan|vu|bao)|het mua"
    r"|thu hoach|nam sau|sang nam|thang|quy|tuan|dau nam|cuoi nam|le|hop|nghi|dot cao diem|cao diem)\b"
)
NOT_JUST_TIME = _re(r"\b(?:von|kinh phi|tien|ngan sach|huong dan|chi dao|phe duyet|duyet|quyet dinh|y kien|van ban)\b")

# ---- done, with paperwork still to come ("xong rồi, biên bản đang hoàn thiện", "ảnh mai em gửi") -----------
_PAPER = _any(
    "bien ban", "bao cao", "ho so", "quyet toan", "thu tuc", "chung tu", "hinh anh", "anh", "tin bai", "tin",
    "danh sach", "bieu", "ban scan", "scan", "quyet dinh", "nghi quyet", "giay to", "file", "van ban", "minh chung",
    "phieu", "so lieu", "ky so", "tong hop", "bai dang", "bai viet", "bai bao", "ban do", "to trinh", "clip",
    "video", "ban giay", "ban in", "hinh(?!\\s+(?:thuc|su|thanh|dung))",
)
# what is done to the papers left: "chỉ còn nộp báo cáo", "còn viết tin bài", "còn chờ báo cáo tổng hợp gửi Sở"
# (a wait for one's own report, not for "số liệu bên thuế": someone else's data)
_PAPER_VERB = (r"(?:(?:lam|nop|gui|viet|in|ky|soan|hoan thien|bo sung|chup|dang)\s+"
               r"|cho\s+(?=(?:bao cao|bien ban|tin bai|bai dang)\b)){0,2}")
PAPER_LEFT = _re(
    r"^\s*(?:nhung\s+)?(?:ma\s+)?(?:con|chi con|con lai|rieng|phan|thieu moi|chi thieu|chua co)?\s*(?:phai\s+)?"
    rf"(?:cai\s+)?{_PAPER_VERB}{_PAPER}\b"
    # "mai gửi bc", "chiều nay em nộp biên bản": the day the papers of work done go out
    r"|^\s*(?:mai|ngay mai|chieu nay|sang mai|chieu mai|toi nay|tuan sau|dau tuan|thu \d|t\d)\s+"
    r"(?:(?:em|e|minh|tui)\s+)?(?:se\s+)?(?:gui|nop|bo sung)\s+(?!(?:anh|chi|em)\b)"
    rf"(?:[a-z]+\s+){{0,2}}?(?:bc|{_PAPER})\b(?<!\banh)"
    # a formal step after the work: "còn phải niêm yết công khai 7 ngày nữa", "ký số xác thực nữa là đủ"
    r"|^\s*(?:nhung\s+)?(?:ma\s+)?(?:con|chi con)\s+(?:phai\s+)?(?:niem yet|cong khai|ky so|trinh ky)\b"
    rf"|\b{_PAPER}\b.*\b(?:gui sau|gui mai|em gui|e gui|gui anh|gui len|chua gui|dang hoan thien|hoan thien sau"
    r"|dang scan|dang danh may|chua danh may|dang viet|chua viet|chua xong|chua lam|trinh ky|dang lam|bo sung sau)\b"
    r"|\b(?:la|thi|roi|xong)\s+gui\b"
    # "mai em gửi ảnh", "mai em đem hồ sơ lên": delivering the papers of work already done
    rf"|\b(?:em|e|minh|tui|ben em)\s+(?:se\s+)?(?:gui|nop|dem|mang|chuyen|bo sung)\s+(?:[a-z]+\s+){{0,2}}?{_PAPER}\b"
    # "em đang viết tin bài", "đang soạn báo cáo": writing up work already done
    rf"|^\s*(?:(?:nhung|con|em|e|minh|tui|ben em|thi)\s+){{0,2}}(?:dang|se|chua)\s+"
    rf"(?:viet|soan|lam|hoan thien|danh may|in|scan|chup|tong hop|dung)\s+(?:[a-z]+\s+){{0,2}}?{_PAPER}\b"
)
