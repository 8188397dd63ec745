"""Texts of setting up: the index, the embedder, doctor, the database, settings."""

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
# a message that only tells (村里年轻人都走了): nothing was asked, so no rule was "not found"
ANSWER_TOLD_HEADER = (
    "这条消息看起来是在说明情况，没有提出问题。以下是知识库中与它最相近的条文，仅供参考；"
    "想了解什么规定，可以直接提问："
)
# the headers of an answer that is not given as the rule asked for
ANSWER_LOW_HEADERS = (ANSWER_LOW_HEADER, ANSWER_TOLD_HEADER)
MISSING_DOCUMENT = (
    "知识库中没有《{title}》，无法依据它回答。如需查询这个文件，请管理员把它加入知识库。"
)
MISSING_DOCUMENT_NEAR = "知识库中有《{title}》，如果问的是它，请用这个名称再问一次{example}。"
MISSING_ARTICLE = "《{title}》共{count}条，没有第{number}条。请核对条号。"
MISSING_ARTICLE_NO_ARTICLES = "《{title}》中没有第{number}条。"
WHICH_DOCUMENT = "请说明是哪个文件的第{number}条，例如：党章第{number}条。"
WHICH_DOCUMENT_PART = "请说明是哪个文件的{part}，例如：党章{part}。"
WHICH_DOCUMENT_OF = (
    "请说明是哪个文件的第{number}条。知识库中有第{number}条的：{titles}。例如发送：{example}"
)
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
