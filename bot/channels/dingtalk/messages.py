"""What the DingTalk channel says, to members and to the county's IT person."""

CHOOSE = "请选择"
# a file the core attaches (an export, a meeting record): sessionWebhook carries no files
FILE_ON_WEB = "“{name}”是文件，钉钉里发不了：请发送 /web 打开网页版下载。"
HALF_CONFIGURED = (
    "钉钉只配置了一部分，还缺：{missing}。请在 .env 里补全（在钉钉开发者后台“应用开发 → "
    "企业内部应用 → 凭证与基础信息”里查看）；不用钉钉就把已填的 DINGTALK_ 设置都删掉。"
)
DOCTOR_REJECTED = (
    "钉钉不认这组凭证：请核对 DINGTALK_CLIENT_ID 和 DINGTALK_CLIENT_SECRET"
    "（应用的 Client ID 和 Client Secret）。"
)
DOCTOR_UNREACHABLE = (
    "连不上钉钉接口 {url}：请让网络管理员放行本服务器到 api.dingtalk.com、oapi.dingtalk.com "
    "和 wss://wss-open-connection.dingtalk.com 的出站 HTTPS（443 端口）。"
)
DOCTOR_OK = "凭证有效（应用 {client_id}，Stream 模式）"
STARTED = "钉钉机器人已连接（Stream 模式，无需公网地址）。"
