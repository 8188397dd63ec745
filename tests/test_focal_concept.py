"""Evidence that carries what was asked: on a knowledge base of 党章 alone, a question about a
rule it does not hold is refused by name, with the nearest document and the admin's remedy,
while a question it answers is answered. The real default embedder, and no network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import messages
from bot.qa.answer import Answer, tier, with_missing_named
from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import Verdict, check_evidence, fact_stated
from bot.qa.fact_kinds import kind_named
from bot.qa.gate import GateDecision
from bot.qa.passages import Passage, Retrieval
from bot.qa.pinyin_input import Abbreviations
from bot.qa.service import QAService
from bot.qa.vocabulary import Vocabulary
from tests.conftest import CORPUS
from tests.support.one_document import network_refused, one_document_service

pytestmark = pytest.mark.real_model


@pytest.fixture(scope="module")
def no_network() -> Iterator[None]:
    with network_refused():
        yield


@pytest.fixture(scope="module")
def constitution_only(tmp_path_factory, no_network, e5_embeddings) -> QAService:
    charter = CORPUS / "dangzhang_2022.md"
    if not charter.is_file():
        pytest.skip(f"{charter} not found")
    return one_document_service(tmp_path_factory.mktemp("charter"), charter, e5_embeddings)


def test_a_rule_the_charter_does_not_hold_is_refused_by_name(constitution_only) -> None:
    answer = constitution_only.ask("支委会多久开一次")
    assert answer.refused, answer.text
    assert "知识库里没有关于“支委会”" in answer.text
    assert "《中国共产党章程》" in answer.text  # the nearest document it holds
    assert "管理员" in answer.text
    assert "根据知识库中的文件" not in answer.text


def test_a_question_outside_the_field_gets_a_plain_refusal(constitution_only) -> None:
    answer = constitution_only.ask("怎么做红烧肉")
    assert answer.refused
    assert "知识库里没有关于" not in answer.text and "最接近" not in answer.text


def test_hit_testing_shows_the_focal_concept_and_what_is_missing(constitution_only) -> None:
    from bot.qa.hits import MISSING

    test = constitution_only.hit_test("支委会多久开一次")
    assert test.refused
    assert (test.concept, test.missing) == ("支委会", MISSING["fact"])


def test_what_the_charter_says_is_answered(constitution_only) -> None:
    answer = constitution_only.ask("党员有哪些权利")
    assert not answer.refused, answer.text
    assert answer.confidence == "high"
    assert "党员享有下列权利" in answer.sources[0].text


@pytest.mark.parametrize(
    ("question", "passage", "stated"),
    [
        ("支委会多久开一次", "支部委员会每届任期两年或三年。", "no"),
        ("党小组会多长时间开一次", "党小组会一般每月召开1次。", "yes"),
        ("预备期最长延多久", "延长预备期，不能少于半年，最长不超过一年。", "yes"),
        ("流动党员活动证有效期几年", "流动党员外出，应当与党组织保持联系。", "no"),
        ("罢免要多少人联名", "本村五分之一以上有选举权的村民联名。", "yes"),
        ("村委会成员多少岁", "年满十八周岁的村民有选举权。", "yes"),
        ("党员有哪些权利", "党员享有下列权利。", "yes"),  # no kind of fact asked
        # who decides or approves: a body that approves, decides or is in charge
        ("入党申请书交给谁审批", "由支部大会讨论，报上级党委审批。", "yes"),
        ("荣誉称号找谁申请", "党员享有下列权利。", "no"),
        ("哪级党组织决定", "党员享有下列权利。", "no"),
        # how to apply: an application, its papers or where it is handed in
        ("入党怎么申请", "向党组织提出入党申请。", "yes"),
        ("困难补助要啥材料", "党员享有下列权利。", "no"),
    ],
)
def test_the_kind_of_fact_asked_must_be_stated(question: str, passage: str, stated: str) -> None:
    kind = kind_named(question)
    assert (fact_stated(kind, (), [passage]) if kind else "yes") == stated


def test_the_fact_is_stated_about_the_concepts_asked_not_beside_them() -> None:
    vocabulary = Vocabulary(synonyms={"村支书": ("党支部书记",)})
    knowledge = KnowledgeText(["党支部书记", "党龄"])
    found = concepts("当村支书要有几年党龄", vocabulary, knowledge)
    kind = kind_named("当村支书要有几年党龄")
    assert kind is not None
    # the figure is about other members; the passage naming both states no span of 党龄
    beside = "这些委员会的委员必须有五年以上的党龄。"
    elsewhere = "党委应当在三个月内审批。党支部书记应当同本人谈话。党员的党龄，从预备期满算起。"
    assert fact_stated(kind, found, [beside, elsewhere]) == "loose"
    # stated in the sentence that names it, in a passage naming both
    both = "党支部书记应当具有三年以上党龄。"
    assert fact_stated(kind, found, [beside, both]) == "yes"
    # an article whose first sentence names it states it anywhere
    article = "第三十条 村民委员会实行村务公开制度。前款规定事项中，一般事项至少每季度公布一次。"
    question = "村务公开多长时间公布一次"
    about = concepts(question, Vocabulary(), KnowledgeText([article]))
    frequency = kind_named(question)
    assert frequency is not None and fact_stated(frequency, about, [article]) == "yes"


def test_quantities_and_passing_phrases_are_not_concepts() -> None:
    knowledge = KnowledgeText(["第一条 党员享有下列权利。", "第二条 村民代表会议由村委会召集。"])
    vocabulary = Vocabulary()
    words = [c.word for c in concepts("村代会多久开一回 县里犯了错的党员", vocabulary, knowledge)]
    assert "一回" not in words and "县里" not in words and "犯了错" not in words
    # a verb with where the act goes (选上来, 留下来) is how the story goes, not its subject
    story = [c.word for c in concepts("党员选上来以后 咋把人留下来", vocabulary, knowledge)]
    assert "选上来" not in story and "留下来" not in story and "党员" in story
    # a compound ending in a word the knowledge base uses is a kind of it, not a new concept
    new_member = next(c for c in concepts("新党员有哪些权利", vocabulary, knowledge))
    assert new_member.word == "新党员" and new_member.in_knowledge_base


def test_a_first_passage_naming_little_of_the_question_is_at_most_a_hint() -> None:
    knowledge = KnowledgeText(
        ["第一条 党的各级领导干部的职务都不是终身的。", "第二条 村民委员会成员任期五年。"]
    )
    vocabulary = Vocabulary(synonyms={"村干部": ("村民委员会成员",)})
    question = "村干部干满三年能不能考事业编 有啥条件"
    _, _, verdict = check_evidence(
        question, [("党章", "第一条 党的各级领导干部的职务都不是终身的。")], vocabulary, knowledge
    )
    assert verdict.tentative and verdict.missing == "passage"
    _, _, verdict = check_evidence(
        question, [("村组法", "第二条 村民委员会成员任期五年。")], vocabulary, knowledge
    )
    assert not verdict.tentative


def test_a_fact_asked_about_nothing_read_is_at_most_a_hint() -> None:
    # no word of 两优一先 is read, so 每年开展1次 may be another thing's frequency
    knowledge = KnowledgeText(["第一条 党支部一般每年开展1次民主评议党员。"])
    _, _, verdict = check_evidence(
        "两优一先多久评一次",
        [("细则", "第一条 党支部一般每年开展1次民主评议党员。")],
        Vocabulary(),
        knowledge,
    )
    assert verdict.tentative and verdict.missing != "fact"


def test_a_standard_asked_is_an_amount_and_the_rule_is_named_by_its_noun() -> None:
    kind = kind_named("党费收缴标准是多少")
    assert kind is not None and kind.label == "的金额标准"
    knowledge = KnowledgeText(["第一条 党员应当按期交纳党费。", "第二条 党员享有下列权利。"])
    _, _, verdict = check_evidence(
        "退休党员还要不要交党费 交多少",
        [("党章", "第二条 党员享有下列权利。")],
        Vocabulary(),
        knowledge,
    )
    assert verdict.no_rule and verdict.concept == "党费"  # not 还要, which it never uses


def test_the_focal_concept_is_the_most_specific_word_and_read_from_the_knowledge_base() -> None:
    knowledge = KnowledgeText(["第一条 党支部委员会每届任期两年。", "第二条 党员享有下列权利"])
    vocabulary = Vocabulary(synonyms={"支委会": ("支部委员会",)})
    found = concepts("村支书兼村主任一肩挑是哪个文件规定的", vocabulary, knowledge)
    absent = [c.word for c in found if not c.in_knowledge_base]
    assert "一肩挑" in absent  # whole, not 肩挑
    focal = concepts("支委会多久开一次", vocabulary, knowledge)[0]
    assert focal.word == "支委会" and focal.in_knowledge_base  # through the vocabulary


def test_the_focus_is_a_party_term_or_a_noun_before_a_verb() -> None:
    knowledge = KnowledgeText(
        ["第一条 党支部应当每月开展1次主题党日。", "第二条 党员应当按期交纳。"]
    )
    vocabulary = Vocabulary()
    # jieba counts 开展 as rarer than the term 主题党日 (whose frequency we set to keep it whole)
    assert concepts("主题党日多久开展一次", vocabulary, knowledge)[0].word == "主题党日"
    # the question is about 党费, which the knowledge base lacks: that is the rule to name
    _, _, verdict = check_evidence(
        "党员多久交一次党费", [("党章", "第二条 党员应当按期交纳。")], vocabulary, knowledge
    )
    assert verdict.no_rule and verdict.concept == "党费"


def test_pinyin_initials_read_as_the_knowledge_bases_own_words() -> None:
    words = Abbreviations({"组织关系": 30, "发展对象": 20, "罪责刑相": 1, "村委会": 5})
    assert words.expand("dy去外地打工 zzgx要不要转走") == "dy去外地打工 组织关系要不要转走"
    assert words.expand("fzdx公示几天") == "发展对象公示几天"
    assert words.expand("cwh换届") == "村委会换届"
    assert words.expand("PPT和zzgx") == "PPT和组织关系"  # capitals are left as written


_HOMOPHONE_SLIPS = """
from bot.qa.pinyin_input import SpellingFixer
fixer = SpellingFixer({"党籍", "党纪", "书记", "书籍", "支部"})
print(fixer.fix("闺女的党藉咋整"), fixer.fix("支布书纪每年要不要述职"))
"""


def test_a_slip_with_two_homophones_reads_as_the_closer_one_in_any_process() -> None:
    """党藉 sounds like 党籍 and 党纪: the word with the slip's tones (籍, 藉: jí) wins, not
    whichever the process's hash seed happened to put first."""
    import os
    import subprocess
    import sys

    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", _HOMOPHONE_SLIPS],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.split() == ["闺女的党籍咋整", "支部书记每年要不要述职"]


