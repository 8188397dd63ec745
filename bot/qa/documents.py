"""Which document a question names, which article, and whether the knowledge base has them.

A name is matched by what distinguishes it, never by the words every title shares: after
dropping 中国共产党/中华人民共和国/工作/试行 and the kind of document (条例, 法, 细则 …), the
question's name must be of the same kind and nearly all its remaining characters must be in
one of the document's names (its title or a short name of the 词表). So 纪律条例 finds
《中国共产党纪律处分条例》 and 村组法 《…村民委员会组织法》, while 支部工作条例 finds a document the
knowledge base lacks and is answered “知识库中没有”. The name must also cover half of that
name's distinctive characters, so 坐班管理条例 never wins 《…党员教育管理工作条例》 on 管理 alone.
A name shortened the Chinese way (乡振法, 村委会法: the first character, then others in order)
finds the one document it can shorten.

For an article, the name may also be typed without its kind (纪律处分102条, 发展党员第3条: the
distinctive characters of one document in the knowledge base, or their beginning) or be the
kind alone (细则第3条, 条例第10条). A name that fits several documents finds none of them: the
question is asked back with the documents it may mean (Mention.choices).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.qa.article_forms import asks_alone, normalized, part_asked, references
from bot.qa.doc_names import (
    KINDS,
    Entry,
    after_preposition,
    begins,
    content_of,
    fits,
    indexed_only,
    initials_in_names,
    key_of,
    kind_of,
    law_slipped,
    make_entry,
    shortened,
    spellings,
    without_pointer,
)
from bot.qa.pinyin_input import SpellingFixer
from bot.qa.vocabulary import Vocabulary, vocabulary_words

# words before a name that are not part of it, for naming a document nobody knows
_LEADING = re.compile(
    r".*(?:什么|啥子|啥|哪个|哪部|哪些|哪|这个|那个|这部|那部|这本|那本|有关|相关|根据|按照|依照|依据|"
    r"关于|请问|查一下|查查|看看|对照|我想问|想问|问一下|一下|是不是|有没有|没有|是否|"
    r"说的|讲的|里的|中的|上的|我们|你们|他们|咋个|咋|怎么|怎样|如何|了)"
)
MAX_NAME_CHARS = 30
_QUOTED = re.compile(r"《([^》]{2,60})》")
# pinyin initials typed for a document's name before a number: dz55, czf第14条
_SPELLED = re.compile(r"(?<![A-Za-z])([a-z]{2,30})(?=[\s第]*[\d零〇一二三四五六七八九十百千两])")
# initials typed for the first word of a name whose rest is typed in characters: jg基层组织条例
_INITIALS_BEFORE_NAME = re.compile(r"(?<![A-Za-z])([a-z]{2,4})\s*(?=([\u4e00-\u9fff]{2}))")


@dataclass(frozen=True)
class Mention:
    """A document named in a question: what was written, and what it was matched to."""

    written: str
    entry: Entry | None  # None: a name no known document fits, or several do
    # a name several documents fit (条例, 党员): those in the knowledge base; a name none fits:
    # the document of the knowledge base it is near (乡村振兴条例: the 乡村振兴促进法)
    choices: tuple[Entry, ...] = ()
    ambiguous: bool = False

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
    # every article asked, in order (党章第三十一条和第三十二条); the first is `number`
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class PartRequest:
    """A chapter (第三章) or the like (总纲, 附则) asked for whole."""

    part: str
    mention: Mention | None  # None: the document of the conversation
    text: str = ""


@dataclass(frozen=True)
class IndexedDocument:
    id: int
    title: str
    last_article: int | None


class DocumentCatalog:
    def __init__(
        self,
        documents: Iterable[IndexedDocument],
        vocabulary: Vocabulary,
        known_words: Iterable[str] = (),
    ) -> None:
        """`known_words`: the knowledge base's words, which the spelling fix leaves as typed
        (党纪 is no slip for 党籍)."""
        entries: dict[str, Entry] = {}
        for document in documents:
            key = key_of(document.title)
            entries[key] = make_entry(
                document.title, vocabulary, document.id, document.last_article
            )
        for title in [*vocabulary.aliases, *vocabulary.known_titles]:
            if key_of(title) not in entries:
                entries[key_of(title)] = make_entry(title, vocabulary, None, None)
        self.entries = list(entries.values())
        self._synonyms = vocabulary.synonyms
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
        self._names_ending: dict[str, list[tuple[str, Entry]]] = {}  # by last character
        for name, entry in self._names:
            self._names_ending.setdefault(name[-1], []).append((name, entry))
        # each spelling in letters: the documents' names it spells, shortest first
        self._spelled: dict[str, dict[str, str]] = {}
        for entry in self.entries:
            for name in sorted(entry.names, key=len, reverse=True):
                for spelled in spellings(name):
                    if len(spelled) >= 2:
                        self._spelled.setdefault(spelled, {})[entry.title] = name
        words = {c for e in self.entries for c in (e.content, *e.names) if len(c) >= 2}
        self._fixer = SpellingFixer(
            words
            | {e.title for e in self.entries}
            | vocabulary_words(vocabulary)
            | set(known_words)
        )

    def spelled_out(self, question: str) -> str:
        """dz55, dangzhang55 → 党章55: a document's name in pinyin letters before a number, when
        it spells one document's name."""

        def name(match: re.Match[str]) -> str:
            found = self._spelled.get(match.group(1), {})
            return next(iter(found.values())) if len(found) == 1 else match.group(0)

        return _INITIALS_BEFORE_NAME.sub(self._initials_in_name, _SPELLED.sub(name, question))

    def _initials_in_name(self, match: re.Match[str]) -> str:
        found = initials_in_names(match.group(1), match.group(2), [n for n, _ in self._names])
        return found if found is not None else match.group(0)

    # -- finding names in a question -------------------------------------------------------

    def article_request(self, question: str, *, fix: bool = True) -> ArticleRequest | None:
        """'党章第十条', '纪律条例113条', '党章55', '细则第3条', '三十七条' after a name, or
        '那第二条呢' and '55条' alone (the document of the conversation)."""
        fixed = self._fixer.fix(question) if fix else question
        text = normalized(fixed)
        for reference in references(text):
            if not (reference.of_article or reference.bare):
                continue
            mention = self._named_before(reference.before)
            if mention is None and reference.sounded:
                continue  # 地 for 第 only after a name
            if mention is None and reference.bare:
                continue
            numbers = reference.numbers
            if mention is not None:
                return ArticleRequest(numbers[0], mention, fixed, numbers)
            if reference.said_di:  # 第X条 with no name before it
                return ArticleRequest(numbers[0], self._unless_ambiguous(text), fixed, numbers)
            if reference.alone:  # 55条, 那五十五条呢
                return ArticleRequest(numbers[0], None, fixed, numbers)
        return None

    def part_request(self, question: str, *, fix: bool = True) -> PartRequest | None:
        """'党章第三章', '细则附则', '党章总纲讲的啥', or '第三章' alone."""
        fixed = self._fixer.fix(question) if fix else question
        asked = part_asked(normalized(fixed))
        if asked is None:
            return None
        before, part = asked
        if asks_alone(before):
            return PartRequest(part, None, fixed)
        mention = self._named_before(before)
        return PartRequest(part, mention, fixed) if mention is not None else None

    def _unless_ambiguous(self, text: str) -> Mention | None:
        mention = self.mentioned(text)
        return None if mention is not None and mention.ambiguous else mention

    def mentioned(self, question: str, *, fix: bool = True) -> Mention | None:
        """A document named anywhere in the question, in 《》 or by a name of its kind."""
        text = self._fixer.fix(question) if fix else question
        for quoted in _QUOTED.finditer(text):
            return self.resolve(quoted.group(1))
        runs = re.findall(r"[\u4e00-\u9fff（）()]+", text)
        for run in runs:
            for end in sorted(_word_ends(run), reverse=True):
                mention = self._mention_ending(run[:end])
                if mention is None or mention.ambiguous:
                    continue
                if mention.entry is not None or _names_a_law(mention):
                    return mention
        return None

    def _named_before(self, text: str) -> Mention | None:
        """The document named right before an article's number: by a name (党章, 村组法,
        纪律处分条列), by the kind alone (细则), or by its distinctive characters (纪律处分)."""
        mention = self._mention_ending(text, kind_alone=True)
        return mention if mention is not None else self._without_kind(text)

    def _mention_ending(self, text: str, *, kind_alone: bool = False) -> Mention | None:
        """The document name that `text` ends with, if it ends with one: also said with 那本 or
        这个 before its kind, when that finds a document (纪律处分那本条例, not 照这个条例)."""
        bare = without_pointer(text)
        if bare != text:
            mention = self._name_ending(bare, kind_alone=kind_alone)
            if mention is not None and mention.entry is not None:
                return mention
        return self._name_ending(text, kind_alone=kind_alone)

    def _name_ending(self, text: str, *, kind_alone: bool) -> Mention | None:
        text = text.rstrip(" 　")
        if text.endswith("》"):
            start = text.rfind("《")
            return self.resolve(text[start + 1 : -1]) if start >= 0 else None
        found = re.search(r"[\u4e00-\u9fff（）()]+$", text)
        if not found:
            return None
        run = found.group(0)[-MAX_NAME_CHARS:]
        for name, entry in self._names_ending.get(run[-1], ()):  # a name or short name: 党章
            if run.endswith(name):
                whole = _LEADING.sub("", run)
                if entry.document_id is None and whole != name:
                    # 机关组织工作条例 is the 机关基层组织工作条例 held, not 组织工作条例
                    held = self.resolve(whole)
                    if held.indexed:
                        return held
                return Mention(name, entry)
        if kind_of(run) is None:
            return self._slipped_kind(run)
        known = self._known_ending(run)
        if known is not None:
            return known
        written = _LEADING.sub("", run)
        if "的" in written and len(content_of(written.rsplit("的", 1)[1])) >= 2:
            written = written.rsplit("的", 1)[1]
        written = after_preposition(written)
        kind = kind_of(written)
        if kind is not None and not content_of(written) and kind_alone:
            return self._of_kind(written, kind)
        if kind is None or len(content_of(written)) < 2:
            return None
        return Mention(written, None, self._near(content_of(written)))

    def _known_ending(self, run: str) -> Mention | None:
        """The indexed or known document the run's end names, if any: the name as written
        (after the words that lead to it), else the longest end that fits a title closely (the
        name may follow other words), never one of its short names (党员条例 in 发展党员条例)."""
        written = _LEADING.sub("", run)
        for start in range(-1, len(run) - 1):
            candidate = written if start < 0 else run[start:]
            if len(content_of(candidate)) < 2:
                if start < 0:
                    continue
                break
            resolved = self.resolve(candidate, by_title=start >= 0)
            if resolved.entry is not None or resolved.ambiguous:
                return Mention(candidate, resolved.entry, resolved.choices, resolved.ambiguous)
        return None

    def _slipped_kind(self, run: str) -> Mention | None:
        """细侧 for 细则, 条列 for 条例, 村组发 for 村组法: the kind mistyped, taken only when
        the name then finds a title the catalog knows (条件, 细节, 出发 find none)."""
        for kind in KINDS:
            if len(kind) == 2 and run[-2:-1] == kind[0] and run[-1] != kind[1]:
                known = self._known_ending(run[:-1] + kind[1])
                if known is not None:
                    return known
        law = law_slipped(run)
        return self._known_ending(law) if law is not None else None

    def _of_kind(self, written: str, kind: str) -> Mention:
        """细则 alone: the one document of that kind the catalog knows, else a question back."""
        entries = [e for e in self.entries if e.kind == kind]
        if len(entries) == 1 and entries[0].document_id is not None:
            return Mention(written, entries[0])
        return Mention(written, None, indexed_only(entries), ambiguous=True)

    def _without_kind(self, text: str) -> Mention | None:
        """纪律处分, 发展党员, 村委会 before an article's number: the distinctive characters of
        a document's name, or their first half or more. Only a document in the knowledge base
        is found so; a beginning that several known documents share is asked back."""
        found = re.search(r"[\u4e00-\u9fff]+$", text)
        if not found:
            return None
        run = found.group(0)[-MAX_NAME_CHARS:]
        for start in range(len(run) - 1):  # longest first
            tail = run[start:]
            fits = [
                e
                for e in self.entries
                if any(begins(tail, c, of_title=c == e.content) for c in e.contents)
            ]
            indexed = indexed_only(fits)
            if len(fits) == 1 and indexed:
                return Mention(tail, fits[0])
            if len(fits) > 1:
                return Mention(tail, None, indexed, ambiguous=True)
        return None

    def resolve(self, name: str, *, by_title: bool = False) -> Mention:
        """The entry a written name means, or none (then the name as written is reported).
        `by_title`: fitted to the titles alone, not to their short names nor shortened."""
        written = key_of(name)
        for entry in self.entries:
            if written in entry.names or written == key_of(entry.title):
                return Mention(written, entry)
        kind = kind_of(written)
        content = content_of(written)
        if kind is None or not content:
            return Mention(written, None)
        best = self._best_fit(content, kind, by_title=by_title)
        if best is None and not by_title:  # 入党细则: 入党 is 发展党员 in the 词表
            best = self._best_fit(self._formal(content), kind, by_title=False)
        if best is not None or by_title:
            return Mention(written, best)
        shortening = [
            e
            for e in self.entries
            if e.kind == kind and any(shortened(content, c) for c in e.contents)
        ]
        if len(shortening) == 1:
            return Mention(written, shortening[0])
        if len(shortening) > 1:
            return Mention(written, None, indexed_only(shortening), ambiguous=True)
        return Mention(written, None, self._near(content))

    def _best_fit(self, content: str, kind: str, *, by_title: bool) -> Entry | None:
        best: tuple[float, int, Entry] | None = None
        for entry in self.entries:
            if entry.kind != kind:
                continue
            for name_content in (entry.content,) if by_title else entry.contents:
                rank = fits(content, name_content)
                if rank is not None and (best is None or rank > best[:2]):
                    best = (*rank, entry)
        return best[2] if best is not None else None

    def _formal(self, content: str) -> str:
        """The name's words as the 词表 says them formally (入党 → 发展党员)."""
        for word in sorted(self._synonyms, key=len, reverse=True):
            if len(word) >= 2 and word in content and len(self._synonyms[word]) == 1:
                content = content.replace(word, self._synonyms[word][0])
        return content

    def _near(self, content: str) -> tuple[Entry, ...]:
        """The one document of the knowledge base a name no document fits is near, of another
        kind or with more words (乡村振兴条例, 发展党员实施细则), to name in the refusal."""
        near = [
            e
            for e in indexed_only(self.entries)
            if any(c in content or fits(content, c) for c in e.contents)
        ]
        return tuple(near) if len(near) == 1 else ()


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
