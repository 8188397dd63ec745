"""What the AI bot's channel itself says (everything else is the core's)."""

THINKING = "正在查询，请稍候……"
# a stream that was started must be finished with something
NOTHING_TO_SAY = "已收到。"
FAILED = "抱歉，处理您的消息时出错了，请稍后再试。"
FILE_NOT_SENT = "文件没能发出，请稍后再试，或到网页端下载。"

DOCTOR_HALF_CONFIGURED = (
    "企业微信智能机器人只配置了一部分，还缺：{missing}（在企业微信管理后台“智能机器人”的"
    "“API 模式 → 长连接”里查看 Bot ID 和 Secret）；"
    "不用智能机器人就把已填的 WECOM_AIBOT_ 设置都删掉。"
)
DOCTOR_UNREACHABLE = (
    "连不上企业微信智能机器人的长连接地址 {url}：请县里的网管放行本机到该地址 443 端口的出站连接"
    "（只需出站，不需要公网地址）。"
)
DOCTOR_REACHABLE = "长连接地址能连上（机器人 {bot_id}；为免顶替正在运行的连接，未做订阅）"
STARTED = "企业微信智能机器人已启动：长连接 {url}（只需出站访问）"
