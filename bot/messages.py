"""Every user-facing string, in one place."""

from __future__ import annotations

NO_ANSWER = (
    "知识库中没有找到相关内容，无法依据现有文件回答这个问题。"
    "请换个说法，或联系组织部门确认；如有新文件，可请管理员补充到知识库。"
)
INDEX_EMPTY = "知识库还是空的：请把文件放进知识库文件夹后运行 `partybot ingest`。"
INDEX_MISMATCH = (
    "知识库索引是用「{built_with}」建立的，当前使用的是「{current}」。"
    "请重新运行 `partybot ingest` 重建索引。"
)
MODEL_UNAVAILABLE = (
    "找不到向量模型「{model}」：本机没有它的文件。"
    "请把模型文件夹放到本机后用 PARTYBOT_EMBEDDING_MODEL 指向它，"
    "或运行 `partybot download-model`（需要能访问 Hugging Face 或镜像 HF_ENDPOINT）。"
)
MODEL_NEEDS_BGE_EXTRA = (
    "向量模型「{model}」需要可选组件 bge（sentence-transformers 和 CPU 版 torch），默认安装不含它。"
    "请运行 `scripts/setup bge` 安装后重试；"
    "或删除 PARTYBOT_EMBEDDING_MODEL 设置，使用内置的 e5-small 模型。"
)
LLM_NEEDS_EXTRA = (
    "已设置大模型（LLM_BASE_URL、LLM_MODEL），但没有安装可选组件 llm。"
    "请运行 `scripts/setup llm`；或删除这两项设置，只用原文摘录回答。"
)
DOWNLOAD_UNREACHABLE = "无法连接模型下载地址 {endpoint}。可设置 HF_ENDPOINT 指向可用镜像后重试。"
DOWNLOAD_DONE = "已下载 bge-small-zh-v1.5 到 {path}。请运行 `partybot ingest` 用新模型重建索引。"

ANSWER_HEADER = "根据知识库中的文件："
ANSWER_LOW_HEADER = "知识库中没有找到直接的规定，以下条文可能相关，仅供参考："
MISSING_DOCUMENT = (
    "知识库中没有《{title}》，无法依据它回答。如需查询这个文件，请管理员把它加入知识库。"
)
MISSING_ARTICLE = "《{title}》共{count}条，没有第{number}条。请核对条号。"
MISSING_ARTICLE_NO_ARTICLES = "《{title}》中没有第{number}条。"
WHICH_DOCUMENT = "请说明是哪个文件的第{number}条，例如：党章第{number}条。"
SELF_INTRODUCTION = (
    "您好！我是党建助手，可以查询党内法规和县里的工作报告，回答都摘自文件原文并注明出处，"
    "知识库里没有的会直接说明。直接发问题就行，例如：主题党日多久开展一次？党章第十条讲的什么？"
)
TASK_DECLINED = (
    "我只能依据知识库中的文件原文回答问题，不能代写材料、扮演角色，也不会编写或改动文件内容。"
)
SOURCE_OF_PREVIOUS = "上一条回答引自{citations}。"
SOURCE_NO_PREVIOUS = "还没有上一条回答。请先提一个问题。"
ANSWER_VERSION = "（引自{version}）"
ANSWER_MORE = "以上为原文摘录，完整内容可查看原文。"
ANSWER_ARTICLE_HEADER = "{citation}原文如下："
GENERATED_FOOTER = "——以上由大模型依据下列原文归纳，以原文为准。"

CHAT_WELCOME = "党建助手（终端版）。直接输入问题，输入 /quit 退出，/help 查看帮助。"
CHAT_WELCOME_AS = (
    "党建助手（终端版），以“{name}”的身份。可以提问、登记活动、问台账；"
    "输入 /quit 退出，/help 查看帮助。"
)
CHAT_SAVED = "文件已保存：{path}"
CHAT_NO_FILE = "没有这个文件：{path}（发送文件：/file 路径）"
CHAT_BUTTONS_HINT = "（输入方括号里的字即可选择）"
CHAT_AS_UNKNOWN = (
    "找不到用户“{who}”。请用 partybot users list 查看，--as 后写用户编号、渠道:账号或姓名。"
)
CLI_UNKNOWN_ROLE = "不认识的角色“{role}”：请写 书记/secretary、工作人员/staff 或 管理员/admin。"
CHAT_HELP = "直接输入政策问题即可，例如：主题党日多久开展一次？\n/quit 退出"
CHAT_PROMPT = "问> "
CHAT_BYE = "再见。"
CHAT_NO_SOURCE = "上一条回答没有引用出处。"
CHAT_SOURCE_USAGE = "请输入 /source 加出处编号，例如 /source 1"
EMPTY_QUESTION = "请输入问题。"
QUESTION_TOO_LONG = "问题太长了（超过 {limit} 字），请精简后再问。"

