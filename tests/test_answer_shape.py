"""What an answer looks like (issue 26 items 2 and 6), on a regulation generated here so that
nothing depends on the county's seven: procedure questions get the document's own chapters or
sections with their article ranges, then the key article; the answering sentence comes first
in 「」; the citation names the chapter; a long article is never cut mid-sentence."""

from __future__ import annotations

import re
from pathlib import Path

import cn2an
import pytest

from bot.qa.answer import ARTICLE_CHARS, extractive_answer
from bot.qa.retriever import Passage
from bot.qa.service import QAService

TITLE = "星级服务站评定办法"
REGULATION = f"""# {TITLE}

## 第一章　总则

第一条　为了规范星级服务站评定工作，制定本办法。

第二条　本办法适用于全县各村的便民服务站。

## 第二章　申报

第三条　村便民服务站申报星级评定，应当向乡镇提交申报表。

第四条　申报材料包括服务台账、群众评价和整改记录。

## 第三章　审核

### 第一节　初审

第五条　乡镇收到星级评定申报后十个工作日内完成初审。

第六条　初审发现材料不全的，一次性告知补正。

### 第二节　实地核查

第七条　县级评定小组对通过初审的服务站进行实地核查。

第八条　实地核查应当听取不少于十名群众的意见。

## 第四章　认定

第九条　星级评定结果分为下列等次：
（一）一星级；
（二）二星级；
（三）三星级。

第十条　评定结果由县级评定小组公示五个工作日，无异议的予以认定。

## 第五章　附则

第十一条　本办法自印发之日起施行。
"""


def indexed(root: Path, name: str, text: str):  # type: ignore[no-untyped-def]
    """A knowledge base of one document under `root`, indexed with the hashing embedder."""
    from bot.services import make_knowledge_base
    from tests.support.fakes import HashingEmbeddings

    folder = root / "knowledge"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    kbase = make_knowledge_base(
        database_url=f"sqlite:///{root / 'kb.db'}",
        chroma_dir=root / "chroma",
        keyword_dir=root / "bm25",
        knowledge_dir=folder,
        embeddings=HashingEmbeddings(),
    )
    kbase.ingestor.ingest()
    return kbase


