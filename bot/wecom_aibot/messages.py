"""What the AI bot's channel itself says (everything else is the core's)."""

THINKING = "正在查询，请稍候……"
# a stream that was started must be finished with something
NOTHING_TO_SAY = "已收到。"
FILE_NOT_SENT = "文件没能发出，请稍后再试，或到网页端下载。"