@pytest.mark.parametrize(
    ("question", "tentative"),
    [
        # 优待证 is what it asks about, and no passage uses it: a hint at most
        ("退役军人优待证找谁申请", True),
        ("选调生到村里干两年以后咋安排", True),
        ("党员有哪些权利", False),  # every word is in the knowledge base
        # 以后 is everyday (not specific), so it is not taken for the focus
        ("党员以后有哪些权利", False),
    ],
)
def test_a_focus_the_knowledge_base_never_uses_is_at_most_a_hint(
    question: str, tentative: bool
) -> None:
    knowledge = KnowledgeText(["第一条 党员享有下列权利。", "第二条 村里的党支部每月开展活动。"])
    _, _, verdict = check_evidence(
        question, [("党章", "第一条 党员享有下列权利。")], Vocabulary(), knowledge
    )
    assert verdict.tentative is tentative, verdict


def test_a_question_about_what_the_charter_never_names_is_not_answered_confidently(
    constitution_only,
) -> None:
    answer = constitution_only.ask("退役军人优待证找谁申请")
    assert answer.refused or answer.confidence == "low", answer.text
    assert "根据知识库中的文件" not in answer.text


def test_a_hint_says_which_word_the_knowledge_base_never_mentions() -> None:
    hint = Answer(
        "q", messages.ANSWER_LOW_HEADER + "\n\n1. 《党章》第一条", False, confidence="low"
    )
    absent = Verdict("选调生", "concept", None, ("党章",), tentative=True)
    named = with_missing_named(hint, absent)
    assert named.text.startswith(messages.ANSWER_LOW_HEADER)
    assert named.text.endswith(messages.ANSWER_LOW_MISSING.format(concept="选调生"))
    # a fact not clearly stated is a hint too, but no word is missing from the knowledge base
    loose = Verdict("支委会", "loose", "多久一次", (), tentative=True)
    assert with_missing_named(hint, loose) == hint


