"""Texts of answers: follow-ups, outlines, feedback, unanswered questions, security, refusals."""

from __future__ import annotations

# -- answers-shape (issue 26): follow-ups, procedure outlines, feedback words, unanswered list --
FEEDBACK_HELPFUL = "有用"
FEEDBACK_UNHELPFUL = "没用"
FOLLOW_UP_NOT_ARTICLE = (
    "上一条回答引的不是按条编排的条文，没有上一条、下一条。可以发“全文”查看它的原文。"
)
FOLLOW_UP_FIRST_ARTICLE = "这已经是《{title}》的第一条，没有上一条。"
FOLLOW_UP_NO_MORE = "没有更多相关的条文了。可以换个说法再问。"
FOLLOW_UP_AFTER_REFUSAL = (
    "上一个问题在知识库里没有找到可以引用的条文，所以没有下一条、更多或原文可看。可以换个说法再问。"
)
FOLLOW_UP_MORE_HEADER = "还找到这些可能相关的条文，仅供参考："
OUTLINE_HEADER = "按《{title}》{within}，依次是："
OUTLINE_RANGE = "（第{first}条至第{last}条）"
OUTLINE_ONE_ARTICLE = "（第{number}条）"
OUTLINE_KEY = "其中最相关的一条："
# a chapter asked for whole (党章第三章): its articles, each by its first sentence
PART_HEADER = "《{title}》{part}共{count}条（第{first}条至第{last}条），依次是："
PART_MORE = "……另有{count}条未列出。"
PART_ASK_ARTICLE = "要看哪一条的全文，请发送条号，例如：第{number}条。"
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
# under a low-confidence answer whose question is about a word no passage uses
ANSWER_LOW_MISSING = (
    "知识库里没有出现“{concept}”：以上条文只是相近的规定。如有相关文件，可请管理员补充到知识库。"
)
