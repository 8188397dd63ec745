"""The date an activity happened, from what the message says and the day it was sent."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.reports.parsing.lunar import FESTIVAL, LUNAR, resolve_lunar
from bot.reports.parsing.numbers import number

SMALL = r"(\d{1,2}|[一二三四五六七八九十廿卅]{1,3})"
# a year in Chinese digits, as forms print it: 二〇二四年
_YEAR_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "七": 6}
_HOLIDAYS = {
    "元旦": (1, 1),
    "三八妇女节": (3, 8),
    "妇女节": (3, 8),
    "学雷锋日": (3, 5),
    "植树节": (3, 12),
    "五一劳动节": (5, 1),
    "五一": (5, 1),
    "劳动节": (5, 1),
    "五四青年节": (5, 4),
    "青年节": (5, 4),
    "七一": (7, 1),
    "建党节": (7, 1),
    "八一建军节": (8, 1),
    "建军节": (8, 1),
    "教师节": (9, 10),
    "国庆节": (10, 1),
    "国庆": (10, 1),
    "宪法日": (12, 4),
}
# names that stand for something else when said alone: 七一前夕, 庆国庆, 劳动节假期
_NOT_ALONE = {"七一", "五一", "国庆", "妇女节", "劳动节", "青年节", "建军节"}
_HOLIDAY_NAMES = "|".join(sorted(_HOLIDAYS, key=len, reverse=True))
# a holiday's name alone is its day only when nothing else dates the text: “植树节，桂花村…”
# (“元旦慰问于昨天开展” happened yesterday)
_HOLIDAY_ALONE = re.compile(
    "(?P<holiday>"
    + "|".join(sorted(set(_HOLIDAYS) - _NOT_ALONE, key=len, reverse=True))
    + r")(?!期间|前后|假期|前夕|以来|以前|之前|之后|前|后)"
)
_TO_DAY = r"\s*(?:[-—–~～至到])\s*(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})\s*[日号]"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", re.compile(r"(\d{4})\s*年\s*" + SMALL + r"\s*月\s*" + SMALL + r"\s*[日号]")),
    (
        "ymd",
        re.compile(
            r"([〇零一二三四五六七八九]{4})\s*年\s*" + SMALL + r"\s*月\s*" + SMALL + r"\s*[日号]"
        ),
    ),
    ("ymd", re.compile(r"(?<!\d)(\d{4})[.．/-](\d{1,2})[.．/-](\d{1,2})(?!\d)")),
    # a span of days is its first: 6月12-13日, 2025年6月12至13日
    (
        "ymd",
        re.compile(r"(\d{4})\s*年\s*" + SMALL + r"\s*月\s*" + SMALL + _TO_DAY),
    ),
    ("md", re.compile(SMALL + r"\s*月\s*" + SMALL + _TO_DAY)),
    ("md", re.compile(SMALL + r"\s*月\s*" + SMALL + r"\s*[日号]")),
    # 6.10 / 6/30 / 11-09 is a date; 3.5亩, 1.5万元 or 3-5人 is not
    (
        "md",
        re.compile(
            r"(?<![\d.．/月-])(\d{1,2})[.．/-](\d{1,2})"
            r"(?![\d.．/-]|[亩元万米里吨斤%％倍个人名位户次天岁年月周公千克]|"
            r"\s+(?:[亩元米里吨斤%％倍个人名位户次天岁公千克]|万[元人亩]))"
        ),
    ),
    ("this_month", re.compile(r"(?:本月|这个月)\s*" + SMALL + r"\s*[日号]")),
    ("month_end", re.compile(r"(上个?|本|这个?)月(?:的)?最后一天")),
    ("last_month", re.compile(r"(?:上个?月)\s*" + SMALL + r"\s*[日号]")),
    # 26号, 26日 (not 26日内, 26日前: a deadline)
    ("day", re.compile(r"(?<![\d月/.])" + SMALL + r"\s*(?:号|日(?![内前后起以]))")),
    # a day named by its holiday: 七一当天, 元旦前一天, 国庆节那天, 学雷锋日
    (
        "holiday",
        re.compile(
            f"(?P<holiday>{_HOLIDAY_NAMES})"
            r"(?:当天|这天|那天|当日|(?P<before>前一天)|(?P<after>后一天|第二天))"
        ),
    ),
    (
        "relative",
        re.compile(
            r"大前天|前天|前晚|昨天|昨日|昨晚|今天|今日|今早|今晚|今天上午|明天|明日|明早|后天|"
            r"(?:大前|前|昨|今|明|后)儿个?"
        ),
    ),
    ("week", re.compile(r"(上上|上|这|本|下)?\s*(?:个)?(?:周|星期|礼拜)([一二三四五六日天七])")),
    ("lunar", LUNAR),
)
_RELATIVE = {
    "大前天": -3,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "前晚": -2,
    "今天": 0,
    "今日": 0,
    "今早": 0,
    "今晚": 0,
    "今天上午": 0,
    "明天": 1,
    "明日": 1,
    "明早": 1,
    "后天": 2,
}
# the same days as spoken in the north: 前儿个, 昨儿, 今儿个
_SPOKEN_DAYS = {"大前": -3, "前": -2, "昨": -1, "今": 0, "明": 1, "后": 2}
_RELATIVE.update({f"{day}儿{tail}": n for day, n in _SPOKEN_DAYS.items() for tail in ("", "个")})
_WEEK_SHIFT = {"上上": -14, "上": -7, "这": 0, "本": 0, "下": 7, None: 0}
# an explicit date in brackets after a relative one wins: 上周三（1月22日）, 正月初九（2月18日）
_BRACKETED = re.compile(
    r"[（(][^）)]{0,6}?" + SMALL + r"\s*月\s*" + SMALL + r"\s*[日号]?[^）)]{0,6}[）)]"
)


# a day that is not the activity's: 原定上周五的 (put off), 昨天上报的 (the report), 下周一要交台账,
# 发布时间：2025-05-20 (a news item's)
_NOT_ACTIVITY_BEFORE = re.compile(
    r"(?:原定|原计划|原来定的|原定于|(?:发布|发表|更新|编辑)(?:时间|日期|于)\s*[:：]?|"
    # the ground for the activity: 根据11月25日支委会研究, 接镇党委11月25日通知
    r"(?:根据|按照|依据|遵照|接到)[\u4e00-\u9fff]{0,5}|(?<![已曾])经过?|"
    r"接(?:镇|县|乡|区|市)[\u4e00-\u9fff]{0,4}|"
    # a count's day or an earlier step: 截至11月底, 继9月5日召开支委会研究后
    r"截至|截止到?|(?<![相])继)\s*$"
)
# a higher body, or all of a county or township: what it did is not the branch's activity
_HIGHER_BODY = (
    r"(?:中央|国务院|省委|市委|县委|区委|上级|全(?:国|省|市|县|区|镇|乡)|"
    r"(?:省|市|县|区|镇|乡)(?:党委|纪委|政府|人大|政协|委|领导)|"
    # a township or county by name, as the subject of a meeting it held: 青山镇组织召开…
    r"[\u4e00-\u9fff]{1,4}(?:镇|乡|县)(?:党委|政府)?(?=(?:组织)?(?:召开|举办|举行))|"
    r"(?:省|市|县|区)委?[\u4e00-\u9fff]{0,4}?(?:巡察组|巡视组|督导组|调研组|检查组|考核组))"
)
# … said before the day (镇纪委10月9日来我村开展廉政教育) or after it (12月3日，全县召开…会议,
# 10月21日，市委巡察组进驻我县): the day of the branch's own deed, when one is told, is another
_HIGHER_BODY_BEFORE = re.compile(
    rf"(?:^|[。；！!\n，,])\s*{_HIGHER_BODY}[\u4e00-\u9fff]{{0,4}}\s*$"
)
_HIGHER_BODY_AFTER = re.compile(rf"^(?:{_TO_DAY})?\s*[，,]?\s*{_HIGHER_BODY}")
# … and a notice's or a speech's: 4月28日下发的通知, 4月30日在上海考察时的重要讲话
_NOT_ACTIVITY_AFTER = re.compile(
    r"^\s*(?:上午|下午|晚上|早上|中午)?\s*"
    r"(?:上报|报的|报了|报送|发的|发了|要交|交台账|下发|印发|发出|出台|闭幕|开幕)|"
    r"^[^，。；,;]{0,16}?(?:的通知|的文件|讲话|的指示|的批示|的基础上)|^\s*(?:通知|文件|印发)|"
    # a deadline: 11月28日前各村要完成, 30日之前报送 (not 前后, 前一天, 前夕)
    r"^\s*(?:之前|以前|前(?![后一两三夕]))|"
    # (not when a deed comes first: 12.12 党小组会 学习全会精神, 11月4日到我村宣讲全会精神)
    r"^(?:(?!召开|开展|组织党员|举行|开了|学习|传达|宣讲|到|来|在|党小组|支委|党员大会)[^，。；,;]){0,12}?"
    r"(?:会议?|全会)(?:精神|部署|要求)|"
    # said to be wrong: 原来报的8月20日不对
    r"^\s*(?:不对|错了|有误|是错的)"
)
# a day to come said to be a holiday is a remark on the calendar: 明天就是七一了，今天我们提前…
_CALENDAR_REMARK = re.compile(r"^\s*(?:就是|就到了?|便是|是)")
# a line that is only a sender's name and a date — a newsletter's masthead, a signature — dates
# the writing, not the activity: 大槐树村党支部　2025年6月3日
_DATELINE = re.compile(
    r"^[ \t]*(?P<sender>[\u4e00-\u9fff]{1,16}"
    r"(?:党支部|党总支|总支部|党委|委员会|办公室|工作组)[ \t]*)?"
    r"(?P<day>(?:\d{4}|[〇零一二三四五六七八九]{4})[ \t]*年[ \t]*\d{1,2}[ \t]*月[ \t]*\d{1,2}"
    r"[ \t]*日?|\d{4}[./-]\d{1,2}[./-]\d{1,2})"
    r"[ \t]*$",
    re.M,
)
# a day not said: 近日…(2025-07-03 at the foot of a news item) happened some day before it
_VAGUE = re.compile(r"近日|日前|近期|前不久|前段时间|前些天|这几天|最近")
_YEAR_MONTH = re.compile(r"元月")
# in a correction, the value said to be right wins and the one said to be wrong is none:
# 应该是6月13号, 不是6月15号 / 写成了6月15号
_CORRECTED_BEFORE = re.compile(r"(?:应该是|应为|应是|改为|改成|更正为|实际是|正确的是)\s*$")
WRONG_BEFORE = re.compile(r"(?:不是|而非|写成了?|打成了?|误写为|误报为|错报为)\s*$")
# a chat's or a forward's time stamp (王书记 2025/3/12 20:15, 群聊 8月19日 17:32): the day the
# lines after it were written — their 昨天 and 今晚 count from it — not itself the activity's
_STAMP = re.compile(
    r"(?<![\d.．/-])((?:\d{4}[./-])?\d{1,2}[./-]\d{1,2}|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]?)"
    r"\s*(?:[（(]?(?:周|星期)[一二三四五六日天][）)]?)?\s+\d{1,2}[:：]\d{2}"
)


def find_date(text: str, *, today: date, happened: bool = False) -> date | None:
    """The first date the text names, resolved against the day it was sent. A weekday named
    alone (周日, not 这周日) is the coming one, or, of something that `happened`, the last one:
    “周日开展了党日活动”, sent on a Tuesday, is two days ago."""
    text = _YEAR_MONTH.sub("1月", text)
    stamps = sorted([m.span() for m in _STAMP.finditer(text)] + _datelines(text))
    written = _stamped_day(text, stamps, today=today)
    if written is not None:
        today = written
    bracketed = _BRACKETED.search(text)
    if bracketed:
        explicit = _resolve("md", bracketed, today)
        if explicit is not None:
            return explicit
    found: list[tuple[int, date | None]] = []
    theirs: list[tuple[int, date | None]] = []  # the days a higher body did something
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in stamps):
                continue
            before = text[max(0, match.start() - 8) : match.start()]
            if _NOT_ACTIVITY_BEFORE.search(before) or WRONG_BEFORE.search(before):
                continue
            if _NOT_ACTIVITY_AFTER.match(text[match.end() : match.end() + 20]):
                continue
            day = _resolve(kind, match, today)
            if (
                kind == "relative"
                and day is not None
                and day > today
                and _CALENDAR_REMARK.match(text[match.end() : match.end() + 4])
            ):
                continue
            if kind == "week" and happened and match.group(1) is None and day is not None:
                day = day if day <= today else day - timedelta(days=7)
            higher = _HIGHER_BODY_BEFORE.search(
                text[max(0, match.start() - 12) : match.start()]
            ) or _HIGHER_BODY_AFTER.match(text[match.end() : match.end() + 20])
            (theirs if higher else found).append((match.start(), day))
    resolved = [f for f in found if f[1] is not None]
    if not resolved:  # 7月25日，县委组织部到我们坪坝村调研: the only day told
        resolved = [f for f in theirs if f[1] is not None]
    corrected = [f for f in resolved if _CORRECTED_BEFORE.search(text[max(0, f[0] - 5) : f[0]])]
    if corrected:  # 日期错了，应该是6月13号
        return corrected[0][1]
    if not resolved and written is not None and not _VAGUE.search(text):
        return written  # 周德贵 2024/6/13 21:03 到了9个: said the day it was written
    if not resolved:
        alone = _HOLIDAY_ALONE.search(text)
        if alone:
            return _resolve("holiday", alone, today)
        festival = FESTIVAL.search(text)
        return resolve_lunar(festival, today=today) if festival else None
    return min(resolved, key=lambda item: item[0])[1]


def _datelines(text: str) -> list[tuple[int, int]]:
    """The masthead's or the signature's date, when the text has more than that line: a line
    with the sender's name, or a date alone on the last line (a first line with only a date is
    the meeting's, as a 会议记录 heads it)."""
    if not text.strip().count("\n"):
        return []
    return [
        m.span("day")
        for m in _DATELINE.finditer(text)
        if m.group("sender") or not text[m.end() :].strip()
    ]