def test_the_part_of_speech_tokenizer_is_built_once() -> None:
    from bot.qa.vocabulary import _pos_tokenizer, word_class

    word_class("支委会"), word_class("纪念章"), word_class("一肩挑")
    assert _pos_tokenizer.cache_info().currsize == 1
    assert word_class("党员") == "n"


@pytest.mark.parametrize(
    ("question", "passage", "stated"),
    [
        ("党费按工资的百分之几交", "按月工资收入的1%交纳党费。", "yes"),
        ("分红按什么比例分", "收益按照村民会议决定分配。", "no"),
        ("妇女代表占多大比例", "妇女村民代表应当占三分之一以上。", "yes"),
        ("转组织关系要几个工作日", "应当在五个工作日内办结。", "yes"),
        ("转组织关系要几个工作日", "党员组织关系转接应当及时。", "no"),
    ],
)
def test_a_share_and_working_days_are_kinds_of_fact(
    question: str, passage: str, stated: str
) -> None:
    kind = kind_named(question)
    assert kind is not None
    assert fact_stated(kind, (), [passage]) == stated


def test_a_share_the_charter_never_states_is_refused_by_its_party_term(
    constitution_only,
) -> None:
    # 党章 names 党费 but no share of anything: refused, naming 党费 (not 工资, which it lacks)
    answer = constitution_only.ask("党费按工资的百分之几交")
    assert answer.refused, answer.text
    assert "知识库里没有关于“党费”的比例" in answer.text
    # what it does state about 党费 is still answered
    answer = constitution_only.ask("党员连续几个月不交党费算自行脱党")
    assert not answer.refused and answer.confidence == "high", answer.text
    assert "连续六个月" in answer.sources[0].text


