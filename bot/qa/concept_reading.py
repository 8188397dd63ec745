"""The question's words as concepts, read against the knowledge base's own text: whether the
knowledge base uses a word at all (`KnowledgeText`), and which of the question's words may be
what it asks about (`concepts`) — not the phrases said in passing, predicates or amounts."""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from bot.qa.concept import Concept, focus_rank
from bot.qa.vocabulary import (
    QUANTITY_CLASSES,
    Vocabulary,
    question_words,
    specificity,
    word_class,
    word_parts,
)

_NUMERALS = "一二三四五六七八九十两"
_REMEMBERED_WORDS = 100_000
_POSTPOSITIONS = "里上"
# a verb's potential (回不来, 撑得住) and result complements (订好, 办完, 扔掉, 记住)
_POTENTIAL = "不得"
_RESULTS = "好完掉住"
# a verb's directional complement (引下来, 报上去, 退回去): where the act goes, said of the story
_DIRECTIONS = re.compile(r"[^\W\d_][上下进出回过起开](?:来|去)$")
# adverbs and modals a predicate follows (还算数, 就作废, 能算数)
_ADVERBS = "还才就也都又再能要该"
# set phrases and idioms (发红包, 挨家挨户, 吆五喝六) say how something was done, never what a rule
# would be about
_SET_PHRASE_CLASSES = ("l", "i")
# a deadline form is cut whole (几天内, 多少天以内, 几个月内, 多久之内): 要几天内存进银行
# would read 内存
_QUANTITY_ASKED = re.compile(
    r"(?:(?:多少|几)个?(?:工作日|天|日|月|年|周|星期|小时)|多久|多长时间)(?:之|以)?内"
    r"|百分之(?:多少|几)|(?:多少|几)(?:个|名|位|人|天|年|次|回|岁|元|块|届|月|项|条|成)?|多久|多长时间"
    r"|多大(?:岁数|年纪|年龄)"
)
# a word sounding like the one typed is what was meant only when it is a dictionary word at least
# this common (宣誓 for 宣示; not 请加, two characters across 申请加入)
_SLIP_TARGET = 14.0
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}$")


class KnowledgeText:
    """All passages' text in one string, to ask whether the knowledge base uses a word at all."""

    def __init__(self, texts: Iterable[str]) -> None:
        self._text = "\n".join("".join(t.split()) for t in texts)
        self._seen: dict[str, bool] = {}  # a scan of the whole text is ~1 ms at 10k passages
        # the text's characters and bigrams settle most words without a scan: a word of one or
        # two characters exactly, a longer one when one of its bigrams is absent
        self._chars = set(self._text)
        self._bigrams = set(map(operator.add, self._text, self._text[1:]))
        self._by_char: dict[str, list[str]] | None = None  # the bigrams by character, when asked
        # the bigrams by their first and by their second character, when asked
        self._by_place: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None

    def sounds_used(self, word: str) -> bool:
        """Whether the text uses another two-character word sounding like `word` and sharing a
        character with it: 宣誓 for 宣示, a slip of the pinyin keyboard."""
        from pypinyin import lazy_pinyin

        if len(word) != 2:
            return False
        sounds = lazy_pinyin(word)
        if self._by_char is None:
            self._by_char = {}
            for bigram in self._bigrams:
                for char in set(bigram):
                    self._by_char.setdefault(char, []).append(bigram)
        sharing = {*self._by_char.get(word[0], ()), *self._by_char.get(word[1], ())}
        return any(
            lazy_pinyin(other) == sounds
            for other in sharing
            if other != word
            # a word of general Chinese, not two characters across words (申请加入: 请加)
            and specificity(other) < _SLIP_TARGET
        )

    def sole_kin(self, word: str) -> tuple[str, ...]:
        """For a two-character word the text never uses, the words it does use that share one
        of its characters in the same place, where the text pairs that character there with no
        other (串通: 串供, the only 串X): the rarer the character, the likelier one sense."""
        if len(word) != 2 or not _HAN_PAIR.match(word):
            return ()
        if self._by_place is None:
            self._by_place = ({}, {})
            for bigram in self._bigrams:
                if _HAN_PAIR.match(bigram):
                    for place in (0, 1):
                        self._by_place[place].setdefault(bigram[place], set()).add(bigram)
        kin = []
        for place in (0, 1):
            sharing = self._by_place[place].get(word[place], set()) - {word}
            if len(sharing) == 1:
                kin.append(next(iter(sharing)))
        return tuple(kin)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        found = self._seen.get(word)
        if found is None:
            if len(word) == 1:
                found = word in self._chars
            elif not all(word[i : i + 2] in self._bigrams for i in range(len(word) - 1)):
                found = False
            else:
                found = len(word) == 2 or word in self._text
            if len(self._seen) < _REMEMBERED_WORDS:
                self._seen[word] = found
        return found


