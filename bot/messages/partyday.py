"""Texts of the Party-day calendar and its reminders."""

from __future__ import annotations

# --- themed Party day: calendar and reminders --------------------------------------------------
WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
REMINDER_KIND_NAMES = {
    "before": "提前提醒",
    "day": "当天提醒",
    "followup": "未登记提醒",
    "summary": "登记情况汇总",
    "plan": "活动安排提醒",
    "orglife": "三会一课提醒",
    "orglife_summary": "三会一课月度汇总",
}
REMIND_BEFORE = (
    "【主题党日提醒】{village}党支部：\n"
    "本月主题党日是 {date}（{weekday}），还有 {days} 天。{moved}\n"
    "{theme}{tasks}{basis}"
    "活动后给我发一句话就能登记台账，例如“{example}”，照片可发可不发。\n"
    "不想收到这类提醒，发 /mute。"
)
REMIND_DAY = (
    "【主题党日】{village}党支部：今天（{date}）是本月主题党日。{moved}\n"
    "{theme}"
    "活动后发一句话即可登记，例如“{example}”。"
)
REMIND_FOLLOWUP = (
    "{village}党支部：本月主题党日（{date}）的活动，台账里还没有看到记录。"
    "如果已经开展，发一句话就能补登，例如“{example}”；如果因故推迟，请不必理会。"
    "本月不会再就此提醒。"
)
REMIND_MOVED = "（原定 {planned}，因{holiday}放假调整）"
REMIND_MOVED_PLAIN = "（原定 {planned}，因休息日调整）"
REMIND_THEME = "主题：{theme}\n"
REMIND_NO_THEME = "本月主题尚未发布，请留意县委组织部通知。\n"
REMIND_TASKS = "规定动作：\n{items}\n"
REMIND_BASIS = "依据：{citation}：“{text}”\n"
REMIND_EXAMPLE = "{month}月{day}日开展主题党日，应到党员30人，实到28人"
SUMMARY_TEXT = (
    "【{month}主题党日登记情况】{scope}\n"
    "截至 {date}，共 {total} 个党支部：已登记 {done} 个，尚未登记 {todo} 个。\n"
    "{by_township}"
    "尚未登记：{todo_names}\n"
    "已登记：{done_names}\n"
    "{unreachable}"
    "此汇总只发给您本人，供了解情况，不作排名、不公开。"
)
SUMMARY_TOWNSHIP_LINE = "{township}：已登记 {done}/{total}"
SUMMARY_UNREACHABLE = "另有 {count} 位书记无法收到机器人消息（可能已屏蔽），请电话联系：{names}\n"
SUMMARY_NONE = "无"
SUMMARY_MORE = "等共 {count} 个"
SCOPE_COUNTY = "全县"
CALENDAR_NO_RULES = (
    "还没有设置主题党日日历。管理员可用 `partybot calendar import 日历文件` 导入"
    "（示例见 knowledge/calendar/主题党日日历.yaml）。"
)
# to secretaries and staff, who cannot import one: who can
CALENDAR_NOT_SET = (
    "还没有设置主题党日日历，设置后这里会显示每月的日期和主题。如需要，请联系县里的管理员。"
)
CALENDAR_MONTH = "{month}：{date}（{weekday}）{moved}{basis}\n　主题：{theme}{tasks}"
CALENDAR_UNKNOWN_YEAR = (
    "提示：节假日数据暂未收录 {years} 年，这些月份按周末计算；"
    "国务院公布安排后请升级 chinesecalendar，或由管理员在日历“节假日”中补充。"
)
CALENDAR_RULES_HEADER = "各级规则（村 > 乡镇 > 全县）："
CALENDAR_USAGE = "用法：/calendar [月份]，例如 /calendar 2026-12"
CALENDAR_OFF = "主题党日日历和提醒没有开启，请联系管理员。"
SETTHEME_USAGE = (
    "用法：/settheme 月份 主题 | 规定动作1；规定动作2\n"
    "例如：/settheme 2026-12 学习贯彻全会精神 | 重温入党誓词；交纳党费"
)
SETTHEME_DONE = "已设置 {month} 的主题：{theme}（规定动作 {tasks} 项）。"
SETDAY_USAGE = (
    "用法：/setday 月份 日期 [乡镇] [村]，例如 /setday 2026-10 2026-10-12 城关镇\n"
    "取消调整：/setday 月份 取消 [乡镇] [村]"
)
SETDAY_DONE = "已把 {scope} {month} 的主题党日调整为 {date}（{weekday}）。"
SETDAY_CLEARED = "已取消 {scope} {month} 的调整，恢复按规则计算：{date}。"
SETDAY_NOTHING = "{scope} {month} 没有调整过。"
SETDAY_WRONG_MONTH = "日期 {date} 不在 {month} 内。"
MUTE_STATUS = "点按钮开关各类提醒（✅ 接收，🔕 不接收）："
MUTE_BUTTON = "{mark} {name}"
MUTE_CHANGED = "{name}：{state}"
MUTE_ON = "已关闭，不再发送"
MUTE_OFF = "已恢复接收"
CLI_CALENDAR_IMPORTED = (
    "已导入日历：规则 {rules} 条，调整 {overrides} 条，节假日 {days} 条，主题 {themes} 个月。"
)
CLI_CALENDAR_INVALID = "日历文件有问题，未导入任何内容：\n{problems}"
PREVIEW_HEADER = "{month} 将发送 {count} 条提醒（未发送，仅预览）："
PREVIEW_LINE = "{due}  {kind}  → {who}{status}"
PREVIEW_STATUS = {"muted": "（已关闭此类提醒，不发）", "unreachable": "（无法送达，不发）"}
PREVIEW_FOLLOWUP_NOTE = "未登记提醒按当前台账计算：到时已登记主题党日的支部不会收到。"
PREVIEW_TEXTS = "各类提醒的正文示例："
PREVIEW_NO_CALENDAR = "没有设置主题党日日历，不会发送任何提醒。"
CHROMA_UNREACHABLE = (
    "连不上向量库服务器 {where}：请确认 `chroma run` 已启动、CHROMA_SERVER（或 CHROMA_HOST、"
    "CHROMA_PORT）地址正确。"
)
DOCTOR_VECTORS_MISSING = (
    "有 {missing} 段没有向量（数据文件夹是新的，或向量库丢了）：运行 `partybot ingest` 即可补上。"
)
DOCTOR_NO_ADMIN = (
    "还没有管理员。请运行 `partybot users add --telegram-id 你的编号 --role 管理员`"
    "（或设置 ADMIN_IDS）添加第一个管理员。"
)
DOCTOR_LLM_UNREACHABLE = (
    "大模型接口 {url} 连不上（{reason}）：检查 LLM_BASE_URL，或删除它只用原文摘录回答。"
)
DOCTOR_LLM_KEY_REJECTED = "大模型接口拒绝了密钥：检查 LLM_API_KEY。"
DOCTOR_TELEGRAM_UNREACHABLE = (
    "连不上 Telegram（境内网络通常无法访问）：检查网络或 TELEGRAM_BASE_URL，"
    "或删除 TELEGRAM_BOT_TOKEN 改用其他渠道。"
)
DOCTOR_TELEGRAM_BAD_TOKEN = (
    "Telegram 不认这个令牌：请向 @BotFather 重新获取，写入 TELEGRAM_BOT_TOKEN。"
)
CLI_PHOTOS_EXPORTED = "已打包照片 {count} 张：{path}（原图不在的 {missing} 张）"
CLI_NO_OUTPUT_FOLDER = "输出文件夹 {folder} 不存在：请先建好这个文件夹，或换一个 --output 路径。"
CLI_BAD_DAY = "看不懂日期“{day}”，请写成 2026-07-01 这样"
CLI_BAD_MONTH = "看不懂月份“{month}”，请写成 2026-07、2026年7月、7月（今年）或 上月 这样。"
CLI_FILE_UNREADABLE = "无法读取 {path}：{error}"
STATUS_HEADER = "{month} 提醒发送情况："
STATUS_LINE = "{kind}：{counts}"
STATUS_NAMES = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已发送",
    "muted": "已关闭",
    "done": "已登记不再发送",
    "skipped": "超时未发",
    "unreachable": "无法送达",
    "failed": "发送失败",
    "uncertain": "进程中断、未确认",
}
STATUS_EMPTY = "{month} 还没有生成任何提醒。"

LEDGER_SENT_PRIVATELY = "台账查询结果已私信发给您。"
LEDGER_PRIVATE_FIRST = "台账只私信回复。请先私聊我（点我的头像，发送 /start），再问一次。"
