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
DOWNLOAD_UNREACHABLE = "无法连接模型下载地址 {endpoint}。可设置 HF_ENDPOINT 指向可用镜像后重试。"
DOWNLOAD_DONE = "已下载 bge-small-zh-v1.5 到 {path}。请运行 `partybot ingest` 用新模型重建索引。"

ANSWER_HEADER = "根据知识库中的文件："
ANSWER_VERSION = "（引自{version}）"
ANSWER_MORE = "以上为原文摘录，完整内容可查看原文。"
ANSWER_ARTICLE_HEADER = "{citation}原文如下："
GENERATED_FOOTER = "——以上由大模型依据下列原文归纳，以原文为准。"

CHAT_WELCOME = "党建助手（终端版）。直接输入问题，输入 /quit 退出，/help 查看帮助。"
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
    "needs_ocr": "PDF 没有文字层（可能是扫描件），需要先做文字识别（OCR）",
}
INGEST_STATUS = {
    "added": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "deleted": "已删除",
    "failed": "失败",
}
INGEST_SUMMARY = (
    "索引完成：新增 {added}，更新 {updated}，删除 {deleted}，未变 {unchanged}，失败 {failed}。"
)
INGEST_REBUILT = "向量模型已更换为「{name}」，已重建全部索引。"
INGEST_NOT_FOUND = "路径不存在：{path}"

DOCTOR_TITLE = "党建助手 自检"
