"""钉钉 (DingTalk) as a channel of the conversation core: an internal app's robot in Stream
mode (a WebSocket this server opens to DingTalk, so no public address), replies through the
message's sessionWebhook, notices through the robot's single-chat batch-send API."""

CHANNEL = "dingtalk"  # how DingTalk users (by their userId / staffId) are known to the core