def _stamped_day(text: str, stamps: list[tuple[int, int]], *, today: date) -> date | None:
    """The day of the first time stamp, when it is a day gone by or today."""
    if not stamps:
        return None
    start, end = stamps[0]
    said = text[start:end]
    for kind, pattern in PATTERNS:
        match = pattern.search(said) if kind in ("ymd", "md") else None
        if match:
            day = _resolve(kind, match, today)
            return day if day is not None and day <= today else None
    return None


def _resolve(kind: str, match: re.Match[str], today: date) -> date | None:
    try:
        if kind == "lunar":
            return resolve_lunar(match, today=today)
        if kind == "ymd":
            year = int(match.group(1).translate(_YEAR_DIGITS))
            return date(year, _n(match.group(2)), _n(match.group(3)))
        if kind == "md":
            resolved = date(today.year, _n(match.group(1)), _n(match.group(2)))
            # a report sent in January about 28 December
            if resolved > today + timedelta(days=60):
                resolved = resolved.replace(year=today.year - 1)
            return resolved
        if kind == "this_month":
            return today.replace(day=_n(match.group(1)))
        if kind == "month_end":
            if match.group(1).startswith("上"):
                return today.replace(day=1) - timedelta(days=1)
            next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
            return next_month - timedelta(days=1)
        if kind == "last_month":
            previous = today.replace(day=1) - timedelta(days=1)
            return previous.replace(day=_n(match.group(1)))
        if kind == "day":
            resolved = today.replace(day=_n(match.group(1)))
            if resolved > today + timedelta(days=7):
                previous = today.replace(day=1) - timedelta(days=1)
                resolved = previous.replace(day=_n(match.group(1)))
            return resolved
        if kind == "holiday":
            month, day = _HOLIDAYS[match["holiday"]]
            # the latest one not far ahead, as for 6月10日: 元旦 said on 31 December is tomorrow's
            years = (today.year - 1, today.year, today.year + 1)
            latest = max(
                d for y in years if (d := date(y, month, day)) <= today + timedelta(days=60)
            )
            said = match.groupdict()
            shift = -1 if said.get("before") else 1 if said.get("after") else 0
            return latest + timedelta(days=shift)
        if kind == "relative":
            return today + timedelta(days=_RELATIVE[match.group(0)])
        if kind == "week":
            monday = today - timedelta(days=today.weekday())
            return monday + timedelta(days=_WEEK_SHIFT[match.group(1)] + _WEEKDAYS[match.group(2)])
    except (ValueError, TypeError, KeyError):
        return None
    return None


def _n(text: str) -> int:
    value = number(text)
    if value is None:
        raise ValueError(text)
    return value
