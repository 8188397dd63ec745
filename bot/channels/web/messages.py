"""The web console's own texts (page labels are in the templates)."""

from __future__ import annotations

LOGIN_ERRORS = {
    "wrong": "登录名或密码不对。",
    "throttled": "登录失败次数太多，请 15 分钟后再试。",
    "revoked": "您的账号已停用，请联系管理员。",
    "weak": "密码至少 8 位，不能是简单重复的数字。",
    "bad_login": "登录名只能用 2–64 位字母、数字和 _ . @ -。",
    "taken": "这个登录名已经有人用了，请换一个。",
    "link": "链接无效。请在聊天里重新发 /web 获取新链接。",
    "used": "这个链接已经用过了。请在聊天里重新发 /web 获取新链接。",
    "expired": "链接已过期。请在聊天里重新发 /web 获取新链接。",
    "unknown": "邀请码不对，请核对后再输入。",
    "withdrawn": "邀请码已作废，请向管理员要新的。",
    "mismatch": "两次输入的密码不一致。",
    "code_throttled": "邀请码输错的次数太多，请一小时后再试。",
}
LOGGED_OUT = "已退出登录。"
PASSWORD_SET = "密码已设置，请用登录名“{login}”登录。"
FORBIDDEN = "您没有权限打开这个页面。"
NOT_FOUND = "没有找到这个页面，或者您无权查看。"
CSRF_FAILED = "页面已过期，请刷新后重试。"
TOO_LARGE = "上传的内容太大（上限 {limit} MB）。"
SERVER_ERROR = "服务器出错了，已记录。请稍后重试；您填写的内容没有保存。"
BAD_INPUT = "填写的内容有误：{detail}"
LOGIN_NEEDED = "请先登录。"
UPLOAD_CRASHED = "编入知识库时出错，已记录，请稍后重试。"
UPLOAD_NONE = "请选择要上传的文件。"
UPLOAD_TYPE = "《{name}》：不支持这种文件，请上传 .docx、.pdf、.txt、.md 或 .html。"
UPLOAD_SIZE = "《{name}》：文件太大（{size:.1f} MB），上限 {limit} MB。"
UPLOAD_NAME_TOO_LONG = (
    "《{name}》：文件名太长（{length} 字节，上限 {limit} 字节），请改短文件名后再上传。"
)
UPLOAD_QUEUED = "已收到 {count} 个文件，正在逐个编入知识库。"
DELETED = "已从知识库删除《{source}》。"
DELETE_MISSING = "知识库中没有《{source}》。"
REINDEXED = "知识库文件夹已重新索引：{summary}。"
REINDEX_STATUS = {
    "added": "新增",
    "updated": "更新",
    "repaired": "修复",
    "unchanged": "未变",
    "removed": "移除",
    "failed": "失败",
    "skipped": "跳过",
}
THEME_SAVED = "{month} 的主题已保存。"
DAY_SAVED = "{scope}{month} 的主题党日改为 {day}。"
DAY_CLEARED = "{scope}{month} 的调整已取消，恢复按规则计算。"
DAY_NOTHING = "{scope}{month} 没有调整过，无需取消。"
DAY_WRONG_MONTH = "日期 {day} 不在 {month} 内。"
BAD_DAY = "日期写法不对，请写成 2026-07-01 这样的格式。"
BAD_MONTH = "月份写法不对，请写成 2026-07 这样的格式。"
THEME_EMPTY = "请填写主题。"
CALENDAR_OFF = "本县没有启用主题党日日历。"
CALENDAR_IMPORTED = (
    "已导入：规则 {rules} 条，调整 {overrides} 条，调休日 {days} 天，主题 {themes} 个。"
)
CALENDAR_IMPORT_TYPE = "日历文件要用 .yaml 或 .xlsx 格式。"
CALENDAR_IMPORT_FAILED = "日历文件有问题，没有导入任何内容："
BROADCAST_EMPTY = "请填写通知内容。"
BROADCAST_AUDIENCE = "发送对象不对。"
BROADCAST_CONFIRMED = "已确认，正在由各聊天渠道发送。"
BROADCAST_CANCELLED = "已取消，这条通知不会发出。"
BROADCAST_GONE = "这条通知已经确认或取消过了。"
INVITE_MADE = (
    "邀请码：{code}（{days} 天内有效，只能用一次）。"
    "对方在聊天里发 /start {code}，或在网页登录页点“用邀请码注册”。"
)
INVITE_NEEDS_VILLAGE = "书记的邀请码要写明村。"
ROLE_SET = "已把 {name} 设为 {role}。"
REVOKED = "已停用 {name}。"
RESTORED = "已恢复 {name}。"
USER_MISSING = "没有这个用户。"
LINK_MADE = "请把这个一次性链接交给 {name}（24 小时内有效）：{url}"
LINK_NO_URL = "没有设置 WEB_PUBLIC_URL，无法生成完整链接；链接路径：{path}"
ORGLIFE_RULES_SAVED = "三会一课规则已保存（{count}条），下次查询、提醒即按新规则。"
ORGLIFE_RULES_REFUSED = "三会一课规则有误，没有保存，正在使用的规则不变："
ORGLIFE_RULES_FILE_BAD = "规则文件现在有误，正在使用的是原来的规则："
ORGLIFE_RULES_UNWRITABLE = "规则文件写不进去（{path}），没有保存。请检查目录权限。"
PARTYDAY_RULES_SAVED = "主题党日规则已保存（{count}条）。"
PARTYDAY_RULES_REFUSED = "主题党日规则有误，没有保存，正在使用的规则不变："
PARTYDAY_RULES_ONLY = "这里只编辑“规则”一节；主题、调整、节假日请在日历页设置或导入文件。"
PARTYDAY_RULES_EMPTY = "至少要写一条规则（例如“- 规则: 每月10日”）。"