INGEST_REASONS = {
    "unsupported": "不支持的文件类型（支持 .docx .pdf .txt .md .html）",
    "unreadable": "文件无法读取",
    "empty": "文件没有可提取的文字",
    "corrupt": "文件已损坏或格式不正确，无法打开",
    "encoding": "无法识别文字编码（请另存为 UTF-8 或 GBK）",
    "needs_ocr": (
        "PDF 没有文字层（可能是扫描件）。"
        "安装文字识别组件（pip install -e .[ocr]）后重新索引即可识别"
    ),
    "ocr_failed": "扫描件的 {detail} 页都没能识别出文字（可能太模糊），请换清晰的扫描件",
    "too_large": "文件太大（{detail} MB），超过单个文件的上限；请拆分后再放入",
    "zip_too_large": "文件解压后过大（约 {detail} MB），可能是异常文件，未读取",
    "too_many_pages": "PDF 页数过多（{detail} 页），超过上限；请拆分后再放入",
    "too_long": "文字太多（约 {detail} 万字），超过单个文件的上限；请拆分后再放入",
    "encrypted": "PDF 有密码保护，无法读取；请另存为不加密的 PDF",
    "binary": "不是文字文件（可能是程序或图片改了扩展名）",
    "timeout": "解析超过 {detail} 秒仍未完成，已停止（可能是异常文件）",
    "parser_died": "解析时耗尽内存或出错，已停止（可能是异常文件）",
    "hidden": "隐藏文件或临时文件",
    "link_outside": "链接指向知识库文件夹以外，为安全起见不读取",
    "link_loop": "链接形成循环",
    "broken_link": "链接指向的文件不存在",
    "special": "不是普通文件",
}
INGEST_STATUS = {
    "added": "新增",
    "updated": "更新",
    "repaired": "修复",
    "unchanged": "未变",
    "deleted": "已删除",
    "failed": "失败",
    "skipped": "跳过",
}
INGEST_SUMMARY = (
    "索引完成：新增 {added}，更新 {updated}，修复 {repaired}，删除 {deleted}，未变 {unchanged}，"
    "失败 {failed}，跳过 {skipped}。"
)


def ingest_reason(reason: str | None, detail: str = "") -> str:
    """The Chinese reason for a failed or skipped file, with its figure where it has one."""
    template = INGEST_REASONS.get(reason or "", reason or "")
    return template.format(detail=detail) if "{detail}" in template else template


INGEST_OCR_NOTE = "（扫描件，文字识别 {pages} 页{unreadable}）"
INGEST_OCR_UNREADABLE = "；第 {pages} 页没能识别，请核对原件"
INGEST_OCR_PROGRESS = "文字识别 {source}：第 {page}/{total} 页"
INGEST_REBUILT = "向量模型已更换为「{name}」，已重建全部索引。"
INGEST_NOT_FOUND = "路径不存在：{path}"

