"""A plan is not a record: “定于明天开展…”, “下周二召开…，请全体党员安排好时间”, “原定今天的
主题党日推迟到下周”. Told apart by the words that announce or put off an activity, or by a date
still to come — unless the message also says that something already took place."""

from __future__ import annotations

import re
from datetime import date

from bot.reports.parsing.numbers import NUM

_ANNOUNCED = re.compile(
    r"定于|拟于|拟定|拟组织|拟开展|拟召开|拟在|计划(?:于|在|本|下|组织|开展|召开|举行|带|去|到|请)|打算|"
    r"准备(?:组织|开展|召开|举行|搞|在)|将于|将在|暂定|预计参加|预计有|推迟|延期|另行通知|"
    # 请/望 as asking, not 邀请 or 看望
    r"(?:(?<![邀申聘宴])请|(?<![看探观展张盼希渴失拜])望).{0,20}(?:准时|按时|安排好时间|提前准备|提前通知|统计|踊跃报名|报名|集合|参加)|"
    r"到时候|届时|想好了|要(?:开|搞|组织|召开|开展|举行)|不要迟到|别迟到|别忘了|准时(?:到|参加|参会)"
)
# a time still to come that names no day: 下周, 下个月, 月底前, 过两天; or a deadline, whose
# day is not the activity's: 12月10日前完成民主评议党员工作
_LATER = re.compile(
    r"下个?(?:周|星期|礼拜)|下个?月|月底|年底|近期|过几天|过两天|改天|明年|"
    r"(?:\d{1,2}\s*[日号]|(?:周|星期|礼拜)[一二三四五六日天])\s*(?:之前|以前|前(?![后一两三夕]))"
)
_DONE = re.compile(
    r"实到|到会|出席了?|参加了|来了|到了|开完|结束|已经|已于|共计|参会党员|听课党员|参学党员"
)
# an activity verb in the past: 开展了, 开了个, 搞了一次, 学习了, 开过
_DONE_VERB = re.compile(r"(?:开展|召开|举行|举办|组织|进行|学习|开|搞|办|讲|上)[了过]")


# a count of those who came, or a meeting over: only said after the activity (到会4名, 会开完了)
_CAME_COUNTED = re.compile(
    rf"(?:实到|到会|出席|参会|参加|来了|到了)\s*(?:党员|支委)?\s*{NUM}\s*(?:人|名|个|位)|"
    rf"{NUM}\s*(?:人|名|个|位)(?:党员|支委)?\s*(?:参加|到会|出席|参会)|开完了|已经结束|结束了"
)


def says_it_happened(text: str) -> bool:
    return bool(_DONE.search(text) or _DONE_VERB.search(text))


# this evening, said of what is not told as done: 今晚7点在村部开党小组会, 今晚开党小组会
_LATER_TODAY = re.compile(r"今晚|今天晚上")


# a notice's title: 县委组织部关于做好…组织生活会…工作的通知
_NOTICE_TITLE = re.compile(r"关于[^。；;！!]{2,60}的(?:通知|意见|方案|安排)\s*$")


def is_plan(text: str, *, activity_date: date | None, today: date) -> bool:
    if _NOTICE_TITLE.search(text) and not says_it_happened(text):
        return True
    if activity_date is not None and activity_date > today:
        return True
    if (
        activity_date == today
        and _LATER_TODAY.search(text)
        and not says_it_happened(text)
        and not _CAME_COUNTED.search(text)
    ):
        return True
    if activity_date is None and _LATER.search(text) and not says_it_happened(text):
        return True
    if not _ANNOUNCED.search(text):
        return False
    # 上周日开展了义务劳动…下周还要搞一次: a day gone by, told in the past, is a record
    happened = activity_date is not None and activity_date < today and says_it_happened(text)
    # 今天下午召开支委会…到会4名。明天上午…请党员们8点集合: today's activity has been counted
    counted_today = activity_date == today and _CAME_COUNTED.search(text)
    return not (happened or counted_today)