def _retrieval(focus: tuple[str, ...], *texts_and_scores: tuple[str, float]) -> Retrieval:
    passages = [
        Passage(f"c{i}", "党章", "dangzhang.md", "regulation", "党章", text, score)
        for i, (text, score) in enumerate(texts_and_scores)
    ]
    return Retrieval(passages, False, verdict=Verdict("x", focus=focus))


def test_a_confident_answer_needs_its_first_passage_to_name_the_focal_concept() -> None:
    about_branches = ("第七条 正式党员三人以上的，成立党支部。", 0.9)
    about_dues = ("第九条 党员不交纳党费的，被认为是自行脱党。", 0.8)
    assert tier(_retrieval(("党费",), about_branches)) == "low"
    assert tier(_retrieval(("党费",), about_dues, about_branches)) == "high"
    # the passage quoted first is what must name it, not one further down
    assert tier(_retrieval(("党费",), about_branches, about_dues)) == "low"
    # a regulation word the vocabulary gives for it counts as the concept
    assert tier(_retrieval(("支委会", "支部委员会"), ("设立支部委员会。", 0.9))) == "high"


def test_no_focal_concept_read_is_no_confident_answer() -> None:
    # none of the question's words could be checked against the passage (a knowledge base of one
    # work report asked about 户口迁移): nothing says the passage answers it
    about_branches = ("第七条 正式党员三人以上的，成立党支部。", 0.9)
    assert tier(_retrieval((), about_branches)) == "low"
    already_low = _retrieval(("党费",), about_branches)
    already_low.confidence = "low"
    assert tier(already_low) == "low"