DOCTOR_TITLE = "党建助手 自检"
GATE_UNCALIBRATED = (
    "向量模型「{embedder}」没有校准过拒答判断，目前只凭关键词决定是否拒答。"
    "可运行 `python -m bench.calibrate_gate --embedder 模型 --write` 校准。"
)
VOCABULARY_INVALID = "词表文件 {path} 有问题，请改正后重新启动：\n{problems}"
DB_STATUS = "数据库结构版本：{recorded}（最新：{head}）"
DB_OK = "数据库结构完整，已是最新版本。"
DB_NEEDS_UPGRADE = "数据库结构需要升级：下次启动时会自动升级，也可以运行 `partybot db repair`。"
DB_HALF_APPLIED = (
    "数据库结构有升级中断留下的半成品表：{tables}。"
    "运行 `partybot db repair` 即可修复（不会丢失数据）。"
)
DB_MISSING_TABLES = "数据库缺少这些表：{tables}。请从备份恢复数据库，或联系技术支持。"
DB_PRUNED = (
    "已删除 {days} 天前的记录：更新 {updates} 条，提醒 {reminders} 条（计划 {slots} 条），"
    "通知送达记录 {deliveries} 条，草稿 {drafts} 条，邀请码尝试 {invite_attempts} 条。"
)
DB_REPAIRED = "已清理升级中断留下的表：{tables}，并升级到最新版本。"
DB_REPAIR_HAS_ROWS = (
    "数据库中 {tables} 表处于升级中断的状态，但里面已有数据，为免丢失没有自动清理。"
    "请先备份数据目录（或数据库），再联系技术支持处理。"
)
TELEGRAM_TOKEN_MISSING = (
    "没有设置 TELEGRAM_BOT_TOKEN，无法启动 Telegram 机器人。可以先用 `partybot chat`。"
)
CLI_INVITE_CREATED = (
    "邀请码：{code}（有效期至 {expires}）。本人对机器人发送 /start {code} 即可注册。"
)
CLI_BAD_SETTINGS = "配置有误（环境变量或 .env，说明见 .env.example）：\n{problems}"
# pydantic's error types, as a county IT person reads them; {…} from the error's context
SETTINGS_ERRORS = {
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "date_parsing": "应为日期，例如 2023-01-01",
    "date_from_datetime_parsing": "应为日期，例如 2023-01-01",
    "missing": "必须填写",
}
DB_MISSING = (
    "数据库“{name}”不存在。请先建库"
    "（例如 `createdb {name}`，或在 psql 里 CREATE DATABASE {name};），"
    "再运行本命令；也可以改 DATABASE_URL 指向已有的库。"
)
DB_LOGIN_FAILED = "数据库拒绝了用户“{user}”的登录：请检查 DATABASE_URL 里的用户名和密码。"
DB_UNREACHABLE = (
    "连不上数据库 {where}（{reason}）。请确认数据库服务已启动、DATABASE_URL 里的地址和端口正确，"
    "并且本机能访问它。"
)
DB_SQLITE_FAILED = "打不开数据库文件 {path}（{reason}）：请检查该文件夹存在且当前用户有写权限。"
CLI_CANNOT_WRITE = (
    "无法写入 {path}（{reason}）。请确认文件夹存在、当前用户有写权限"
    "（数据文件夹由 PARTYBOT_DATA_DIR 设置）。"
)
SETTINGS_ERROR_OTHER = "取值“{value}”无效"
CLI_USER_ADDED = "已添加用户 {telegram_id}：{role}。"
CLI_EXPORTED = "已导出 {count} 条活动记录到 {path}"
LEDGER_TITLE = "{scope} {month} 党组织活动台账"  # month: 2026年12月

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

# argparse's own words (usage, errors), for the `partybot` command: looked up by their English
# text, which argparse passes through gettext
ARGPARSE = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "参数",
    "show this help message and exit": "显示帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：出错了：%(message)s\n（加 -h 查看用法）\n",
    "the following arguments are required: %s": "缺少必填参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "无效的选项 %(value)r（可选：%(choices)s）"
    ),
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "后面要跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "not allowed with argument %s": "不能和 %s 同时使用",
    "one of the arguments %s is required": "%s 必须填一个",
    "ambiguous option: %(option)s could match %(matches)s": (
        "选项 %(option)s 不明确，可能是 %(matches)s"
    ),
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "打不开“%(filename)s”：%(error)s",
}

WECOM_CHOOSE = "请选择"
WECOM_CARD_DONE = "已处理"
WECOM_REPLY_WITH = "请回复：{labels}"
WECOM_SETTINGS_MISSING = (
    "企业微信还没有配置：请在 .env 里填写 WECOM_CORP_ID、WECOM_AGENT_ID、WECOM_SECRET、"
    "WECOM_TOKEN、WECOM_AES_KEY（在企业微信管理后台“应用管理 → 自建应用”里查看）。"
)
CLI_WECOM_MENU_SET = "已设置企业微信应用的菜单：问答、台账、我的（成员重新进入应用后可见）。"
CLI_WECOM_REFUSED = "企业微信拒绝了这个请求（错误码 {errcode}）：{hint}"
CLI_WECOM_HINTS = {
    40001: "应用的 Secret 不对，请核对 WECOM_SECRET。",
    40013: "企业ID不对，请核对 WECOM_CORP_ID。",
    60020: "本服务器的 IP 不在应用的“企业可信IP”里，请在管理后台添加。",
    48002: "应用没有这个接口的权限，请在管理后台检查应用的权限。",
}
CLI_WECOM_HINT_OTHER = "请核对应用的 Secret、可信IP和权限。"
CLI_WECOM_BIND_USAGE = (
    "例如：partybot wecom bind zhangsan lisi --role 书记 --township 城关镇 --village 张家村"
)
CLI_WECOM_BINDINGS = {
    "bound": "已绑定 {user}（{name}）：{role}",
    "not_found": "通讯录里没有 {user}：请核对 UserID（在管理后台“通讯录 → 成员详情”里查看账号）。",
    "not_visible": "{user} 不在本应用的可见范围内：请在“应用管理 → 本应用 → 可见范围”里加上。",
}
DOCTOR_WECOM_REJECTED = (
    "企业微信不认这组凭证：请核对 WECOM_CORP_ID 和 WECOM_SECRET（应用的 Secret）。"
)
DOCTOR_WECOM_UNREACHABLE = (
    "连不上企业微信接口 {url}：检查网络，或 WECOM_API_BASE_URL（私有部署的地址）。"
)


