"""What a document's name is made of: its kind (条例, 细则, 法 …) and its distinctive characters
once the words every title shares are dropped (中国共产党, 工作, 试行, 党的), and how a name is
typed short or slipped on a phone: by its initials in pinyin (dz for 党章), by some of its
characters in order from the first (乡振法 for 乡村振兴促进法), or by sound-alikes the fuzzy
pinyin keyboards offer (振心 for 振兴: xin for xing, zi for zhi, li for ni)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.qa.vocabulary import Vocabulary, tagged_words

# the kinds of document, longest first; 法 has a stop list below
KINDS = ("章程", "条例", "细则", "准则", "规则", "规定", "办法", "法")
# words every title may have (中国共产党, 工作) or a question adds (党的纪律处分条例): the
# longer first, so 中国共产党 goes whole before 党的 is looked for
_GENERIC = (
    "中华人民共和国",
    "中国共产党",
    "中共",
    "工作",
    "（试行）",
    "(试行)",
    "试行",
    "党的",
    "的",
)
# X法 words that are not laws
_NOT_LAWS = frozenset(
    c + "法" for c in "说办方想做看合违依非守司执立用算语手写打玩章书技没无设效枉犯不大"
)
# characters the pinyin keyboard offers for 法 (fa): a law typed 村组发
_SOUNDS_LIKE_FA = frozenset("发罚伐乏阀筏")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
# 那本, 这个 said inside a name, before its kind: 纪律处分那本条例, 机关基层组织那个工作条例
_POINTER_IN_NAME = re.compile(
    r"(?<=[\u4e00-\u9fff])[这那该][本个部份篇](?=[\u4e00-\u9fff]{0,4}"
    r"(?:章程|条例|细则|准则|规则|规定|办法)$)"
)
MIN_COVERAGE = 0.8
MIN_TITLE_COVERAGE = 0.5


@dataclass(frozen=True)
class Entry:
    title: str
    kind: str
    content: str  # the distinctive characters
    names: tuple[str, ...]
    document_id: int | None = None  # None: a known document the knowledge base lacks
    last_article: int | None = None
    # the distinctive characters of each of its names of its kind (纪律处分, 党纪处分, 纪律)
    contents: tuple[str, ...] = ()


def after_preposition(written: str) -> str:
    """A name no document fits, read from free text, from after its last preposition: 想比条例
    (相比 typed as it sounds) or 跟条例比 compare with a document, they name none. A title has
    no preposition but a leading 关于, which the leading words already cut."""
    end, cut = 0, 0
    for word, tag in tagged_words(written):
        end += len(word)
        if tag == "p":
            cut = end
    return written[cut:]


def without_pointer(written: str) -> str:
    """The name as if said without the 那本 or 这个 a speaker puts before its kind."""
    return _POINTER_IN_NAME.sub("", written)


def kind_of(name: str) -> str | None:
    if name == "党章":
        return "章程"
    for kind in KINDS:
        if name.endswith(kind):
            if kind == "法" and (len(name) < 3 or name[-2:] in _NOT_LAWS):
                return None
            return kind
    return None


def key_of(title: str) -> str:
    return re.sub(r"[\s《》]", "", title)


def content_of(name: str) -> str:
    """The distinctive characters: 纪律处分 of 中国共产党纪律处分条例; "" for a kind alone."""
    key = key_of(name)
    if key == "党章":
        return key
    for word in _GENERIC:
        key = key.replace(word, "")
    kind = kind_of(key)
    return key[: -len(kind)] if kind else key


def law_slipped(run: str) -> str | None:
    """村组发 → 村组法: a run ending in a sound-alike of 法, with 法 in its place."""
    if len(run) >= 3 and run[-1] in _SOUNDS_LIKE_FA:
        return run[:-1] + "法"
    return None


def shortened(short: str, full: str) -> bool:
    """Whether `short` is `full` shortened as Chinese names are: its first character, then
    some of the others in order, a third of them at least (村委会 of 村民委员会组织, 乡振 of
    乡村振兴促进)."""
    if len(short) < 2 or not full or short[0] != full[0] or len(short) >= len(full):
        return False
    if 3 * len(short) < len(full):  # 党组织 is no shortening of 党和国家机关基层组织
        return False
    rest = iter(full[1:])
    return all(char in rest for char in short[1:])


@lru_cache(maxsize=4096)
def sound(char: str) -> str:
    """The character's syllable as a fuzzy pinyin keyboard reads it: without tone, the retroflex
    initials as the flat ones (zh → z), n as l, and -ng finals as -n (兴 xing ~ 心 xin)."""
    from pypinyin import lazy_pinyin

    syllable = lazy_pinyin(char)[0]
    for retroflex, flat in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(retroflex):
            syllable = flat + syllable[2:]
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    return syllable.removesuffix("g") if syllable.endswith("ng") else syllable


def spellings(name: str) -> tuple[str, ...]:
    """How a name is typed in pinyin letters: dz or dangzhang for 党章, czf or cunzufa for 村组法
    (its syllables' first letters, or the syllables whole; Chinese names only)."""
    from pypinyin import lazy_pinyin

    if not _HAN.match(name):
        return ()
    syllables = lazy_pinyin(name)
    return "".join(s[0] for s in syllables), "".join(syllables)


def initials_in_names(initials: str, after: str, names: Iterable[str]) -> str | None:
    """The characters pinyin initials stand for, when a name has characters with those
    initials right before the characters typed after them, and no name has others (jg基层组织 →
    机关基层组织, rather than the passages' commonest jg word, 警告)."""
    found = {
        name[at - len(initials) : at]
        for name in names
        for at in (m.start() for m in re.finditer(re.escape(after), name))
        if at >= len(initials) and spellings(name[at - len(initials) : at])[:1] == (initials,)
    }
    return found.pop() if len(found) == 1 else None


def begins(tail: str, content: str, *, of_title: bool) -> bool:
    """Whether `tail` is a name's distinctive characters or their first half or more: of three
    characters at least for a short name's (党员 is not 党员教育 of 党员教育条例), of two for
    the title's (纪律 of 纪律处分)."""
    if tail == content:
        return True
    half = 2 * len(tail) >= len(content)
    return content.startswith(tail) and half and (len(tail) >= 3 or of_title)


def fits(content: str, name_content: str) -> tuple[float, int] | None:
    """How well a written name's characters fit one of a document's names: nearly all of them
    in it (or sounding like one of its characters), covering half of it."""
    if not name_content:
        return None
    sounds = {sound(char) for char in name_content}
    found = sum(1 for char in content if char in name_content or sound(char) in sounds)
    coverage = found / len(content)
    # and the other way: a short generic name (管理条例) must not win a long title
    covered = sum(1 for char in name_content if char in content) / len(name_content)
    if coverage < MIN_COVERAGE or covered < MIN_TITLE_COVERAGE:
        return None
    return coverage, -abs(len(name_content) - len(content))


def make_entry(
    title: str, vocabulary: Vocabulary, document_id: int | None, last: int | None
) -> Entry:
    key = key_of(title)
    names = {key, *(key_of(n) for n in vocabulary.aliases.get(title, ()))}
    for alias_title, aliases in vocabulary.aliases.items():
        if key_of(alias_title) == key:
            names.update(key_of(n) for n in aliases)
    stripped = key
    for prefix in ("中华人民共和国", "中国共产党", "中共"):
        stripped = stripped.removeprefix(prefix)
    names.add(stripped)
    kind = kind_of(key) or ""
    contents = {content_of(key)} | {
        content_of(n) for n in names if (kind_of(n) or "") == kind and content_of(n)
    }
    contents.discard("")
    return Entry(
        title,
        kind,
        content_of(key),
        tuple(sorted(names)),
        document_id,
        last,
        tuple(sorted(contents, key=lambda c: (-len(c), c))),
    )


def indexed_only(entries: Iterable[Entry]) -> tuple[Entry, ...]:
    return tuple(e for e in entries if e.document_id is not None)
