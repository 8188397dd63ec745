"""What the 三会一课 status and its rules file say (Chinese, user-facing)."""

RULES_NOT_YAML = "三会一课规则文件第{line}行：格式不对（不是有效的 YAML），请检查缩进和冒号。"
RULES_NO_RULES = "三会一课规则文件第{line}行：没有找到“规则:”列表。"
RULES_BAD_ITEM = "三会一课规则文件第{line}行：每条规则要写“活动”和“要求”。"
RULES_UNKNOWN_KIND = "三会一课规则文件第{line}行：不认识的活动类型“{kind}”。"
RULES_BAD_FREQUENCY = (
    "三会一课规则文件第{line}行：看不懂要求“{said}”，请写成 每月1次、每季度至少1次、每年至少1次。"
)
RULES_TWICE = "三会一课规则文件第{line}行：“{kind}”已经有一条规则了。"
RULES_BAD_EXEMPT = "三会一课规则文件第{line}行：豁免写成“活动: [乡镇/村, 村]”的列表。"
RULES_EXEMPT_NO_RULE = "三会一课规则文件第{line}行：豁免的“{kind}”没有对应的规则。"
RULES_UNREADABLE = "三会一课规则文件 {path} 读不出来（应为 UTF-8 文本）。"
RULES_KEPT = "三会一课规则文件有误，继续使用原来的规则：\n{problems}"

DONE_ITEM = "√ {kind}（{frequency}）：已开展 {dates}"
DUE_ITEM = "○ {kind}（{frequency}）：还差{missing}次，{period}还剩{days}天"
DUE_ITEM_CLOSED = "○ {kind}（{frequency}）：{period}未开展（已结束）"
BRANCH_TITLE = "{branch} {month}三会一课情况："
BRANCH_ALL_DONE = "本期要求的都已开展。"
EXEMPT_ITEM = "（{kind}：本支部不要求）"
TABLE_TITLE = "{scope} {month}三会一课情况（{count}个支部）："
TABLE_ROW = "{branch}：已开展 {done}；待开展 {due}"
TABLE_NONE = "—"
COUNTY_TITLE = "全县 {month}三会一课情况（各乡镇还有待开展事项的支部数）："
COUNTY_ROW = "{township}：{count}个支部，{due}个还有待开展事项"
COUNTY_MORE = "要看某个乡镇各支部的明细，请问“城关镇这个月三会一课情况”这样的话。"
NO_BRANCHES = "您的查看范围内还没有登记的支部。"
NOT_IN_VIEW = "不在您的查看范围。"

# the private reminder before a period ends, and the staff's monthly summary
REMINDER_TITLE = "【三会一课提醒】{village}党支部：台账里本支部以下事项还没有记录："
REMINDER_FOOT = (
    "已开展的请登记（例如发“12月20日开了党课”）；有疑问请问乡镇。不想收到这类提醒：发送 /mute。"
)
SUMMARY_TITLE = (
    "【三会一课月度汇总】{scope} {month}（截至{day}日）：{count}个支部，{due}个还有待开展事项。"
)
SUMMARY_ITEM = "{kind}：{count}个支部待开展"
SUMMARY_ALL_DONE = "各支部本期要求的都已开展。"
SUMMARY_FOOT = "各支部明细请问“这个月三会一课情况”。退订：发送 /orglife_summary off"
SUMMARY_COUNTY = "全县"
SUMMARY_ON = (
    "已订阅：每月最后一个工作日上午发您{scope}的三会一课汇总（只有数字）。"
    "退订：/orglife_summary off"
)
SUMMARY_OFF = "已退订三会一课月度汇总。"
SUMMARY_STATE = (
    "三会一课月度汇总：{state}。订阅发送 /orglife_summary on，退订发送 /orglife_summary off"
)
SUMMARY_STATE_ON = "已订阅"
SUMMARY_STATE_OFF = "未订阅"
SUMMARY_STAFF_ONLY = "三会一课月度汇总只发给乡镇和县里的工作人员。"
SUMMARY_UNAVAILABLE = "三会一课提醒没有开启。"