def concepts(question: str, vocabulary: Vocabulary, knowledge: KnowledgeText) -> list[Concept]:
    """The question's words, the likeliest focus first — Party-work terms, then other nouns,
    then the rest (主题党日多久开展一次 is about 主题党日, not 开展) —, each most specific first
    within its kind, with whether the knowledge base has it."""
    found = []
    # the words that ask how many are cut out first, or they lend a character to the next
    # word: 到多少人才能开 would read 人才
    for word in question_words(_QUANTITY_ASKED.sub(" ", question)):
        if word_class(word).startswith(QUANTITY_CLASSES):
            continue
        forms = (word, *vocabulary.synonyms.get(word, ()))
        in_kb = any(form in knowledge for form in forms)
        if not in_kb:
            if _said_in_passing(word) or _predicated(word, question):
                continue
            head = _head(word)
            if head is not None and head in knowledge:
                # 新党员, 村支部, 谈谈心: a kind of what the knowledge base names, read as it
                forms, in_kb = (*forms, head), True
            elif word_class(word) in _SET_PHRASE_CLASSES:
                continue
        found.append(Concept(_whole(word, question), forms, specificity(word), in_kb))
    return sorted(found, key=lambda c: (focus_rank(c.forms[0]), -c.specificity))


def read_as_kin(
    found: list[Concept], texts: Sequence[str], knowledge: KnowledgeText
) -> list[Concept]:
    """The concepts, each word the knowledge base never uses read as its sole kin (串通 as
    串供: KnowledgeText.sole_kin) when a passage found uses the kin and it is a dictionary word
    of the same kind, a verb for a verb, a noun for a noun (not 购买 for 购物, nor 大喝 from
    大吃大喝): the same act said in other words, not a thing the knowledge base lacks."""
    read = []
    for concept in found:
        if not concept.in_knowledge_base:
            kind = word_class(concept.word)[:1]
            kin = tuple(
                word
                for word in knowledge.sole_kin(concept.word)
                if kind not in ("", "x")
                and word_class(word)[:1] == kind
                and any(word in text for text in texts)
            )
            if kin:
                concept = replace(concept, forms=(*concept.forms, *kin), in_knowledge_base=True)
        read.append(concept)
    return read


def _said_in_passing(word: str) -> bool:
    """A phrase the dictionary happens to hold rather than a concept: a verb with its aspect
    particle (犯了错, 搞了个), a place said with its postposition (县里, 局里, 镇上), or a verb
    with its result, potential or directional complement (订好, 回不来, 撑不住, 引下来): how
    the story goes."""
    if "了" in word[1:] or (len(word) == 2 and word[1] in _POSTPOSITIONS):
        return True
    if not word_class(word).startswith("v"):
        return False
    if directional_verb(word):
        return True
    return (len(word) == 3 and word[1] in _POTENTIAL) or (len(word) == 2 and word[1] in _RESULTS)


def directional_verb(word: str) -> bool:
    """A verb of three characters or more with its directional complement: 引下来, 报上去."""
    return (
        len(word) >= 3 and _DIRECTIONS.search(word) is not None and word_class(word).startswith("v")
    )


def _predicated(word: str, question: str) -> bool:
    """A word said right after an adverb or modal (还算数, 就作废, 能算数), everywhere it is
    said, is what is said of the subject: a predicate, not a thing the question is about."""
    spots = [m.start() for m in re.finditer(re.escape(word), question)]
    return bool(spots) and all(at > 0 and question[at - 1] in _ADVERBS for at in spots)


def _head(word: str) -> str | None:
    """The longest dictionary word a compound ends with (新党员: 党员; 谈谈心: 谈心)."""
    heads = [part for part in word_parts(word) if word.endswith(part)]
    return max(heads, key=len) if heads else None


def _whole(word: str, question: str) -> str:
    """The word with the numeral the segmenter cut off its front (一肩挑, not 肩挑)."""
    at = question.find(word)
    while at > 0 and question[at - 1] in _NUMERALS:
        at -= 1
        word = question[at] + word
    return word
