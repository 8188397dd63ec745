"""What the words around a value say about it: a chat's time stamp, a publishing date, a title
before a name, a voice slip, an errand beside the branch's activity."""

from __future__ import annotations

from datetime import date

from bot.reports.parsing import (
    find_attendance,
    find_date,
    find_village,
    parse_activities,
    parse_report,
)
from bot.reports.parsing.minutes import find_host, find_place


def test_a_chat_time_stamp_is_when_it_was_written_not_the_activity() -> None:
    chat = "王书记 2025/3/12 20:15 昨天下午党员大会开了 李会计 2025/3/12 20:16 收到"
    assert find_date(chat, today=date(2025, 3, 14)) == date(2025, 3, 11)
    forwarded = "群聊 8月19日 17:32 组长：今天下午小组会开完了"
    assert find_date(forwarded, today=date(2024, 8, 20)) == date(2024, 8, 19)
    # nothing else dates it: the day it was written
    assert find_date("周德贵 2024/6/13 21:03 到了9个", today=date(2024, 6, 14)) == date(2024, 6, 13)


def test_a_publishing_date_is_not_the_activity() -> None:
    news = "近日，柏林村党支部组织党员志愿者18名宣传移风易俗。发布时间：2025-05-20"
    assert find_date(news, today=date(2025, 5, 21)) is None


def test_a_record_told_in_the_past_stays_a_record_beside_a_later_plan() -> None:
    text = "上周日下午组织党员开展了义务劳动，参加党员20人。下周还要搞一次。"
    parsed = parse_report(text, today=date(2025, 5, 14))
    assert not parsed.plan and parsed.date == date(2025, 5, 11)


def test_host_and_place_as_forms_type_them() -> None:
    assert find_host("主持人：马鞍山村党支部书记 罗长青\n记录人：韦丽") == "罗长青"
    assert find_host("主持人：张三 记录人：李四") == "张三"
    assert find_host("党员大会 3.25 应到45 实到40 地点村部 主持人 宋平") == "宋平"
    assert find_host("主持人：张书记") is None
    assert find_place("党员大会 3.25 应到45 地点村部 主持人 宋平") == "村部"
    assert find_place("在村文化室开展集中学习") == "村文化室"


def test_counts_as_forms_and_voice_input_give_them() -> None:
    assert find_attendance("凤岭村 主题党日 到会党员19/22") == (22, 19)
    assert find_attendance("参学人员：全体在家党员16人") == (None, 16)
    assert find_attendance("应道党员三十四人，时到二十九人") == (34, 29)
    # without 应到 nearby, 时到 is no slip
    assert find_attendance("准时到会，会开了两个小时") == (None, None)


def test_an_errand_beside_the_branchs_activity_is_not_logged() -> None:
    diary = (
        "11月24日 星期一 晴\n上午到三户脱贫户家里走访。下午召集村支委开会，研究冬季产业发展，"
        "支委5人全部参加。"
    )
    activities = parse_activities(diary, today=date(2025, 11, 26))
    assert [(a.type, a.attended) for a in activities] == [("支部委员会", 5)]
    # members at work are the branch's activity
    visit = "上午组织党员走访慰问困难户，参加党员8人。下午召开支委会，支委5人全部参加。"
    kinds = [a.type for a in parse_activities(visit, today=date(2025, 11, 26))]
    assert kinds == ["其他", "支部委员会"]


def test_a_talk_is_an_activity_of_no_named_kind() -> None:
    assert parse_report("正月初六，党员们在村部开了座谈会", today=date(2026, 2, 25)).type == "其他"


def test_a_village_visited_to_learn_from_is_not_the_branch() -> None:
    assert find_village("组织党员到邻近的桃花村参观学习民宿发展经验") is None
    assert find_village("我们向阳村组织党员到桃花村参观学习") == "向阳村"
    # an outside body that came to the village: the village is the branch
    assert find_village("县审计局党支部来到结对帮扶的苇塘村，开展主题党日") == "苇塘村"


def test_a_one_character_word_before_a_name_keeps_the_name_whole() -> None:
    assert find_village("退役军人党员座谈会在和平村村部召开") == "和平村"
    assert find_village("昨天下午在和平村开了党员大会") == "和平村"
    assert find_village("安排和村里的党员一起") is None


