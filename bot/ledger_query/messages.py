"""What answers to ledger questions say (Chinese, every channel alike)."""

from __future__ import annotations

OUT_OF_VIEW = "{place}不在您的查看范围（您可以查看：{view}）。"
NO_SUCH_PLACE = "没有找到“{place}”：台账和已登记的支部里都没有这个名字（您可以查看：{view}）。"
SECRETARY_SEES_OWN = "您可以查看的是本村（{view}）的台账，其他村和全镇的情况请向乡镇组织办了解。"
WHICH_VILLAGE = "您的查看范围里有 {count} 个{village}：{choices}。请说明是哪一个："
ASK_AGAIN = "\n· {question}"
WHICH_OF_MINE = "请说明是哪个村，例如：{example}（您可以查看：{view}）"
DID_YOU_MEAN = "您是说{village}吗？"
READ_AS = "（按“{known}”查询）"
PERIOD_ALL = "全部"

NOTHING = "台账中没有找到{period}{where}的{what}记录。"
HEAD = "{period}{where}共有 {count} 条{what}记录"
HEAD_VILLAGES = "，涉及 {villages} 个村：{names}"
VILLAGES_DID = "{period}{where}有 {villages} 个村开展了{what}：{names}（共 {count} 条记录）。"
MISSING = "{period}{where}还没有{what}记录的村有 {missing} 个（共 {total} 个村）：{names}。"
NONE_MISSING = "{period}{where}{total} 个村都已有{what}记录。"
NO_BRANCHES = "您的查看范围里还没有登记的支部（您可以查看：{view}）。"
ATTENDANCE_HEAD = "{period}{where}{what}的到会人数："
LOGGED_YES = "已登记：{period}{where}有 {count} 条{what}记录。"
LOGGED_NO = "还没有登记：台账中没有{period}{where}的{what}记录。"
LINE = "{number}. {place} {date} {type}{theme}{attended}（台账第{id}号）"
LINE_ATTENDED = "，实到 {attended} 人"
LINE_ATTENDANCE = (
    "{number}. {place} {date} {type}：应到 {expected}，实到 {attended}（台账第{id}号）"
)
PEOPLE = "{count} 人"
NOT_GIVEN = "未登记"
MORE = "……另有 {count} 条，可用 /export 导出完整台账。"
