"""Texts of activity reports: the card, its fields, confirming."""

from __future__ import annotations

# --- activity reports ---------------------------------------------------------------------------
REPORT_TYPES = (
    "主题党日、支部党员大会、支部委员会、党小组会、党课、组织生活会、"
    "民主评议党员、志愿服务、集中学习、其他"
)
REPORT_CARD = (
    "请核对活动记录：\n"
    "日期：{date}\n村：{village}\n类型：{type}{tags}\n主题：{theme}\n"
    "应到：{expected}　实到：{attended}\n地点：{place}　主持人：{host}\n照片：{photos} 张"
)
REPORT_EMPTY_FIELD = "（未填）"
REPORT_MISSING = "还缺{field}，请直接回复{field}。"
REPORT_ASK_FIELD = "请回复新的{field}："
REPORT_FIELD_HINTS = {
    "date": "例如 6月10日、昨天、2023-06-10",
    "type": REPORT_TYPES,
    "expected": "一个数字",
    "attended": "一个数字",
}
REPORT_FIELD_ERRORS = {
    "bad_date": "没看懂这个日期，请换个写法，例如 6月10日 或 2023-06-10。",
    "future_date": "活动日期不能晚于今天，请核对。",
    "too_old": "这个日期早于台账的起始日期，请核对。",
    "more_than_expected": "实到人数不能多于应到人数，请核对（也可以修改应到人数）。",
    "bad_type": f"活动类型请从这些里选：{REPORT_TYPES}。",
    "bad_number": "请回复一个人数，例如 28。",
    "bad_text": "内容不能为空，也不要太长（主持人32字、其他100字以内）。",
    "unknown_field": "不能修改这一项。",
}
REPORT_BUTTON_CONFIRM = "确认"
REPORT_BUTTON_EDIT = "修改"
REPORT_BUTTON_CANCEL = "取消"
REPORT_SAVED = "已记入台账（第 {id} 号）。谢谢！"
REPORT_ALREADY_SAVED = "这条记录已经记入台账（第 {id} 号），不会重复保存。"
REPORT_CANCELLED = "已取消，这条记录没有保存。"
REPORT_EXPIRED = "这条草稿已过期或已处理，请重新发送活动情况。"
REPORT_USAGE = (
    "请用一两句话说明活动情况，例如：6月10日上午，张家村党支部开展主题党日活动，"
    "应到党员32人，实到28人。可以附照片（可选）。"
)
REPORT_PHOTO_NEEDS_TEXT = (
    "收到照片。请再发一句话说明活动情况（时间、类型、人数），照片会附在这条记录上。"
)
REPORT_SECRETARY_ONLY = "只有村党组织书记可以登记本村的活动。"
MYREPORTS_EMPTY = "您还没有登记过活动。"
MYREPORTS_LINE = "第{id}号 {date} {type}{theme}（实到 {attended}）"
MYREPORTS_DELETE = "删除第{id}号"
MYREPORTS_FIX = "修改第{id}号"
REPORT_CORRECTED = "第 {id} 号记录的{field}已更正。"
REPORT_DELETED = "第 {id} 号记录已删除。"
REPORT_NOT_DELETABLE = "只能修改或删除自己 7 天内登记的记录。"
EXPORT_USAGE = "用法：/export 月份，例如 /export 2023-06"
EXPORT_CAPTION = "{title}，共 {count} 条。"
EXPORT_PHOTOS_CAPTION = "活动照片 {count} 张，文件名开头的数字是台账的序号。"
EXPORT_PHOTOS_LEFT_OUT = (
    "另有 {count} 张没有打包（超过文件大小限制，或原图不在了）；"
    "需要全部照片请管理员用 `partybot report export --photos` 导出。"
)
NO_CJK_FONT = (
    "没有找到能显示中文的字体，无法画图。请安装 fonts-wqy-microhei 或 Noto Sans CJK 字体"
    "（Debian/Ubuntu：apt-get install fonts-wqy-microhei）。"
)
CHART_EMPTY = "本月暂无活动记录"
CHART_NONE = "未开展"
CHART_NO_TOWNSHIP = "（未填乡镇）"
CHART_NO_PARTY_DAY = "本月未开展主题党日的党组织（{n} 个）：{names}"
CHART_TITLE = "{scope} {month} 各村党组织活动"
CLI_CHART_SAVED = "已保存图表到 {path}（{count} 条活动）"
STATS_USAGE = "用法：/stats 月份，例如 /stats 2023-06"
REPORTS_USAGE = "用法：/reports [月份] [村] [乡镇] [类型]，例如 /reports 2023-06 志愿服务"
REPORTS_EMPTY = "没有符合条件的活动记录。"
REPORTS_LINE = "第{id}号 {date} {village} {type}（实到 {attended}）"
REPORTS_MORE = "……另有 {count} 条，可用 /export 导出完整台账。"
LEDGER_SIMILAR = "台账中与问题最相关的活动记录："
LEDGER_NOTHING_SIMILAR = "台账中没有找到相关的活动记录。"
CLI_REINDEXED = "已重建活动记录索引：{count} 条。"
