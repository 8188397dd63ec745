"""What a message is, before it is searched: small talk, a request to write or role-play, or a
follow-up on the previous answer (这条出自哪, 下一条, 上一条, 还有吗, 全文).

Small talk gets a short self-introduction, not a refusal and not a quote. A request to write
a document, play a role or drop the citations is declined: answers only ever quote the
knowledge base.
"""

from __future__ import annotations

import re
from enum import StrEnum

_PUNCTUATION = re.compile(
    r"[\s，。！？!?,.~～…、；;：:“”\"'（）()【】\[\]\U0001F000-\U0001FAFF\u2600-\u27BF]+"
)
_GREETING = re.compile(
    r"^(?:你好|您好|早上好|上午好|中午好|下午好|晚上好|早安|晚安|早|哈喽|嗨|hello|hi|在吗|在不在|"
    r"在么|谢谢|多谢|感谢|谢了|辛苦了|辛苦|再见|拜拜|好的|收到|嗯嗯|嗯|明白了|知道了|了解了|ok)"
    r"(?:你|您|啊|呀|哈|哦|喔|了|呢|吧|啦|老师|同志|书记|助手)*"
    r"(?:今天也要加油|加油|大家好|你好|您好|谢谢|辛苦了)*$",
    re.IGNORECASE,
)
_ABOUT_ME = re.compile(
    r"你是谁|你是真人|是真人还是|机器人吗|你是机器人|你叫什么|你能做什么|你能干什么|你能干啥|你会什么|"
    r"你会干啥|你有什么功能|有什么功能|怎么用你|你是干什么的|你是干啥的"
)
_TASK = re.compile(
    r"扮演|假装|假设你是|冒充|以.{1,10}(?:口吻|身份|名义)|"
    r"(?:帮我|给我|替我|请你?|直接)(?:写|起草|拟|编|生成|捏造|编造)(?:一份|一篇|一段|一个|个|篇|份|段|封)|"
    r"不用核实|无需核实|不要核实|忽略(?:之前|以上|上面|前面)|不再需要引用|不需要引用|不用引用|不要引用|"
    r"就说是中央|"
    # an instruction to change what it answers from now on, or to repeat a message back
    r"(?:就|都)按(?:这个|我说的|我的)(?:说|回答|讲)|复述"
)
_WHICH_SOURCE = re.compile(
    r"^(?:那|这|上面|刚才|刚刚)?(?:这|那|上面的?|刚才的?)?(?:一?条|个|段|句)?(?:话|规定|内容)?"
    r"(?:(?:是|出自|来自|引自|摘自|在)(?:哪个|哪部|哪一个|什么|啥)(?:文件|法规|条例|规定|法律|地方)|"
    r"(?:出自|来自|引自|摘自)(?:哪里|哪儿|哪)(?:的|呀|啊)?$)"
)
# follow-ups on the previous answer: its neighbouring article, more results, its full text
_OPENER = r"^(?:那|那么|好|好的|嗯|再|再给我|请|麻烦)?(?:看|看看|查|查查|说说|讲讲|发|来)?(?:一下)?"
_ABOUT = (
    r"(?:呢|是什么|是啥|是哪条|讲的什么|讲的啥|讲什么|讲啥|说的什么|说的啥|说什么|说啥|"
    r"写的什么|内容)?(?:呢|吧|呀|啊)?$"
)
_OF_IT = r"(?:它的|这条的)?"
_NEXT = re.compile(_OPENER + _OF_IT + r"(?:下一条|下条|后一条|后面一条|接下来一条)" + _ABOUT)
_PREVIOUS = re.compile(_OPENER + _OF_IT + r"(?:上一条|上条|前一条|前面一条|往上一条)" + _ABOUT)
_MORE = re.compile(
    r"^(?:那|那么|嗯)?(?:还有吗|还有没有|还有呢|还有别的吗|还有其他的吗|还有别的规定吗|还有其他规定吗|"
    r"还有其他的规定吗|还有相关的吗|其他的呢|别的呢|更多|更多结果|再来几条|再找找|再多找几条|继续)"
    r"(?:呀|啊|吧)?$"
)
_FULL_TEXT = re.compile(
    _OPENER + r"(?:这条|那条|这个|上面这条|上面那条|刚才那条|它)?(?:的)?"
    r"(?:全文|原文|完整内容|完整的内容|完整条文|整条)(?:呢|吧|看看|发我)?$"
)


class Intent(StrEnum):
    QUESTION = "question"
    SMALL_TALK = "small_talk"
    TASK = "task"
    WHICH_SOURCE = "which_source"
    NEXT_ARTICLE = "next_article"
    PREVIOUS_ARTICLE = "previous_article"
    MORE = "more"
    FULL_TEXT = "full_text"


def classify(text: str) -> Intent:
    compact = _PUNCTUATION.sub("", text)
    if not compact or _GREETING.match(compact):
        return Intent.SMALL_TALK
    if len(compact) <= 20 and _ABOUT_ME.search(compact):
        return Intent.SMALL_TALK
    if _WHICH_SOURCE.match(compact):
        return Intent.WHICH_SOURCE
    for pattern, intent in _FOLLOW_UPS:
        if pattern.match(compact):
            return intent
    if _TASK.search(compact):
        return Intent.TASK
    return Intent.QUESTION


_FOLLOW_UPS = (
    (_NEXT, Intent.NEXT_ARTICLE),
    (_PREVIOUS, Intent.PREVIOUS_ARTICLE),
    (_MORE, Intent.MORE),
    (_FULL_TEXT, Intent.FULL_TEXT),
)
