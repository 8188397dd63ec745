"""The words the refusal decision weighs: not where, when or who, nor the complement
said after 得 — the question's circumstances, not what the knowledge base must hold. No model,
no network."""

from __future__ import annotations

from bot.qa.gate_signals import weighed_words
from bot.qa.vocabulary import question_words


def _weighed(question: str) -> list[str]:
    return weighed_words(question_words(question), question)


def test_place_and_direction_words_are_not_weighed() -> None:
    assert _weighed("上面要求下面的支部每月报材料") == ["要求", "支部", "材料"]
    assert "村里" not in _weighed("村里的党员大会谁来主持")
    assert "党员大会" in _weighed("村里的党员大会谁来主持")


def test_time_words_and_pronouns_are_not_weighed_amounts_are() -> None:
    words = _weighed("晚上开会算不算三会一课")
    assert "晚上" not in words and "三会一课" in words
    assert "每月" not in _weighed("支部每月开一次会吗")
    # a measure word may name the topic (亩: land), which the knowledge base may not hold
    assert "一亩" in _weighed("一亩地补贴多少钱")


def test_the_complement_after_de_is_not_weighed() -> None:
    words = _weighed("领导管得太细支部怎么办")
    assert "太细" not in words and "支部" in words


def test_a_verb_said_with_its_direction_is_not_weighed() -> None:
    words = _weighed("年轻人都出去打工了 党员咋留下来")
    assert "留下来" not in words and "党员" in words
    assert "出来" in _weighed("出来的结果谁认定")  # no verb before the direction


def test_a_word_after_a_de_inside_a_word_is_weighed() -> None:
    # 取得 is a verb of its own: 资格 after it is what is asked about
    assert "资格" in _weighed("取得入党资格需要多久")


def test_the_signals_token_list_is_filtered_alike() -> None:
    question = "上面管得太细下面的党费怎么交"
    assert weighed_words(["上面", "太细", "下面", "党费"], question) == ["党费"]
