"""Texts of the chat: registration, commands and their menus, help, admin work, linking."""

from __future__ import annotations

# --- Telegram -----------------------------------------------------------------------------------
START_REGISTERED = (
    "您好，{name}（{role}{place}）。\n"
    "直接发问题即可，例如：主题党日多久开展一次？\n"
    "回答都摘自知识库原文并注明出处；知识库里没有的，会直接告诉您。\n"
    "开展活动后发一句话即可登记台账；/calendar 查看主题党日日期和主题，/mute 开关提醒。"
)
START_GUEST = (
    "您好！我是党建助手，可以查询党内法规和工作报告，回答都摘自原文并注明出处。\n"
    "请向县委组织部索取邀请码，然后直接把邀请码发给我（或发送：/start 邀请码）。"
)
GUEST_PUBLIC = "（未注册用户也可以提问。）"
NOT_REGISTERED = (
    "您还没有注册。请向县委组织部索取邀请码，然后直接把邀请码发给我（或发送：/start 邀请码）。"
)
REGISTERED = "注册成功：{role}{place}。现在可以直接提问了。"
REGISTRATION_ERRORS = {
    "unknown": "邀请码不正确，请核对后重试。",
    "used": "这个邀请码已经被使用过了，请向组织部索取新的邀请码。",
    "expired": "这个邀请码已过期，请向组织部索取新的邀请码。",
    "withdrawn": "这个邀请码已作废，请向组织部索取新的邀请码。",
    "revoked": "您的账号已被停用，不能再用邀请码注册。如需恢复，请联系管理员。",
    "throttled": "邀请码尝试次数过多，请一小时后再试，或联系组织部核对邀请码。",
}
ADMIN_ONLY = "这个功能只有管理员可以使用。"
STAFF_ONLY = "这个功能只有组织部门工作人员和管理员可以使用。"
ADMIN_FEATURE_OFF = "这个功能在这里没有开启，请用网页版或命令行。"
INVITE_USAGE = (
    "用法：/invite 角色 [乡镇] [村]（顺序随意）\n"
    "角色：书记（secretary）、工作人员（staff）、管理员（admin）\n"
    "例如：/invite 书记 城关镇 张家村；/invite 工作人员 城关镇；/invite 工作人员 全县"
)
INVITE_WORD_ERRORS = {
    "no_role": "没有写角色。",
    "two_roles": "写了两个角色，请只写一个。",
    "unknown_word": "“{word}”不是角色，也不像乡镇（…镇/乡/街道）或村（…村/社区）的名字。",
    "secretary_needs_branch": "村书记要同时写明乡镇和村（不同乡镇可能有同名的村）。",
    "staff_no_village": "工作人员按乡镇或全县授权，不绑定到村（{word}）。",
    "admin_no_place": "管理员管理全县，不需要写乡镇或村。",
}
INVITE_PREVIEW = (
    "将生成一个一次性邀请码：\n角色：{role}\n范围：{scope}\n"
    "持码人注册后只能看到这个范围的台账。确认无误请点“生成邀请码”。"
)
CLI_INVITE_USAGE = (
    "例如：partybot users invite --role 书记 --township 城关镇 --village 张家村；"
    "partybot users invite --role 工作人员 --township 城关镇"
)
INVITE_BUTTON_CREATE = "生成邀请码"
INVITE_BUTTON_CANCEL = "取消"
INVITE_CANCELLED = "已取消，没有生成邀请码。"
INVITE_NAMES_TOO_LONG = "乡镇或村的名字太长，请用命令行：partybot users invite。"
INVITE_CREATED = (
    "邀请码：{code}\n角色：{role}{place}\n有效期至：{expires}\n"
    "请私下发给本人，对机器人发送 /start {code} 即可注册。"
)
USERS_EMPTY = "还没有注册用户。"
USERS_LINE = "{user_id}  {name}  {role}{place}{unreachable}"
SETROLE_USAGE = "用法：/setrole 用户ID 角色（secretary、staff、admin）"
REVOKE_USAGE = "用法：/revoke 用户ID"
RESTORE_USAGE = "用法：/restore 用户ID（恢复已停用的用户，角色和村镇不变）"
RESTORED = "已恢复 {user_id} 的使用权限：{role}{place}。"
NOT_REVOKED = "{user_id} 没有被停用（或不存在）。"
USER_NOT_FOUND = "没有找到这个用户。"
ROLE_CHANGED = "已将 {user_id} 的角色改为{role}。"
REVOKED = "已停用 {user_id} 的使用权限。"
ASK_USAGE = "用法：/ask 问题，例如：/ask 主题党日多久开展一次？"
VIEW_SOURCE = "查看原文"
FEEDBACK_THANKS = "谢谢反馈！"
FEEDBACK_EXPIRED = "这条回答已过期，无法记录反馈。"
BUTTON_STALE = "这个按钮已失效。"
SOURCE_MISSING = "原文已不在知识库中（可能已更新或删除）。"
TG_TOO_LONG = "消息太长了，请精简到 {limit} 字以内再发。"
TG_FLOOD = "您发得太快了，请稍等片刻再试。"
TG_ERROR = "抱歉，处理您的消息时出错了，请稍后再试。管理员已收到通知。"
TG_ADMIN_ERROR = "机器人出错：{error}\n（详细信息见日志）"
UPLOAD_TYPE = "不支持这种文件。请上传 .docx、.pdf、.txt、.md 或 .html 文件。"
UPLOAD_SIZE = "文件太大（{size:.1f} MB），请上传 {limit} MB 以内的文件。"
UPLOAD_RECEIVED = "已收到《{name}》，正在编入知识库……"
UPLOAD_NOT_RECEIVED = "没能收到《{name}》，请重新发送。"
UPLOAD_DONE = "《{title}》已编入知识库：{chunks} 段，{articles} 条。现在可以提问了。"
UPLOAD_UNCHANGED = "《{title}》与知识库中的版本相同，无需更新。"
UPLOAD_FAILED = "《{name}》未能编入知识库：{reason}。文件没有保存，请修正后重新上传。"
UPLOAD_RENAMED = (
    "知识库中已有同名而内容不同的文件，新文件另存为 {saved_as}，两者都保留"
    "（同一文件的新版本回答时优先引用）。如要替换旧文件，请用 /deldoc 删除旧的。"
)
DOCS_EMPTY = "知识库中还没有文件。"
DOCS_LINE = "{n}. 《{title}》 {issued} — {source}"
DELDOC_USAGE = "用法：/deldoc 文件名（用 /docs 查看文件名）"
DELDOC_DONE = "已从知识库删除：{source}"
DELDOC_MISSING = "知识库中没有这个文件：{source}"
BROADCAST_USAGE = (
    "用法：/broadcast 对象 通知内容\n对象：全体、role:secretary、role:staff、township:城关镇\n"
    "例如：/broadcast township:城关镇 请于本周五前报送主题党日开展情况。"
)
BROADCAST_PREVIEW = "将发送给 {count} 人（{audience}）：\n\n{text}\n\n确认发送吗？"
BROADCAST_CONFIRM = "确认发送"
BROADCAST_CANCEL = "取消"
BROADCAST_CANCELLED = "已取消，未发送。"
BROADCAST_STARTED = "开始发送……"
BROADCAST_ALREADY = "这条通知已经处理过了。"
NOTICE_PREFIX = "【通知】"
# notes on a broadcast's progress to the admin who sent it, through the admin's own channel
BROADCAST_PROGRESS = "发送中：已送达 {sent} / {total}，无法送达 {unreachable}，失败 {failed}。"
BROADCAST_DONE = (
    "发送完成：已送达 {sent} / {total}，"
    "无法送达 {unreachable}（已停用或收不到消息），失败 {failed}。"
)
# The command menu per role (Telegram shows it per chat); everyone's first.
TG_COMMANDS = {
    "help": "能做什么（附例子）",
    "start": "开始使用 / 注册",
    "calendar": "主题党日日历",
    "mute": "开关提醒",
}
TG_COMMANDS_SECRETARY = {
    "report": "登记活动",
    "myreports": "我登记的活动",
    "link": "绑定其他渠道（钉钉、企业微信）",
}
TG_COMMANDS_STAFF = {
    "reports": "查台账",
    "export": "导出台账（Excel）",
    "stats": "月度图表",
    "link": "绑定其他渠道（钉钉、企业微信）",
}
TG_COMMANDS_ADMIN = {
    "invite": "生成邀请码",
    "users": "用户列表",
    "docs": "知识库文件",
    "broadcast": "群发通知",
    "settheme": "设置月度主题",
    "setday": "调整主题党日日期",
}

