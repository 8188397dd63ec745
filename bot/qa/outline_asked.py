"""What a procedure question names, read against a document's title: the verb asked how
(怎么发展党员: 发展), and whether every thing asked about is the document's own subject. Split
from bot.qa.outline, which decides the level of the structure shown."""

from __future__ import annotations

from bot.index.tokenize import tokenize
from bot.qa.clauses import ASKS_FOR_STEPS, ASKS_HOW, steps_asked
from bot.qa.vocabulary import Vocabulary, question_words, word_class

# jieba's classes of words that do not name a thing: verbs, adverbs, prepositions, time,
# place words, numerals, pronouns, conjunctions, particles, set phrases, abbreviations — unlike
# concept.NOUN_CLASSES, where an abbreviation (j: 两委) is a thing; left as fitted
_NOT_THINGS = ("v", "d", "p", "t", "f", "m", "r", "c", "u", "i", "j", "y", "e")


def how_names_title(asked: str, title: str, vocabulary: Vocabulary) -> bool:
    """Asked how by a verb of the document's title, about its own subject (党员怎么发展 of
    发展党员工作细则)."""
    if steps_asked(asked):
        return False
    verb = how_verb(asked)
    return (
        bool(verb) and verb[0] in set(tokenize(title)) and about_document(asked, title, vocabulary)
    )


def how_verb(asked: str) -> list[str]:
    """The verb right after the asking word (怎么选举: 选举); none when it is one character (咋做
    工作: 做, and 工作 is its object, not a process the document names)."""
    how = ASKS_HOW.search(asked)
    first = tokenize(asked[how.end() :])[:1] if how else []
    return question_words(asked[how.end() :])[:1] if how and first and len(first[0]) > 1 else []


def about_document(question: str, title: str, vocabulary: Vocabulary) -> bool:
    """Every thing the question names is named by the document's title (入党要走哪些流程 →
    发展党员 of 发展党员工作细则), so its chapters are the stages asked for; 罢免村委会主任的程序
    names 罢免 and 主任, which 村民委员会组织法 does not."""
    title_words = set(tokenize(title)) | set(question_words(title))
    things = [
        word
        for word in question_words(vocabulary.formal_text(question))
        if not ASKS_FOR_STEPS.search(word) and not word_class(word).startswith(_NOT_THINGS)
    ]
    return all(word in title_words for word in things)