# --- admin-cli: ingest safety and a new admin's mistakes (issue 25) ---
CLI_PRUNE_HELP = "允许删除超过一半（或全部）已索引的文档（文件确实删掉了时才用）"
INGEST_FOLDER_PROBLEMS = {
    "missing": (
        "知识库文件夹 {path} 不存在：什么也没有删除。"
        "请检查 PARTYBOT_KNOWLEDGE_DIR 是否写错、文件夹是否已挂载，改好后再运行。"
    ),
    "not_folder": (
        "{path} 不是文件夹：什么也没有删除。请把 PARTYBOT_KNOWLEDGE_DIR 设为知识库文件夹。"
    ),
    "unreadable": (
        "知识库文件夹 {path} 无法读取（{detail}）：什么也没有删除。"
        "请检查文件夹的权限或挂载，改好后再运行。"
    ),
}
INGEST_TOO_MANY_REMOVALS = (
    "这次索引会从知识库删除 {count} 个文档（已索引 {indexed} 个），超过一半，已停止，"
    "什么也没有删除：\n{lines}\n"
    "请先检查知识库文件夹 {path} 是否写对、是否已挂载、文件是否还在。"
    "如果这些文件确实不要了，请运行 partybot ingest --prune 删除它们。"
)
INGEST_REMOVAL_LINE = "- {source}《{title}》"
INGEST_REMOVALS_MORE = "……另有 {count} 个"
INGEST_PROGRESS = "索引中：已处理 {done}/{total} 个文件"
INGEST_READ_AS = "（文件实际是 {kind}，已按 {kind} 读取）"
FORMAT_NAMES = {".pdf": "PDF", ".docx": "Word 文档（.docx）", ".html": "网页（HTML）"}
INGEST_REASONS["too_deep"] = (
    "网页嵌套超过 {detail} 层，不像正常的网页（可能是异常文件），未读取；请另存为 .docx 或 .txt"
)
INGEST_REASONS["wrong_format"] = (
    "文件实际是 {detail} 格式（只是扩展名不同），无法读取：请用 Word 打开后另存为 .docx 再放入"
)


def read_as_note(read_as: str) -> str:
    """「（文件实际是 PDF，已按 PDF 读取）」for a file whose name says another format."""
    return INGEST_READ_AS.format(kind=FORMAT_NAMES.get(read_as, read_as)) if read_as else ""


WECOM_AES_KEY_PROBLEM = (
    "应为 43 个字母和数字（现在是 {length} 个字符）：请从企业微信管理后台"
    "“应用管理 → 本应用 → 接收消息 → 设置API接收”里完整复制 EncodingAESKey"
)
SQLITE_FOLDER_MISSING = (
    "SQLite 数据库文件是 {path}，但文件夹 {folder} 不存在：请先建好这个文件夹，或改正 "
    "DATABASE_URL（sqlite:/// 后是相对当前目录的路径，sqlite://// 后是绝对路径；"
    "不填则用数据目录里的 partybot.db）"
)
DB_ROLE_MISSING = (
    "PostgreSQL（{where}）里没有登录名“{user}”（数据库本身可能在）：请改正 DATABASE_URL 里的"
    "用户名，或在服务器上建这个登录名：sudo -u postgres createuser --pwprompt {user}"
)
PORT_IN_USE = (
    "端口 {port}（{host}）已被占用：可能党建助手已经在运行，或有别的程序占着它。"
    "请先停掉那个程序，或在 .env 里把 {setting} 改成一个空闲的端口。"
)
WECOM_HALF_CONFIGURED = (
    "企业微信只配置了一部分，还缺：{missing}。请在 .env 里补全（在企业微信管理后台"
    "“应用管理 → 自建应用”里查看）；不用企业微信就把已填的 WECOM_ 设置都删掉。"
)
WEB_NO_PASSWORD_YET = (
    "还没有人设置网页版密码，暂时谁也登录不了。先添加管理员的网页登录名并设密码：\n"
    "  partybot users add --channel web --external-id 登录名 --role admin --name 姓名\n"
    "  partybot users passwd 登录名"
)
CLI_SECRETARY_NEEDS_VILLAGE = (
    "书记要写所在的村：请加上 --village 村名（以及 --township 乡镇），"
    "例如 partybot users add --external-id 12345 --role 书记 --township 城关镇 --village 张家村"
)
CLI_OUTPUT_IS_FOLDER = "已写到文件夹 {folder} 里：{name}"

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

