"""Texts of the `partybot` command: argparse's words, ingest safety, an admin's mistakes."""

from __future__ import annotations

from bot.messages.setup import INGEST_REASONS

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
