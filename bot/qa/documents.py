"""Which document a question names, which article, and whether the knowledge base has them.

A name is matched by what distinguishes it, never by the words every title shares: after
dropping 中国共产党/中华人民共和国/工作/试行 and the kind of document (条例, 法, 细则 …), the
question's name must be of the same kind and nearly all its remaining characters must be in
the title. So 纪律条例 finds 《中国共产党纪律处分条例》 and 村组法 《…村民委员会组织法》, while
支部工作条例 finds nothing (no indexed title has 支部) and is answered “知识库中没有”. The
name must also cover half of the title's distinctive characters, so 坐班管理条例 never wins
《…党员教育管理工作条例》 on 管理 alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.qa.pinyin_input import SpellingFixer
from bot.qa.vocabulary import Vocabulary, vocabulary_words
from ingest.numerals import parse_number

NUMERAL = r"[零〇一二三四五六七八九十百千两\d]+"
_ARTICLE = re.compile(rf"(第)?\s*({NUMERAL})\s*条(?![例件款])")
# the kinds of document, longest first; 法 has a stop list below
KINDS = ("章程", "条例", "细则", "准则", "规则", "规定", "办法", "法")
_GENERIC = ("中华人民共和国", "中国共产党", "中共", "工作", "（试行）", "(试行)", "试行")
# X法 words that are not laws
_NOT_LAWS = frozenset(
    [
        "说法",
        "办法",
        "方法",
        "想法",
        "做法",
        "看法",
        "合法",
        "违法",
        "依法",
        "非法",
        "守法",
        "司法",
        "执法",
        "立法",
        "用法",
        "算法",
        "语法",
        "手法",
        "写法",
        "打法",
        "玩法",
        "章法",
        "书法",
        "技法",
        "没法",
        "无法",
        "设法",
        "效法",
        "枉法",
        "犯法",
        "不法",
        "大法",
    ]
)
# words before a name that are not part of it, for naming a document nobody knows
_LEADING = re.compile(
    r".*(?:什么|啥子|啥|哪个|哪部|哪些|哪|这个|那个|这部|那部|有关|相关|根据|按照|依照|依据|"
    r"关于|请问|查一下|查查|看看|对照|我想问|想问|问一下|一下|是不是|有没有|没有|是否|"
    r"说的|讲的|里的|中的|上的|我们|你们|他们|咋个|咋|怎么|怎样|如何|了)"
)
MAX_NAME_CHARS = 30
_QUOTED = re.compile(r"《([^》]{2,60})》")
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


@dataclass(frozen=True)
class Mention:
    """A document named in a question: what was written, and what it was matched to."""

    written: str
    entry: Entry | None  # None: a name no known document fits

    @property
    def indexed(self) -> bool:
        return self.entry is not None and self.entry.document_id is not None

    @property
    def title(self) -> str:
        return self.entry.title if self.entry is not None else self.written


@dataclass(frozen=True)
class ArticleRequest:
    number: int
    mention: Mention | None  # None: "那第二条呢" — the document of the conversation
    text: str = ""  # the question, as corrected


def kind_of(name: str) -> str | None:
    if name == "党章":
        return "章程"
    for kind in KINDS:
        if name.endswith(kind):
            if kind == "法" and (len(name) < 3 or name[-2:] in _NOT_LAWS):
                return None
            return kind
    return None


def content_of(name: str) -> str:
    key = re.sub(r"[\s《》]", "", name)
    for word in _GENERIC:
        key = key.replace(word, "")
    kind = kind_of(key)
    return key[: -len(kind)] if kind and key != "党章" else key


@dataclass(frozen=True)
class IndexedDocument:
    id: int
    title: str
    last_article: int | None


class DocumentCatalog:
    def __init__(self, documents: Iterable[IndexedDocument], vocabulary: Vocabulary) -> None:
        entries: dict[str, Entry] = {}
        indexed_titles = set()
        for document in documents:
            key = _key(document.title)
            indexed_titles.add(key)
            entries[key] = self._entry(
                document.title, vocabulary, document.id, document.last_article
            )
        for title in [*vocabulary.aliases, *vocabulary.known_titles]:
            if _key(title) not in entries:
                entries[_key(title)] = self._entry(title, vocabulary, None, None)
        self.entries = list(entries.values())
        # every name, longest first; short ones only when distinctive (党章, 村组法)
        self._names = sorted(
            (
                (name, entry)
                for entry in self.entries
                for name in entry.names
                if len(name) >= 3 or name == "党章"
            ),
            key=lambda item: -len(item[0]),
        )
        words = {c for e in self.entries for c in (e.content, *e.names) if len(c) >= 2}
        self._fixer = SpellingFixer(
            words | {e.title for e in self.entries} | vocabulary_words(vocabulary)
        )

    @staticmethod
    def _entry(
        title: str, vocabulary: Vocabulary, document_id: int | None, last: int | None
    ) -> Entry:
        key = _key(title)
        names = {key, *(_key(n) for n in vocabulary.aliases.get(title, ()))}
        for alias_title, aliases in vocabulary.aliases.items():
            if _key(alias_title) == key:
                names.update(_key(n) for n in aliases)
        stripped = key
        for prefix in ("中华人民共和国", "中国共产党", "中共"):
            stripped = stripped.removeprefix(prefix)
        names.add(stripped)
        kind = kind_of(key) or ""
        return Entry(title, kind, content_of(key), tuple(sorted(names)), document_id, last)

    # -- finding names in a question -------------------------------------------------------

    def article_request(self, question: str) -> ArticleRequest | None:
        """'党章第十条', '纪律条例113条', '三十七条' after a name, or '那第二条呢'."""
        text = self._fixer.fix(question)
        for match in _ARTICLE.finditer(text):
            number = parse_number(match.group(2))
            if number is None or number <= 0:
                continue
            before = text[: match.start()].rstrip(" 　的里中之")
            mention = self._mention_ending(before)
            if mention is not None:
                return ArticleRequest(number, mention, text)
            if match.group(1):  # 第X条 with no name before it
                named = self.mentioned(text)
                return ArticleRequest(number, named, text)
        return None

    def mentioned(self, question: str) -> Mention | None:
        """A document named anywhere in the question, in 《》 or by a name of its kind."""
        text = self._fixer.fix(question)
        for quoted in _QUOTED.finditer(text):
            return self.resolve(quoted.group(1))
        runs = re.findall(r"[\u4e00-\u9fff（）()]+", text)
        for run in runs:
            for end in sorted(_word_ends(run), reverse=True):
                mention = self._mention_ending(run[:end])
                if mention is not None and (mention.entry is not None or _names_a_law(mention)):
                    return mention
        return None

    def _mention_ending(self, text: str) -> Mention | None:
        """The document name that `text` ends with, if it ends with one."""
        text = text.rstrip(" 　")
        if text.endswith("》"):
            start = text.rfind("《")
            return self.resolve(text[start + 1 : -1]) if start >= 0 else None
        found = re.search(r"[\u4e00-\u9fff（）()]+$", text)
        if not found:
            return None
        run = found.group(0)[-MAX_NAME_CHARS:]
        for name, entry in self._names:  # a known name or short name: 党章, 村组法
            if run.endswith(name):
                return Mention(name, entry)
        if kind_of(run) is None:
            return self._slipped_kind(run)
        known = self._known_ending(run)
        if known is not None:
            return known
        written = _LEADING.sub("", run)
        if "的" in written and len(content_of(written.rsplit("的", 1)[1])) >= 2:
            written = written.rsplit("的", 1)[1]
        if kind_of(written) is None or len(content_of(written)) < 2:
            return None
        return Mention(written, None)

    def _known_ending(self, run: str) -> Mention | None:
        """The indexed or known document the run's end names, if any."""
        for start in range(len(run) - 1):  # longest first: the name may follow other words
            candidate = run[start:]
            if len(content_of(candidate)) < 2:
                break
            resolved = self.resolve(candidate)
            if resolved.entry is not None:
                return Mention(candidate, resolved.entry)
        return None

    def _slipped_kind(self, run: str) -> Mention | None:
        """细侧 for 细则, 条列 for 条例: the second character of the kind mistyped, taken only
        when the name then finds a title the catalog knows (条件, 细节 find none)."""
        for kind in KINDS:
            if len(kind) == 2 and run[-2:-1] == kind[0] and run[-1] != kind[1]:
                known = self._known_ending(run[:-1] + kind[1])
                if known is not None:
                    return known
        return None

    def resolve(self, name: str) -> Mention:
        """The entry a written name means, or none (then the name as written is reported)."""
        written = _key(name)
        for entry in self.entries:
            if written in entry.names or written == _key(entry.title):
                return Mention(written, entry)
        kind = kind_of(written)
        content = content_of(written)
        best: tuple[float, int, Entry] | None = None
        for entry in self.entries:
            if kind is None or entry.kind != kind or not content or not entry.content:
                continue
            sounds = {_sound(char) for char in entry.content}
            found = sum(1 for char in content if char in entry.content or _sound(char) in sounds)
            coverage = found / len(content)
            # and the other way: a short generic name (管理条例) must not win a long title
            covered = sum(1 for char in entry.content if char in content) / len(entry.content)
            if coverage < MIN_COVERAGE or covered < MIN_TITLE_COVERAGE:
                continue
            rank = (coverage, -abs(len(entry.content) - len(content)), entry)
            if best is None or rank[:2] > best[:2]:
                best = rank
        return Mention(written, best[2] if best else None)


def _word_ends(run: str) -> set[int]:
    """Positions where a word ends: a name ends at one (法 in 法院 or 法律 does not)."""
    from bot.qa.vocabulary import _jieba

    ends, position = set(), 0
    for token in _jieba().lcut(run, HMM=False):
        position += len(token)
        ends.add(position)
    return ends


def _names_a_law(mention: Mention) -> bool:
    """An unknown name read from free text only counts as a document when it looks like the
    name of a regulation or law, not just any phrase ending in 规定 or 办法."""
    kind = kind_of(mention.written)
    return kind in ("条例", "细则", "章程", "准则", "法") and len(content_of(mention.written)) >= 2


@lru_cache(maxsize=4096)
def _sound(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def _key(title: str) -> str:
    return re.sub(r"[\s《》]", "", title)