# -- answers-shape (issue 26): follow-ups, procedure outlines, feedback words, unanswered list --
FEEDBACK_HELPFUL = "有用"
FEEDBACK_UNHELPFUL = "没用"
FOLLOW_UP_NOT_ARTICLE = (
    "上一条回答引的不是按条编排的条文，没有上一条、下一条。可以发“全文”查看它的原文。"
)
FOLLOW_UP_FIRST_ARTICLE = "这已经是《{title}》的第一条，没有上一条。"
FOLLOW_UP_NO_MORE = "没有更多相关的条文了。可以换个说法再问。"
FOLLOW_UP_MORE_HEADER = "还找到这些可能相关的条文，仅供参考："
OUTLINE_HEADER = "按《{title}》{within}，依次是："
OUTLINE_RANGE = "（第{first}条至第{last}条）"
OUTLINE_ONE_ARTICLE = "（第{number}条）"
OUTLINE_KEY = "其中最相关的一条："
UNANSWERED_NO_TOPIC = "（没有相近的文件）"
UNANSWERED_CSV_HEADER = ("时间", "问题", "原因", "提问人角色", "渠道", "主题", "相近文件")
UNANSWERED_REASONS = {
    "not_found": "没有找到",
    "missing_document": "点名的文件不在知识库",
    "missing_article": "文件没有这一条",
    "low": "只找到相关条文",
    "unhelpful": "用户点了“没用”",
}
UNANSWERED_ROLES = {
    "secretary": "村党组织书记",
    "staff": "组织部门工作人员",
    "admin": "管理员",
    "guest": "未注册",
}
UNANSWERED_NAME = "某某"

# -- security (issue 25: web/WeCom hardening) ------------------------------------------------------

REPORT_PHOTO_QUOTA = (
    "照片没有保存：您一天内发来、还没登记进台账的照片已经太多了。"
    "请先给已发的照片补一句活动说明并确认，或明天再发。"
)

# -- answers-evidence: refusals that name what the knowledge base does not hold ---------------
NO_RULE_CONCEPT = "知识库里没有关于“{concept}”{fact}的规定，无法依据现有文件回答。"
NO_RULE_NEAREST = "知识库中与这个问题最接近的文件：{titles}。"
NO_RULE_ADMIN = "如有相关文件，可请管理员补充到知识库。"

# -- meeting-record: the 会议记录 page written from a confirmed report ----------------------------
MINUTES_BUTTON = "生成会议记录"
MINUTES_ASK = (
    "生成会议记录还需要“{field}”，这条记录里没有写。"
    "请回复{field}{hint}；回复“跳过”则留空，打印后手写。"
)
MINUTES_HINTS = {"host": "姓名", "recorder": "姓名", "topics": "（多个议题用顿号隔开）"}
MINUTES_BAD_VALUE = "“{field}”请用一两句话（不超过 {limit} 个字），或回复“跳过”。"
MINUTES_CAPTION = "{village}{type}（{date}）会议记录，A4 一页，可直接打印。"
MINUTES_CAPTION_PHOTOS = "照片共 {total} 张，页面附 {shown} 张。"
MINUTES_NOT_FOUND = "第 {id} 号记录不在您的查看范围，或已删除。"
MINUTES_NOT_YOURS = (
    "第 {id} 号记录已不能补充（只有上报人在修改期限内可以补），空着的栏目打印后手写。"
)
CLI_RECORD_BAD_ID = "记录编号应是数字，如 12（收到的是“{id}”）。"
CLI_RECORD_NOT_FOUND = "台账里没有第 {id} 号记录（或已删除）。"
CLI_RECORD_SAVED = "已把第 {id} 号记录的会议记录保存到 {path}（附照片 {photos} 张）"