def test_a_notices_or_a_speechs_date_is_not_the_activitys() -> None:
    today = date(2025, 5, 12)
    notice = "根据镇党委4月28日下发的通知要求，5月4日上午，柳林村开展主题党日活动"
    assert find_date(notice, today=today) == date(2025, 5, 4)
    speech = "学习总书记4月30日在上海考察时的重要讲话精神，5月9日召开党员大会"
    assert find_date(speech, today=today) == date(2025, 5, 9)


def test_a_kind_announced_at_a_meeting_is_not_the_meetings() -> None:
    text = "昨天开的支委会，6个支委到了5个，会上研究决定7月20日召开党员大会"
    assert parse_report(text, today=date(2025, 7, 15)).type == "支部委员会"


def test_a_host_after_a_list_of_titles() -> None:
    assert find_host("支部书记、村委会主任李红主持召开支委会") == "李红"


def test_those_served_are_not_those_who_came() -> None:
    text = "长滩村党员志愿者为村里的12位独居老人送去粽子，参加志愿服务的党员15名。"
    assert find_attendance(text) == (None, 15)
    assert find_attendance("党员志愿者十二人为困难群众送去米面油") == (None, 12)


def test_a_span_of_days_is_its_first() -> None:
    today = date(2025, 6, 20)
    assert find_date("6月12-13日，组织党员开展集中学习", today=today) == date(2025, 6, 12)
    assert find_date("2025年6月12至13日，开展冬训", today=today) == date(2025, 6, 12)


def test_a_correction_keeps_the_value_said_to_be_right() -> None:
    today = date(2025, 6, 20)
    assert find_date("昨天报的6月15号的支委会，日期错了，应该是6月13号", today=today) == date(
        2025, 6, 13
    )
    assert find_date("支委会是6月13号开的，不是6月15号", today=today) == date(2025, 6, 13)
    assert find_attendance("更正一下，实到应该是31人，不是13人") == (None, 31)
    assert find_village("村名打错了，不是下坝村，是上坝村") == "上坝村"


def test_a_partner_after_we_and_is_not_the_branch() -> None:
    text = "我们和黄家湾村联合开展了主题党日，我村党员20人参加"
    assert find_village(text) is None
    assert find_village("和平村党支部召开党员大会") == "和平村"


def test_hosts_as_news_items_name_them() -> None:
    assert find_host("石门村党支部书记杨文华同志主持召开党员大会") == "杨文华"
    assert find_host("召开党员大会，支部书记杨文华主持并讲话") == "杨文华"
    assert find_host("主持人为支部书记杨文华。") == "杨文华"


def test_more_words_for_counts_and_kinds() -> None:
    assert find_attendance("支部现有党员35名，到会30人") == (35, 30)
    assert find_attendance("召开党员大会，签到党员30人") == (None, 30)
    today = date(2025, 6, 20)
    assert parse_report("昨天晚上开了个党员会，来了25个", today=today).type == "支部党员大会"
    assert parse_report("昨天石门村开展党员冬训，参训党员40人", today=today).type == "集中学习"
    assert parse_report("昨天开展冬训党课，党员42名参加", today=today).type == "党课"
    assert parse_report("昨天开了读书分享会，参加党员18人", today=today).type == "集中学习"
    rite = "昨天上午组织党员为7月入党的党员过政治生日，参加党员26人"
    assert parse_report(rite, today=today).type == "主题党日"


def test_hosts_with_a_note_or_a_title_after_the_name() -> None:
    assert find_host("主持人：王大山（村党支部书记）") == "王大山"
    assert find_host("主持人：支部书记王大山同志") == "王大山"
    assert find_host("王大山（支部书记）主持会议") == "王大山"
    assert find_host("会议由王大山书记主持") == "王大山"
    assert find_host("村支书王大山主持了会议") == "王大山"
    # a title alone is no name
    assert find_host("由王书记主持") is None
    assert find_host("会议由书记主持") is None


def test_a_sign_in_with_notes_and_a_list_of_names() -> None:
    listed = "#接龙\n6月27日 党员大会 签到\n1. 王守义\n2. 李桂兰\n3. 赵大明（代签）\n4. 王福"
    assert parse_report(listed, today=date(2024, 6, 28)).attended == 4
    names = "昨天的党员大会签到：王守义、李桂兰、赵大明、王福、孙丽，共5人"
    assert parse_report(names, today=date(2024, 6, 28)).attended == 5


