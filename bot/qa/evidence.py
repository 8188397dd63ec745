"""Whether the evidence carries what was asked: the question's focal concept, and the kind of
fact it asks for.

The focal concept is the question's most specific word in general Chinese (jieba's dictionary
frequencies), after the words that only say how something is asked. Whether the knowledge base
addresses it is read from the knowledge base itself: the word, or a regulation word the
vocabulary gives for it, occurs in some passage. Nothing here names a topic.

The kind of fact (how often, how long, how many, how old, how much money, who approves) is read
from the question's asking words, and a passage states it when it holds a figure of that kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.index.tokenize import DOMAIN_TERMS
from bot.qa.concept import NOUN_CLASSES, Concept, focus_rank
from bot.qa.concept_reading import KnowledgeText, concepts, read_as_kin
from bot.qa.fact_kinds import (
    FactKind,
    act_span,
    kind_asked,
)
from bot.qa.predicate import Event, predicate_of
from bot.qa.refusal_name import fact_owner, head_after, widest_used
from bot.qa.situation import asked_focus, story_detail
from bot.qa.vocabulary import (
    Vocabulary,
    question_words,
    word_class,
)
from ingest.splitter import HEADING_SEPARATOR

SENTENCE_BREAKS = re.compile(r"[。；！？\n]")
_CLAUSE = re.compile(r"[，：]")
# a chapter or section heading naming several things: 村民会议和村民代表会议, 教育、管理
_SEVERAL = re.compile(r"[和与及、]")

# a word the knowledge base never uses is taken for the question's focus only when it is at
# least this specific (-log of its share of general Chinese; gate.ABSENT_NAMED's threshold)
ABSENT_FOCUS = 12.0
# below this share of the question's concepts named in the first passage, the answer is at most
# low-confidence: on the tuning halves, out-of-corpus questions answered confidently had 0–0.23,
# answerable ones 0.31 and up but one (bench.refusal_loop)
CARRIED_SHARE = 0.27
# the figure stated must start within this many characters of a concept asked about (in its
# sentence); 20 and 30 alike on the tuning halves and the scratch questions, the laxer kept
FACT_NEAR = 30
# how many of the first passages found the kind of fact asked is looked for in
FACT_DEPTH = 3
# a verb at least this specific (换届, 申诉, 延期; not 提前, 处理) is what a question asking for a
# figure is about as much as its nouns: the figure must be stated where it is too
EVENT_VERB = 11.5
# a noun the knowledge base never uses, said right after one it does use, is the head of the
# phrase (党员积分制管理: a kind of management the knowledge base does not hold) when it is at
# least this specific: rarer than 基地 or 红色
HEAD_NOUN = 10.0
# the words that ask for a whole procedure or its parts (outline.PROCESS, outline._WHOLE): how
# it is asked, never the head of what is asked about (入党流程, 发展党员一共分几个阶段)
_ASKS_WHOLE = re.compile(r"流程|程序|步骤|手续|环节|阶段|全过程|从头到尾|一共")
# the verb a figure is asked of (多少天内要给答复, 多久会找我谈话) is the event asked about when
# at least this specific (答复, 谈话, 提拔; not 提出, 组成, 才能)
ASKED_ACT = 10.0
# the word classes a story says again without asking about them: verbs, pronouns (那天), time,
# direction and place words (jieba v r t f s)
_RETOLD_CLASSES = ("v", "r", "t", "f", "s")
_MODALS = ("才能", "不能", "可以", "能够", "应该", "需要", "必须")


@dataclass(frozen=True)
class Verdict:
    """What the evidence check found, for the answer to say (rendering is the answer's)."""

    concept: str | None = None  # the focal concept, as the question says it
    # "concept": the knowledge base never addresses it; "fact": it does, but no passage about it
    # states the kind of fact asked; "loose": a passage states it, not in the concept's sentence
    missing: str | None = None
    fact: str | None = None  # the kind of fact asked (FactKind.label)
    nearest: tuple[str, ...] = ()  # titles of the documents nearest to the question
    # the passages touch the question without carrying what it is about — the fact stated only
    # where none of its concepts is, or its focus nowhere in the knowledge base (选调生): at
    # most a low-confidence answer
    tentative: bool = False
    # the focal concept's forms (the word and its regulation words): the passage quoted first
    # must name one to be quoted as the answer
    focus: tuple[str, ...] = ()
    # a word the knowledge base never uses that is the head of a phrase whose modifier it does
    # use (积分 in 党员积分制管理): the passages name the modifier, not the thing asked about —
    # at most a low-confidence answer, the refusal decision untouched
    unheld: str | None = None
    # what each yes-or-no clause asks whether (算不算失职: 失职; 党费还要不要接着交: 党费), as the
    # words and regulation words the knowledge base uses: one of the passages quoted first must
    # name a word of each for a confident answer (answer.tier)
    predicate: tuple[tuple[str, ...], ...] = ()

    @property
    def no_rule(self) -> bool:
        return self.missing in ("concept", "fact") and self.concept is not None


def _is_focus(absent: Concept, focal: Concept | None) -> bool:
    """Whether the word the knowledge base never uses is what the question is about: rarer
    than everyday words, and of a kind at least as likely to be the focus as the most specific
    word the knowledge base does use (选调生 beside 村里, not 安排 beside 选调生)."""
    if absent.specificity < ABSENT_FOCUS:
        return False
    return focal is None or focus_rank(absent.forms[0]) <= focus_rank(focal.forms[0])


def _party_word(concept: Concept) -> bool:
    """One of the Party's own terms, or a word the vocabulary reads as one (支委会: 支部委员会);
    not any word kept whole (the county's 术语 hold 公务用车, 宅基地) nor any word the vocabulary
    rewords (公车私用: 公务用车, which a regulation may word otherwise)."""
    return any(form in DOMAIN_TERMS for form in concept.forms)


def _head_of(absent: Concept, nouns: Sequence[Concept], question: str) -> bool:
    """Whether the word the knowledge base never uses heads a noun phrase whose modifier it does
    use: a noun (by jieba's class) said right after a noun or Party term the knowledge base
    names (党员积分制; not 发展党员一共: 一共 asks for the whole, like 流程)."""
    word = absent.word
    if absent.specificity < HEAD_NOUN or _ASKS_WHOLE.search(word):
        return False
    if not word_class(word).startswith(NOUN_CLASSES) or word not in question_words(question):
        return False
    at = question.find(word)
    return at > 0 and any(question[:at].endswith(c.word) for c in nouns)


def _said_again(absent: Concept, question: str) -> bool:
    """Whether the word the knowledge base never uses is said twice, as a thing (镇上搞积分制管理
    一年积分不到60分咋办: 积分): what the question comes back to is what it is about, and no
    passage names it. Rarer than 基地 (HEAD_NOUN); not a verb, a pronoun or a word of time or
    place, which a story repeats (在外打工 … 他打工那边, 交申请书那天还是批准那天)."""
    if absent.specificity < HEAD_NOUN or word_class(absent.word).startswith(_RETOLD_CLASSES):
        return False
    return question.count(absent.word) >= 2


def _asked_act(question: str, fact: FactKind, known: Sequence[Concept]) -> Concept | None:
    """The verb the asking words govern, said after them in their clause (上级多少天内要给答复:
    答复): the figure asked is that act's, not any figure stated near the question's nouns."""
    for word in question_words(act_span(question, fact)):
        if word in _MODALS or not word_class(word).startswith("v"):
            continue
        concept = next((c for c in known if c.word == word), None)
        if concept is not None and concept.specificity >= ASKED_ACT:
            return concept
    return None


def _unheard_act(
    question: str, fact: FactKind, found: Sequence[Concept], knowledge: KnowledgeText
) -> Concept | None:
    """The verb the asking words govern (几天内送到本人手里: 送到) when the knowledge base never
    uses it, nor a word sounding the same (宣示 typed for 宣誓): no passage can state the figure
    of that act, whatever figure it states of another (一个月内…宣布)."""
    for word in question_words(act_span(question, fact)):
        if word in _MODALS or not word_class(word).startswith("v"):
            continue
        concept = next((c for c in found if c.word == word), None)
        if concept is None or concept.in_knowledge_base or concept.specificity < ASKED_ACT:
            return None
        return None if knowledge.sounds_used(word) else concept
    return None


def fact_stated(fact: FactKind, about: Sequence[Concept], passages: Sequence[str]) -> str:
    """'yes' when a passage names all the question's concepts and states the kind of fact asked
    in a sentence naming one of them; 'no' when the passages naming them do not state it,
    however much the others do (支委会多久开一次 is not answered by 全国代表大会每五年举行一次);
    'loose' when it is stated, but not so (当村支书要有几年党龄: 委员会的委员必须有五年以上的
    党龄, with no 村支书; 党支部书记… 三个月内审批, where 党龄 is not)."""
    if any(_states(fact, about, text) for text in passages):
        return "yes"
    naming = [text for text in passages if not about or any(c.in_text(text) for c in about)]
    stating = [text for text in passages if fact.stated.search(text)]
    if stating and (not naming or any(text in naming for text in stating)):
        return "loose"
    return "no"


def _states(fact: FactKind, about: Sequence[Concept], passage: str) -> bool:
    """The passage names all the concepts and states the fact within FACT_NEAR characters of
    one, or anywhere when its opening clause (with its headings) names one: the article is about
    it (村务公开制度 … 前款规定事项中，一般事项至少每季度公布一次). 党支部每年至少召开1次组织
    生活会，…或者党小组会形式召开 does not say how often 党小组会 meets."""
    if not all(c.in_text(passage) for c in about):
        return False
    # the article's own text, with the headings above it (the document's title, 第一章 党员)
    # that name one thing: a heading naming several (第四章 村民会议和村民代表会议) does not say
    # which one its article is about (第二十一条 村民会议由…)
    levels = passage.split(HEADING_SEPARATOR)
    sentences = SENTENCE_BREAKS.split(levels[-1])
    chapters = [level for level in levels[1:-1] if not _SEVERAL.search(level)]
    title = levels[0] if len(levels) > 1 else ""
    opening = title + "".join(chapters) + _CLAUSE.split(sentences[0])[0]
    if not about or any(c.in_text(opening) for c in about):
        return bool(fact.stated.search(levels[-1]))
    return any(
        _near(sentence, figure.start(), about)
        for sentence in sentences
        for figure in fact.stated.finditer(sentence)
    )


def _near(sentence: str, at: int, about: Sequence[Concept]) -> bool:
    for concept in about:
        for form in concept.forms:
            found = sentence.find(form)
            while found >= 0:
                if abs(found - at) <= FACT_NEAR:
                    return True
                found = sentence.find(form, found + 1)
    return False


def check_evidence(
    question: str,
    passages: Sequence[tuple[str, str]],
    vocabulary: Vocabulary,
    knowledge: KnowledgeText,
) -> tuple[float, float, Verdict]:
    """passages: (document title, heading and text), best first. Returns the specificity of the
    most specific word the knowledge base never uses (0 when none), whether the top passage
    carries the most specific word it does use, and the verdict."""
    texts = [text for _, text in passages]
    found = read_as_kin(concepts(question, vocabulary, knowledge), texts[:FACT_DEPTH], knowledge)
    unused = [c for c in found if not c.in_knowledge_base]
    absent = next((c for c in unused if not story_detail(c, question, found, texts[:1])), None)
    known = [c for c in found if c.in_knowledge_base]
    focal = known[0] if known else None
    # the refusal decision still weighs the most specific word the knowledge base never uses
    weighed = unused[0] if unused else None
    nearest = tuple(dict.fromkeys(title for title, _ in passages))[:3]
    # what the question is about, without the verbs and adverbs (要求, 处理, 一般) that half the
    # passages use: the fact must be stated where one of these is
    nouns = [c for c in known if focus_rank(c.forms[0]) <= 1]
    about = nouns or known
    fact = kind_asked(question)
    # the fact must also be stated where the event asked about is (换届, 申诉): a specific verb
    events: list[Concept] = [
        Event(c.word, c.forms, c.specificity, True)
        for c in known
        if focus_rank(c.forms[0]) == 2 and c.specificity >= EVENT_VERB
    ]
    unheard = None
    if fact is not None:
        act = _asked_act(question, fact, known)
        if act is not None and all(e.word != act.word for e in events):
            events.append(Event(act.word, act.forms, act.specificity, True))
        unheard = _unheard_act(question, fact, found, knowledge)
    stated = "yes"
    if fact is not None:
        stated = fact_stated(fact, about, texts[:FACT_DEPTH])
        if stated == "yes" and unheard is not None:
            # 处分决定几天内送到本人手里: 一个月内…宣布 is the deadline of another act
            stated = "loose"
        if (
            stated == "yes"
            and events
            and fact_stated(fact, about + events, texts[:FACT_DEPTH]) != "yes"
        ):
            stated = "loose"  # 村党支部换届要提前多少天: 三个月内审批 is another matter's deadline
        elif stated == "no" and any(
            fact_stated(fact, [e], texts[:FACT_DEPTH]) == "yes" for e in events
        ):
            # 对村主任不满意想罢免他要多少人联名: the figure is stated of the act asked (五分之一
            # 以上的村民…联名), in a passage naming the group the noun belongs to (村民委员会成员),
            # not the noun: a passage may answer it, so at most a low-confidence answer
            stated = "loose"
    unaddressed = absent is not None and bool(known) and _is_focus(absent, focal)
    if fact is not None and not found:
        # 两优一先多久评一次: no word of it read, so nothing says a figure found is its figure
        verdict = Verdict(None, "loose", fact.label, nearest, tentative=True)
    elif absent is not None and not known and _is_focus(absent, None):
        if _party_word(absent):
            # 支委会多久开一次 over a work report alone: the Party vocabulary names it, so the
            # question is in the field the knowledge base is for, and no passage can state a
            # fact of what it never names
            missing = "fact" if fact is not None else "concept"
            verdict = Verdict(absent.word, missing, None, nearest, tentative=True)
        else:
            # 农村户口转城市户口怎么办: not one of its words in the knowledge base, so the
            # passages found share at most a sense with it; a hint, never a named refusal (红烧肉)
            verdict = Verdict(None, None, None, nearest, tentative=True)
    elif stated == "no" and absent is not None and known:
        # 党员多久交一次党费 with no 党费 anywhere: the fact missing is 党费's, not 党员's; but
        # a verb or adverb it never uses (还要) is not what the rule would be about
        # 党费按工资的百分之几交 with no 工资 anywhere: the rule missing is 党费's, a Party term
        rank = focus_rank(absent.forms[0])
        named = absent if focal is None or rank <= min(1, focus_rank(focal.forms[0])) else focal
        if head_after(absent, nouns, question):
            named = absent  # 农村低保一个月能领多少: 低保's amount, not 农村's
        word = widest_used(named.word, question, knowledge) if named is focal else named.word
        verdict = Verdict(word, "fact", fact.label if fact else None, nearest)
    elif stated != "yes" and fact is not None:
        # refused only when it is known what the fact is about: with no noun the knowledge base
        # uses (村代会多久开一回, read as 村/代/会), a passage may still answer it
        missing = "fact" if stated == "no" and nouns else "loose"
        name = fact_owner(question, fact, focal, known, knowledge) if focal else None
        verdict = Verdict(name, missing, fact.label, nearest, tentative=True)
    elif absent is not None and known and unaddressed:
        # named only when the question is otherwise in the knowledge base's field: 一肩挑 beside
        # 村支书 and 村主任, not 红烧肉 alone (a plain refusal, no "nearest" Party documents)
        verdict = Verdict(absent.word, "concept", None, nearest, tentative=True)
    elif texts and carried_share(about, texts[0]) < CARRIED_SHARE:
        # 村干部干满三年能考事业编吗 answered by an article on cadres' terms that names none of
        # 村干部, 事业, 条件: the first passage quoted is not about what was asked
        concept = focal.word if focal else None
        verdict = Verdict(concept, "passage", None, nearest, tentative=True)
    elif absent is not None and known:
        verdict = Verdict(absent.word, "concept", None, nearest)
    else:
        verdict = Verdict(focal.word if focal else None, None, None, nearest)
    carried = float(bool(focal and texts and focal.in_text(texts[0])))
    if focal is not None:
        focus = asked_focus(question, known, focal)
        verdict = replace(verdict, focus=focus, predicate=predicate_of(question, known))
    if (
        absent is not None
        and not verdict.tentative
        and (_head_of(absent, nouns, question) or _said_again(absent, question))
    ):
        verdict = replace(verdict, unheld=absent.word)
    return round(weighed.specificity if weighed else 0.0, 4), carried, verdict


def carried_share(about: Sequence[Concept], passage: str) -> float:
    """How much of what the question is about (its concepts, weighted by specificity) the
    passage names; 1 when the question names nothing the knowledge base uses."""
    total = sum(c.specificity for c in about)
    if not total:
        return 1.0
    return sum(c.specificity for c in about if c.in_text(passage)) / total