# --- help ----------------------------------------------------------------------------------------
HELP_GUEST = (
    "我是党建助手。请先用管理员给的邀请码注册：/start 邀请码\n"
    "注册后可以：问党内法规（例如：主题党日多久开展一次？）、登记活动、查主题党日日历。"
)
HELP_SECRETARY = (
    "您可以这样用我：\n"
    "· 问政策：直接发问题，例如“发展党员要经过哪些程序？”\n"
    "· 登记活动：活动开展后发一句话，例如“6月10日张家村开展主题党日，应到30人实到28人”，"
    "可以带照片；核对卡片后点“确认”\n"
    "· 看自己登记的：/myreports\n"
    "· 问本村台账：例如“今年开了几次主题党日？”\n"
    "· 主题党日日期和主题：/calendar；开关提醒：/mute\n"
    "· 在其他渠道（钉钉、企业微信等）也用这个账号：发送“绑定其他渠道”，按提示操作\n"
    "· 在电脑或手机浏览器上用网页版：/web"
)
HELP_STAFF = (
    "您可以这样用我：\n"
    "· 问政策：直接发问题，例如“支部委员会多久召开一次？”\n"
    "· 问台账：例如“六月份哪些村开展了志愿服务？”\n"
    "· 查台账：/reports 2023-06 张家村；导出 Excel：/export 2023-06；图表：/stats 2023-06\n"
    "· 主题党日日历：/calendar\n"
    "· 每月最后一个工作日收三会一课汇总（只有数字）：/orglife_summary on\n"
    "· 在其他渠道（钉钉、企业微信等）也用这个账号：发送“绑定其他渠道”，按提示操作\n"
    "· 在电脑上用网页版（台账表格、导出、知识库）：/web"
)
HELP_ADMIN = (
    "管理员另外可以：\n"
    "· 邀请用户：/invite 书记 城关镇 张家村（或 /invite 工作人员 城关镇）\n"
    "· 知识库：直接发文件添加；/docs 查看；/deldoc 文件名 删除\n"
    "· 群发通知：/broadcast 全体 通知内容\n"
    "· 日历：/settheme、/setday"
)
WEB_LINK = (
    "请在 24 小时内打开下面的链接，设置网页版的登录名和密码（链接只能用一次，请勿转发）：\n{url}"
)
CLI_WEB_STARTED = "网页版已启动：http://{host}:{port}/"
CLI_WECOM_STARTED = "企业微信回调服务已启动：http://{host}:{port}/wecom/callback"
CLI_PASSWORD_PROMPT = "网页版密码："
CLI_PASSWORD_AGAIN = "再输一遍："
CLI_PASSWORD_MISMATCH = "两次输入的密码不一致，没有修改。"
CLI_PASSWORD_WEAK = "密码至少 8 位，不能是简单重复的数字；没有修改。"
CLI_NO_WEB_LOGIN = (
    "没有网页版登录名“{login}”。先添加：partybot users add --channel web --external-id {login} "
    "--role 角色 …"
)
CLI_PASSWORD_SET = "已为“{login}”设置网页版密码。"
WEB_PHOTO_UNREADABLE = "照片没有收到：请上传 JPEG 或 PNG 照片，每张不超过上传上限，一次最多 9 张。"
WEB_NOT_ENABLED = "本县还没有开通网页版，请联系管理员。"
WEB_ALREADY_HERE = "您已经在网页版上了。修改密码请联系管理员。"
# one person on several channels (bot.people.linking): /link, 绑定其他渠道
LINK_CODE = (
    "您的绑定码：{code}\n"
    "请在 {minutes} 分钟内，用要绑定的另一个渠道（如钉钉、企业微信）把这个码直接发给我，"
    "那个账号就会和现在这个账号算作同一个人（角色、范围、台账、提醒设置都一样）。"
    "绑定码只能用一次，请勿转发给别人。"
)
LINKED = "绑定成功：这个账号已和您原来的账号合为同一个人（{role}{place}）。"
LINK_ERRORS = {
    "used": "这个绑定码已经用过了。如需再绑定一个渠道，请在已注册的渠道发送 /link 获取新码。",
    "expired": "这个绑定码已过期（10 分钟内有效）。请在已注册的渠道重新发送 /link 获取新码。",
    "revoked": "该账号已被停用，不能绑定其他渠道。如需恢复，请联系管理员。",
    "taken": (
        "这个账号已经属于另一位用户，不能再绑定。为免把两个人的记录混在一起，系统不会自动合并；"
        "如确需调整，请联系管理员。"
    ),
    "yours": "这个账号已经是您的了，不需要再绑定。",
    "no_user": "没有这个用户（用户编号见 partybot users list 每行末尾的 #编号）。",
    "throttled": "尝试次数过多，请一小时后再试。",
}
CLI_LINKED = "已把 {channel}:{external_id} 绑定到用户 #{user_id}（{role}{place}）。"
UNKNOWN_COMMAND = "没有“{command}”这个命令。"
MEDIA_UNSUPPORTED = "请发文字或照片。语音、表情、视频我还看不懂。"
PLAN_NOT_LOGGED = (
    "收到，这是{when}{what}的安排，不会记入台账。"
    "活动开展后，请再发一句经过情况（日期、参加人数等），我再帮您登记。"
)
PLAN_REMIND_BUTTON = "当天提醒我登记"
PLAN_REMINDER_SET = "好的，{when}下午会提醒您登记。"
PLAN_REMINDER_NOT_SET = "这个日期已经过了（或已经设过提醒），不再另设提醒。"
PLAN_REMINDER = (
    "今天（{when}）是您安排{what}的日子。开展后发一句话（日期、参加人数等）即可登记台账。"
)
REPORT_OTHER_VILLAGE = (
    "注意：文中写的是“{named}”，您只能为本村登记，确认后将记在“{own}”名下。"
    "如果是{named}的活动，请由该村书记登记。"
)