def test_an_off_topic_first_passage_is_not_quoted_as_the_answer(constitution_only) -> None:
    answer = constitution_only.ask("党费能不能用微信转给支部书记")
    assert answer.refused or answer.confidence == "low", answer.text
    assert "根据知识库中的文件" not in answer.text
    answer = constitution_only.ask("入党要几个介绍人")
    assert not answer.refused and answer.confidence == "high", answer.text
    assert constitution_only.hit_test("入党要几个介绍人").decision == "回答"


def test_the_hit_test_tells_what_the_asker_is_told(constitution_only) -> None:
    from bot.qa.confidence import AnswerConfidence
    from bot.qa.hits import DECISIONS, MISSING, hit_test

    class Found:  # the gate said answer; the passage quoted first names no 党费
        gate = constitution_only._retriever.gate

        def search(self, question: str, k: int) -> Retrieval:
            return _retrieval(("党费",), ("第七条 正式党员三人以上的，成立党支部。", 0.9))

    found = Found()
    confidence = AnswerConfidence(found)  # type: ignore[arg-type]
    test = hit_test(found, confidence, "党费交给谁")  # type: ignore[arg-type]
    assert test.decision == DECISIONS[GateDecision.LOW]
    assert test.missing == MISSING["quoted"]


def test_the_hit_test_names_the_verifier_that_hedged(constitution_only) -> None:
    from bot.qa.confidence import AnswerConfidence
    from bot.qa.hits import DECISIONS, MISSING, hit_test
    from bot.qa.verifier import Verifier

    class Found:  # the passage quoted first names 党费, and the gate said answer
        gate = constitution_only._retriever.gate
        vocabulary = constitution_only._retriever.vocabulary
        knowledge = constitution_only._retriever.knowledge

        def search(self, question: str, k: int) -> Retrieval:
            found = _retrieval(("党费",), ("第九条 党员不交纳党费的，被认为是自行脱党。", 0.9))
            found.signals = {"dense": 0.9}
            return found

    doubting = Verifier(embedder="test", weights={"dense": 1.0}, bias=-5.0, threshold=0.5)
    trusting = Verifier(embedder="test")
    found = Found()
    for verifier, decision, missing in (
        (doubting, GateDecision.LOW, MISSING["verifier"]),
        (trusting, GateDecision.ANSWER, None),
    ):
        confidence = AnswerConfidence(found, verifier)  # type: ignore[arg-type]
        test = hit_test(found, confidence, "党费交给谁")  # type: ignore[arg-type]
        assert (test.decision, test.missing) == (DECISIONS[decision], missing)


def test_the_figure_must_be_stated_near_the_concept_asked() -> None:
    article = (
        "第十七条 党支部每年至少召开1次组织生活会，也可以根据工作需要随时召开，"
        "一般以党员大会、党支部委员会会议或者党小组会形式召开。"
    )
    knowledge = KnowledgeText([article])
    kind = kind_named("党小组会一般多久开一次")
    assert kind is not None
    # the focus first (党小组, a noun; 一般 is not what it is about)
    group = concepts("党小组会一般多久开一次", Vocabulary(), knowledge)[:1]
    assert fact_stated(kind, group, [article]) == "loose"  # the figure is 组织生活会's
    life = concepts("组织生活会多久开一次", Vocabulary(), knowledge)[:1]
    assert fact_stated(kind, life, [article]) == "yes"
    # an article that opens with the concept states it anywhere (its subject)
    opening = "第二十六条 村民代表会议由村民委员会召集。村民代表会议每季度召开一次。"
    delegates = concepts("村民代表会议多久开一次", Vocabulary(), KnowledgeText([opening]))[:1]
    assert fact_stated(kind, delegates, [opening]) == "yes"