@pytest.fixture(scope="module")
def kbase(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return indexed(tmp_path_factory.mktemp("shape"), "星级评定.md", REGULATION)


@pytest.fixture(scope="module")
def service(kbase) -> QAService:  # type: ignore[no-untyped-def]
    return QAService(kbase.retriever, sessions=kbase.sessions)


def test_a_procedure_question_gets_the_chapters_in_order_with_their_articles(service) -> None:
    answer = service.ask("星级评定要走哪些流程")
    assert not answer.refused, answer.text
    assert answer.outline is not None
    assert [first for _, first, _ in answer.outline] == [3, 5, 9]
    text = answer.text
    steps = [
        "第二章 申报（第三条至第四条）",
        "第三章 审核（第五条至第八条）",
        "第四章 认定（第九条至第十条）",
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "总则" not in text and "附则" not in text  # never a step
    # then the key article, under its chapter, its answering sentence first
    assert re.search(r"《星级服务站评定办法》第.章 第.+条\n「", text)
    assert answer.sources[0].text.find(answer.lead or "-") >= 0


def test_a_chapter_with_sections_is_told_by_its_sections(service) -> None:
    answer = service.ask("实地核查和初审这些审核环节都有哪些步骤")
    assert answer.outline is not None, answer.text
    assert "按《星级服务站评定办法》第三章 审核，依次是" in answer.text
    assert "1. 第一节 初审（第五条至第六条）" in answer.text
    assert "2. 第二节 实地核查（第七条至第八条）" in answer.text


def test_a_list_article_is_quoted_whole_with_its_items(service) -> None:
    answer = service.ask("星级评定结果分为哪几种等次")
    assert not answer.refused and answer.outline is None, answer.text
    assert "《星级服务站评定办法》第四章 第九条\n「星级评定结果分为下列等次：」" in answer.text
    items = [answer.text.index(f"（{n}）") for n in "一二三"]
    assert items == sorted(items)
    assert all(answer.text[i - 1] == "\n" for i in items), answer.text  # an item a line


def test_a_plain_question_leads_with_its_answering_sentence(service) -> None:
    answer = service.ask("实地核查要听取多少群众的意见")
    assert not answer.refused and answer.outline is None, answer.text
    first_block = answer.text.split("\n\n")[1]
    assert first_block.startswith("1. 《星级服务站评定办法》第三章 第八条\n「")
    assert answer.lead == "实地核查应当听取不少于十名群众的意见。"
    assert f"「{answer.lead}」" in first_block


def passage(text: str, article: str = "第五条") -> Passage:
    return Passage(
        chunk_id="c1",
        title="长条例",
        source="long.md",
        kind="regulation",
        heading=f"长条例 > 第二章　长条 > {article}",
        text=text,
        score=1.0,
        article=article,
        document_id=1,
        article_no=5,
    )


def test_a_long_article_is_never_cut_mid_sentence() -> None:
    sentences = [f"第{n}句规定了某项具体的工作要求和办理时限共计三十个字。" for n in range(1, 40)]
    text = "第五条　" + "".join(sentences)
    for exact in (True, False):
        answer = extractive_answer("第三句", [passage(text)], exact=exact)
        body = answer.text.split("\n", 2)[-1].removesuffix("……")
        assert len(body) <= ARTICLE_CHARS + 40
        pieces = [p for p in re.split(r"[「」\n]", body.replace("……", "")) if p and "《" not in p]
        for piece in pieces:
            assert piece.endswith("。"), piece  # whole sentences only
    quoted = extractive_answer("第3句规定", [passage(text)], exact=False)
    assert "「第3句规定了某项具体的工作要求和办理时限共计三十个字。」" in quoted.text
    assert "长条例》第二章 第五条" in quoted.text


def test_nothing_reaches_a_network(service, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert service.ask("星级评定有哪些步骤").outline is not None


def test_a_document_without_chapters_gets_quotes(tmp_path: Path) -> None:
    rules = "# 会议规则\n\n第一条　会议程序由主持人宣布。\n\n第二条　会议程序结束后形成纪要。\n"
    kbase = indexed(tmp_path, "规则.md", rules)
    answer = QAService(kbase.retriever, sessions=kbase.sessions).ask("会议程序是怎样的")
    assert not answer.refused and answer.outline is None
    assert "「" in answer.text


def test_the_key_article_of_a_process_is_the_one_that_states_it() -> None:
    from dataclasses import replace

    from bot.qa.outline import key_passage

    stray = replace(passage("第一条　别的文件。"), document_id=2, chunk_id="s")
    plain = replace(passage("第五条　申报后十日内初审。"), chunk_id="a")
    states = replace(passage("第六条　评定的程序是：（一）申报；（二）审核。"), chunk_id="b")
    ranked = [stray, plain, states]
    assert key_passage(ranked, "评定要走哪些流程") is states  # the document most come from
    assert key_passage(ranked, "初审要多久") is plain  # no process asked: the best ranked


def found(article: int, chapter: str, score: float, section: str = "") -> Passage:
    """A passage of the generated regulation as the retriever would return it."""
    label = f"第{cn2an.an2cn(article)}条"
    path = [TITLE, chapter] + ([section] if section else []) + [label]
    text = next(block for block in REGULATION.split("\n\n") if block.startswith(label + "　"))
    return Passage(
        chunk_id=f"c{article}",
        title=TITLE,
        source="星级评定.md",
        kind="regulation",
        heading=" > ".join(path),
        text=text,
        score=score,
        article=label,
        document_id=1,
        article_no=article,
    )


def outline_of(kbase, question: str, passages: list[Passage]):  # type: ignore[no-untyped-def]
    from bot.qa.outline import Outlines

    return Outlines(kbase.sessions).outline(question, passages)


AUDIT = "第三章　审核"
FIRST, SECOND = "第一节　初审", "第二节　实地核查"


def test_the_chapter_most_passages_lie_in_is_shown_with_its_own_passage_quoted(kbase) -> None:
    # the top passage lies elsewhere; most of the others lie in one chapter
    passages = [
        found(2, "第一章　总则", 0.9),
        found(7, AUDIT, 1.0, SECOND),
        found(5, AUDIT, 0.8, FIRST),
        found(3, "第二章　申报", 0.5),
        found(8, AUDIT, 0.7, SECOND),
    ]
    outline = outline_of(kbase, "星级评定要走哪些流程", passages)
    assert outline is not None and outline.within == "第三章 审核"
    assert [(s.first, s.last) for s in outline.steps] == [(5, 6), (7, 8)]
    assert outline.key.article_no == 7  # the best passage of that chapter, not the top one


def test_kinds_follow_the_chapter_of_the_two_best_passages(kbase) -> None:
    # two of five passages in one chapter, the two best ranked: weighed by rank, that chapter
    # holds most of them; counted, no chapter does
    passages = [
        found(7, AUDIT, 1.0, SECOND),
        found(5, AUDIT, 0.8, FIRST),
        found(3, "第二章　申报", 0.9),
        found(9, "第四章　认定", 0.7),
        found(4, "第二章　申报", 0.6),
    ]
    kinds = outline_of(kbase, "星级评定的核查分哪几种情况", passages)
    assert kinds is not None and kinds.within == "第三章 审核"
    assert kinds.key.article_no == 7
    # a process spread so is the whole document's: its chapters, as before
    process = outline_of(kbase, "星级评定要走哪些流程", passages)
    assert process is not None and process.within is None
    assert [s.first for s in process.steps] == [3, 5, 9]


def test_the_whole_procedure_is_the_document_unless_the_chapter_is_named(kbase) -> None:
    passages = [
        found(7, AUDIT, 1.0, SECOND),
        found(5, AUDIT, 0.8, FIRST),
        found(3, "第二章　申报", 0.5),
    ]
    whole = outline_of(kbase, "星级评定从头到尾要走哪些流程", passages)
    assert whole is not None and whole.within is None
    assert [s.first for s in whole.steps] == [3, 5, 9]
    named = outline_of(kbase, "审核从头到尾要走哪些步骤", passages)
    assert named is not None and named.within == "第三章 审核"
    # the key article is one of the steps shown, never the general provisions
    spread = [
        found(1, "第一章　总则", 1.0),
        found(3, "第二章　申报", 0.6),
        found(9, "第四章　认定", 0.5),
    ]
    whole = outline_of(kbase, "星级评定要走哪些流程", spread)
    assert whole is not None and whole.within is None and whole.key.article_no == 3


def test_an_enumerating_article_elsewhere_does_not_stand_for_the_chapter(kbase) -> None:
    grades = found(9, "第四章　认定", 0.6)
    passages = [grades, found(7, AUDIT, 1.0, SECOND), found(5, AUDIT, 0.8, FIRST)]
    outline = outline_of(kbase, "审核分哪几种情况", passages)
    assert outline is not None and outline.within == "第三章 审核"
    # where it lies with the others, the enumerating article is quoted whole
    alone = [grades, found(10, "第四章　认定", 0.5), found(7, AUDIT, 0.4, SECOND)]
    assert outline_of(kbase, "评定结果分为哪几种等次", alone) is None


def test_the_top_passage_chooses_the_document_when_both_rankings_agree() -> None:
    from dataclasses import replace

    from bot.qa.outline import key_document

    top = replace(passage("第一条　别的文件。"), document_id=2, chunk_id="s", score=1.0)
    others = [replace(passage(f"第{n}条　某条。"), chunk_id=f"o{n}", score=0.7) for n in "五六七"]
    assert key_document([top, *others]) == 2
    assert key_document([replace(top, score=0.6), *others]) == 1


ITEMS_ONLY = """# 村级重大事项决策规定

第一条　为了规范村级重大事项决策，制定本规定。

第二条　村级重大事项决策按照下列程序进行：
（一）村党组织提议；
（二）村党组织和村民委员会会议商议；
（三）党员大会审议；
（四）村民代表会议决议；
（五）决议公开和实施结果公开。

第三条　涉及村民切身利益的事项，应当事先听取村民意见。

第四条　本规定自印发之日起施行。
"""


def test_a_document_of_enumerated_items_is_answered_with_its_items_in_order(
    tmp_path: Path,
) -> None:
    kbase = indexed(tmp_path, "决策规定.md", ITEMS_ONLY)
    service = QAService(kbase.retriever, sessions=kbase.sessions)
    for question in ("村级重大事项决策要走哪些程序", "村里重大事项决策分哪几步"):
        answer = service.ask(question)
        assert not answer.refused and answer.outline is None, answer.text
        assert (
            "《村级重大事项决策规定》第二条\n「村级重大事项决策按照下列程序进行：」" in answer.text
        )
        items = [answer.text.index(f"（{n}）") for n in "一二三四五"]
        assert items == sorted(items)


def test_a_chapter_whose_heading_the_question_names_is_shown(kbase) -> None:
    # counted, most passages lie in 第三章; the best one lies in the chapter the question names
    passages = [
        found(3, "第二章　申报", 1.0),
        found(7, AUDIT, 0.9, SECOND),
        found(5, AUDIT, 0.8, FIRST),
    ]
    outline = outline_of(kbase, "申报有哪些手续", passages)
    assert outline is not None and outline.within == "第二章 申报"
    assert outline.key.article_no == 3
    # a word no chapter heading has leaves the count to decide
    counted = outline_of(kbase, "星级评定有哪些手续", passages)
    assert counted is not None and counted.within == "第三章 审核"


def test_a_process_asked_by_its_verb_is_outlined_when_the_verb_names_a_chapter(kbase) -> None:
    from bot.qa.outline import asks_for_steps, listing_first

    passages = [
        found(7, AUDIT, 1.0, SECOND),
        found(5, AUDIT, 0.8, FIRST),
        found(9, "第四章　认定", 0.5),
    ]
    assert asks_for_steps("服务站星级怎么审核")
    outline = outline_of(kbase, "服务站星级怎么审核", passages)
    assert outline is not None and outline.within == "第三章 审核"
    assert [(s.first, s.last) for s in outline.steps] == [(5, 6), (7, 8)]
    # asked how by a word that names no chapter: quotes, in the order found
    assert outline_of(kbase, "服务站星级怎么收费", passages) is None
    assert listing_first("服务站星级怎么收费", passages) == passages


def test_a_process_word_told_in_passing_asks_for_no_steps() -> None:
    from bot.qa.outline import asks_for_steps

    assert not asks_for_steps("我帮人跑了个审核手续 他送了我两千块 这算违纪吗")
    assert asks_for_steps("发展对象要调走了 这会儿还能办接收的手续吗")
    assert asks_for_steps("组织关系转接的手续")  # one clause: it is what is asked


def test_the_key_of_a_list_question_is_the_article_naming_the_items_asked() -> None:
    from dataclasses import replace

    from bot.qa.outline import key_passage

    first = replace(passage("第五条　考察期为一年。"), chunk_id="a")
    ways = replace(passage("第六条　通过谈心、培训和实践锻炼等方式进行考察。"), chunk_id="b")
    assert key_passage([first, ways], "考察通过哪些方式进行") is ways
    assert key_passage([first, ways], "考察期多长") is first


def passages_over_three_chapters() -> list[Passage]:
    return [
        found(4, "第二章　申报", 1.0),
        found(7, AUDIT, 0.6, SECOND),
        found(9, "第四章　认定", 0.5),
    ]


def test_a_process_of_something_narrower_than_the_document_is_quoted(kbase) -> None:
    spread = passages_over_three_chapters()
    whole = outline_of(kbase, "星级评定要走哪些流程", spread)
    assert whole is not None and whole.within is None  # the title's own subject
    assert outline_of(kbase, "整改记录要走哪些流程", spread) is None  # 整改, 记录: no stage
    assert outline_of(kbase, "整改记录从头到尾一共要走哪些流程", spread) is not None


def test_a_process_asked_by_the_verb_of_the_title_gets_the_document(kbase) -> None:
    spread = passages_over_three_chapters()
    whole = outline_of(kbase, "服务站怎么评定", spread)
    assert whole is not None and whole.within is None
    assert [s.first for s in whole.steps] == [3, 5, 9]
    assert outline_of(kbase, "群众意见怎么评定", spread) is None  # not the title's subject


def test_the_county_vocabulary_reads_a_process_as_the_titles_subject(kbase) -> None:
    """The knowledge base's own vocabulary (词表.yaml), not only the shipped one, tells that
    an everyday word names the document's subject."""
    from bot.qa.outline import Outlines
    from bot.qa.vocabulary import Vocabulary

    spread = passages_over_three_chapters()
    county = Vocabulary(synonyms={"评五星": ("星级评定",)})
    whole = Outlines(kbase.sessions, county).outline("评五星要走哪些流程", spread)
    assert whole is not None and whole.within is None
    assert Outlines(kbase.sessions).outline("评五星要走哪些流程", spread) is None


def test_a_one_character_verb_asked_how_names_no_process(kbase) -> None:
    """咋做评定: the verb asked how is 做, and 评定 its object: no process named by the title
    or a chapter, so quotes; 怎么评定 and 怎么审核 are the processes."""
    spread = passages_over_three_chapters()
    assert outline_of(kbase, "服务站咋做评定", spread) is None
    assert outline_of(kbase, "服务站怎么评定", spread) is not None
    audit = [found(7, AUDIT, 1.0, SECOND), found(5, AUDIT, 0.8, FIRST)]
    assert outline_of(kbase, "服务站星级咋做审核", audit) is None
    assert outline_of(kbase, "服务站星级怎么审核", audit) is not None


def test_several_asked_in_a_yes_or_no_clause_gets_no_outline(service) -> None:
    from bot.qa.outline import asks_for_steps

    assert not asks_for_steps("服务站下面能不能分几个等次")
    assert service.ask("服务站下面能不能分几个等次").outline is None
    assert asks_for_steps("星级评定结果分几个等次")
