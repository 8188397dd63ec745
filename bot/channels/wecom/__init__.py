"""企业微信 / 政务微信 (WeCom) as a channel of the conversation core: a self-built app's
encrypted callback in, its message/send API out."""

CHANNEL = "wecom"  # how WeCom users are known in the channel-neutral identity table