def test_the_branchs_members_helping_another_body() -> None:
    text = "县医院党支部来我们竹园村开展义诊，我村党员15人协助，医院党员6人参加。"
    parsed = parse_report(text, today=date(2024, 6, 28))
    assert (parsed.type, parsed.attended, parsed.village) == ("志愿服务", 15, "竹园村")


def test_words_of_time_before_a_name_and_a_visit_that_is_no_plan() -> None:
    assert find_village("上周末石门村开了党员大会") == "石门村"
    assert find_village("星期天石门村开了党员大会") == "石门村"
    assert find_village("国庆节前一天石门村开了党员大会") == "石门村"
    visit = "中秋节那天，石门村党支部组织党员看望留守老人，参加党员12人"
    parsed = parse_report(visit, today=date(2025, 10, 8))
    assert not parsed.plan and parsed.type == "其他"
    invited = "今天上午石门村邀请县党校老师讲党课，30名党员参加"
    assert not parse_report(invited, today=date(2024, 4, 8)).plan


def test_what_a_village_is_said_to_be_is_not_its_name() -> None:
    assert find_village("老区村桃源村开展主题党日") == "桃源村"
    assert find_village("省级美丽乡村示范村桃源村召开党员大会") == "桃源村"
    assert find_village("该村今年被评为省级文明村") is None
    assert find_village("来自桃源村的老党员讲述了入党经历") == "桃源村"


def test_kinds_named_as_a_party_day_and_announced_after_a_record() -> None:
    from bot.reports.parsing import find_types

    assert find_types("开展志愿服务主题党日活动")[0] == "主题党日"
    assert find_types("开展了一次党员活动日")[0] == "主题党日"
    text = "昨天的党员大会开得很好，29个党员都来了，下周我们再搞一次志愿服务"
    assert parse_report(text, today=date(2025, 6, 20)).type == "支部党员大会"


def test_this_evenings_meeting_not_told_as_done_is_a_plan() -> None:
    today = date(2025, 6, 20)
    assert parse_report("今晚7点在村部开党小组会，学习党章", today=today).plan
    assert not parse_report("今晚第三党小组会开完了，在老周家开的", today=today).plan
    assert not parse_report("今晚，石门村召开党员大会，32名党员参加", today=today).plan
    news = "今天下午2点30分，石门村召开支委会，5名支委参加"
    assert not parse_report(news, today=today).plan


def test_a_day_cited_as_the_ground_for_the_activity_is_not_its_day() -> None:
    today = date(2024, 12, 2)
    cited = "根据11月25日支委会研究，11月30日石门村召开党员大会，到会30人"
    assert parse_activities(cited, today=today)[0].date == date(2024, 11, 30)
    notice = "接镇党委11月25日通知，石门村于11月30日召开党员大会"
    assert find_date(notice, today=today) == date(2024, 11, 30)
    spirit = "为贯彻落实11月25日全县组织工作会议精神，11月30日石门村召开党员大会"
    assert find_date(spirit, today=today) == date(2024, 11, 30)
    # with no punctuation, the activity's day before its verb stays
    voice = "11月30日召开党员大会传达学习全会精神"
    assert find_date(voice, today=today) == date(2024, 11, 30)
    assert find_date("#接龙 10月10日 北岭村主题党日 签到", today=today) == date(2024, 10, 10)
    assert find_date("前晚开了党小组会", today=date(2024, 11, 20)) == date(2024, 11, 18)


def test_set_ls_misses_as_mechanisms() -> None:
    cited = "按照镇党委5月20日会议部署，5月28日，白果村召开支部委员会"
    assert find_date(cited, today=date(2025, 5, 30)) == date(2025, 5, 28)
    correction = "更正：今天上午报的10月18日党员大会，实到人数写错了，应该是33人，不是38人。"
    parsed = parse_report(correction, today=date(2025, 10, 22))
    assert (parsed.date, parsed.attended) == (date(2025, 10, 18), 33)
    group = "上个礼拜六我们组开了个会 第二党小组 在组长屋里 来了六个"
    assert parse_report(group, today=date(2025, 3, 31)).type == "党小组会"
