"""Texts of the ledger: a 会议记录's fields on the card, duplicates, corrections, history."""

from __future__ import annotations

from bot.messages.reports import REPORT_FIELD_ERRORS, REPORT_FIELD_HINTS

# --- report parser (issue 27 item 5): what a 会议记录 adds to the card, several activities ---
# shown on the card only when the message said them; never asked for (the record needs none)
REPORT_CARD_RECORDER = "记录人：{recorder}"
REPORT_CARD_ABSENT = "缺席：{absent} 人{reasons}"
REPORT_CARD_TOPICS = "议题：{topics}"
REPORT_CARD_DECISIONS = "决议：{decisions}"
REPORT_FIELD_ERRORS["absent_more_than_expected"] = "缺席人数不能多于应到人数，请核对。"
REPORT_FIELD_HINTS["absent"] = "一个数字"
REPORT_MORE_ACTIVITIES = "这条消息里还有 {count} 项活动：确认或取消这一项后，接着核对下一项。"

# --- ledger records: duplicates, corrections, a record's history (issue 27.4) -------------------
REPORT_DUPLICATE = (
    "⚠ 与第 {id} 号记录可能重复（同一支部、同一天、同一类活动，或相同的内容、照片）。"
)
REPORT_BUTTON_STORE_ANYWAY = "仍然登记"
REPORT_SUBMISSION_CANCELLED = "这条已经取消过，没有保存。如需登记，请重新发送。"
CORRECTION_CARD = "要更正第 {id} 号记录（{date} {village} {type}）：\n{changes}\n确认更正吗？"
CORRECTION_CHANGE_LINE = "{field}：{old} → {new}"
CORRECTION_BUTTON_APPLY = "确认更正"
CORRECTION_BUTTON_DROP = "取消"
CORRECTION_APPLIED = "已更正第 {id} 号记录（{changes}），更正人和时间已记入这条记录的修改历史。"
CORRECTION_ALREADY_APPLIED = "这条更正已经做过了。"
CORRECTION_EXPIRED = "这条更正已过期或已处理，请重新发送更正内容。"
CORRECTION_DROPPED = "已取消，记录没有改动。"
CORRECTION_PROBLEMS = {
    "none_found": (
        "没有找到要更正的记录：只能更正自己 7 天内登记的记录。"
        "请写明哪天的什么活动，例如「更正：12月3日主题党日实到31人」，或发送“我的记录”点「修改」。"
    ),
    "nothing_to_change": "找到第 {id} 号记录（{date} {type}），但没看出要改哪一项、改成什么。"
    "请写明新的内容，例如「实到应为31人」，或点下面的按钮修改。",
    "village": "第 {id} 号记录的村不能更正：如果是替别的村报的，请删除这条，由该村书记登记。",
}
CORRECTION_EMPTY_VALUE = "（空）"
CORRECTION_WHICH = "有几条记录都像是您要更正的，请选一条："
CORRECTION_CHOICE = "第{id}号 {month}月{day}日 {type}"
HISTORY_TITLE = "第 {id} 号记录的修改历史"
HISTORY_EMPTY = "这条记录登记后没有改动过。"
HISTORY_DELETED = "删除了这条记录"
