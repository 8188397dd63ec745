"""Words as cadres say them and as the regulations write them; short names of documents;
how common a word is in general Chinese. The pinyin keyboard's slips and initials are read in
`bot.qa.pinyin_input`.

The defaults ship in `bot/data/vocabulary.yaml`; a county extends them with `词表.yaml` in its
knowledge folder (same sections, read at start: edit, then restart). Nothing here is tied to
one question: an entry says that an everyday word means a regulation's word everywhere.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from bot.qa.clauses import ASKING_WORD, ASKS_HOW_MANY, EITHER_OR, clause_around

log = logging.getLogger(__name__)

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "vocabulary.yaml"
COUNTY_FILE = "词表.yaml"
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# jieba's classes of numerals and measure words: an amount (一年, 一回), never a subject
QUANTITY_CLASSES = ("m", "q")

# how people ask, not what they ask about
FILLERS = frozenset(
    [
        "可不可以",
        "能不能",
        "行不行",
        "要不要",
        "算不算",
        "是不是",
        "有没有",
        "会不会",
        "该不该",
        "中不中",
        "咋办",
        "咋样",
        "怎么办",
        "怎么样",
        "干啥",
        "为啥",
        "多久",
        "一次",
        "几次",
        "几个",
        "几年",
        "几天",
        "多少",
        "多少钱",
        "一下",
        "一点",
        "现在",
        "今年",
        "明年",
        "去年",
        "这样",
        "那样",
        "这种",
        "那种",
        "这些",
        "那些",
        "的话",
        "还是",
        "或者",
        "而且",
        "但是",
        "所以",
        "因为",
        "然后",
        "就是",
        "只是",
        "已经",
        "一直",
        "应该",
        "需要",
        "必须",
        "能够",
        "可能",
        "大概",
        "到底",
        "究竟",
        "具体",
        "我们",
        "你们",
        "他们",
        "咱们",
        "俺们",
        "自己",
        "别人",
        "请问",
        "想问",
        "问问",
        "知道",
        "了解",
        "觉得",
        "感觉",
        "谢谢",
    ]
)


class VocabularyError(ValueError):
    """The county's file cannot be read; `problems` say where."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        super().__init__(f"{path}: {'; '.join(problems)}")
        self.path = path
        self.problems = problems


@dataclass(frozen=True)
class Vocabulary:
    # everyday word -> the regulations' words for it
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a document's full title -> the short names people use
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # well-known documents, indexed or not, to name them right in a refusal
    known_titles: tuple[str, ...] = ()
    # words the tokenizer must keep whole
    terms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything that shapes tokens or lookups changes."""
        payload = json.dumps(
            [sorted(self.synonyms.items()), sorted(self.aliases.items()), self.terms],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def expand(self, tokens: list[str]) -> list[str]:
        """The question's tokens plus the regulations' words for its everyday ones."""
        expanded = list(tokens)
        for token in tokens:
            expanded.extend(self.synonyms.get(token, ()))
        return expanded

    def formal_words(self, text: str) -> list[str]:
        """Regulation words for the everyday phrases found anywhere in `text` (longest first),
        for phrases jieba does not cut out as one token (请客吃饭, 公家的钱)."""
        found: list[str] = []
        for phrase in sorted(self.synonyms, key=len, reverse=True):
            if len(phrase) >= 2 and phrase in text:
                found.extend(w for w in self.synonyms[phrase] if w not in found)
        return found

    def formal_text(self, text: str) -> str:
        """`text` with each everyday phrase (longest first, in one pass) replaced by the
        regulations' first word for it: 婚外情 → 不正当性关系, 村干部 → 村民委员会成员. A phrase
        that its regulation word only lengthens (处分 → 纪律处分) stays as written. An amount
        (一年, 一个月) is its regulation word (每年, 每月) only in a clause that asks how many or
        how often (一年开几次); elsewhere it is the amount (打工一年多了 is no 每年多了 — the
        keyword search still adds the regulation word). Phrases side by side that mean the
        same (跑了找不着) are written once: 失去联系, not 失去联系失去联系."""
        if self._everyday is None:
            return text
        out: list[str] = []
        end = 0
        last = ""  # the regulation word written last, while nothing but punctuation follows it
        for match in self._everyday.finditer(text):
            between = text[end : match.start()]
            if _HAN_RUN.search(between):
                last = ""
            out.append(between)
            end = match.end()
            formal = self._formal_for(match.group(0), clause_around(text, match.start()))
            if formal == last:
                out[-1] = ""  # the punctuation between the two goes with the repeat
                continue
            out.append(formal)
            last = formal if formal != match.group(0) else ""
        out.append(text[end:])
        return "".join(out)

    def _formal_for(self, phrase: str, clause: str) -> str:
        formal = self.synonyms[phrase][0]
        if phrase in formal:
            return phrase
        if word_class(phrase).startswith(QUANTITY_CLASSES):
            return formal if ASKS_HOW_MANY.search(clause.replace(phrase, " ", 1)) else phrase
        return formal

    @cached_property
    def _everyday(self) -> re.Pattern[str] | None:
        phrases = sorted(
            (p for p, formal in self.synonyms.items() if len(p) >= 2 and formal),
            key=len,
            reverse=True,
        )
        return re.compile("|".join(map(re.escape, phrases))) if phrases else None


def vocabulary_words(vocabulary: Vocabulary) -> set[str]:
    """Every word the vocabulary knows: everyday and regulation words, terms, names."""
    words = set(vocabulary.terms) | set(vocabulary.synonyms)
    for formal in vocabulary.synonyms.values():
        words.update(formal)
    for title, names in vocabulary.aliases.items():
        words.add(title)
        words.update(names)
    return {w for w in words if len(w) >= 2}


def load_vocabulary(knowledge_dir: Path | None) -> Vocabulary:
    """The packaged defaults, extended by the county's 词表.yaml when there is one."""
    sections = [_read(DEFAULTS)]
    sources = [str(DEFAULTS)]
    if knowledge_dir is not None and (knowledge_dir / COUNTY_FILE).is_file():
        sections.append(_read(knowledge_dir / COUNTY_FILE))
        sources.append(str(knowledge_dir / COUNTY_FILE))
    synonyms: dict[str, list[str]] = {}
    aliases: dict[str, list[str]] = {}
    titles: list[str] = []
    terms: list[str] = []
    for section in sections:
        for word, formal in section.get("同义词", {}).items():
            merged = synonyms.setdefault(str(word), [])
            merged += [str(f) for f in _as_list(formal) if str(f) not in merged]
        for title, names in section.get("文件简称", {}).items():
            merged = aliases.setdefault(str(title), [])
            merged += [str(n) for n in _as_list(names) if str(n) not in merged]
            if str(title) not in titles:
                titles.append(str(title))
        titles += [str(t) for t in section.get("常见文件", []) if str(t) not in titles]
        terms += [str(t) for t in section.get("术语", []) if str(t) not in terms]
    return Vocabulary(
        synonyms={k: tuple(v) for k, v in synonyms.items()},
        aliases={k: tuple(v) for k, v in aliases.items()},
        known_titles=tuple(titles),
        terms=tuple(terms),
        sources=tuple(sources),
    )


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _read(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise VocabularyError(path, [str(exc)]) from exc
    if not isinstance(data, dict):
        raise VocabularyError(path, ["不是“节名: 内容”的格式"])
    problems = []
    for name, kind in (("同义词", dict), ("文件简称", dict), ("常见文件", list), ("术语", list)):
        if data.get(name) is None:
            data[name] = kind()  # a section with only comments in it
        elif not isinstance(data[name], kind):
            problems.append(f"“{name}”应当是{'对照表' if kind is dict else '列表'}")
    unknown = set(data) - {"同义词", "文件简称", "常见文件", "术语"}
    if unknown:
        problems.append(f"不认识的节：{'、'.join(sorted(map(str, unknown)))}")
    if problems:
        raise VocabularyError(path, problems)
    return data


# -- words in general Chinese (jieba) ---------------------------------------------------------


def _jieba() -> Any:
    """The tokenizer the keyword index uses, Party-work terms included."""
    from bot.index.tokenize import jieba_tokenizer

    return jieba_tokenizer()


def question_words(text: str) -> list[str]:
    """The words of a question as the dictionary reads them (no guessed words, no single
    characters): what the refusal decision weighs."""
    from bot.index.tokenize import STOPWORDS

    tokenizer = _jieba()
    seen: dict[str, None] = {}
    for run in _HAN_RUN.findall(text):
        for token in tokenizer.lcut(run, HMM=False):
            if len(token) < 2 or token in STOPWORDS or token in FILLERS:
                continue
            if not ASKING_WORD.fullmatch(token):
                seen.setdefault(token)
    return list(seen)


@lru_cache(maxsize=8192)
def word_class(word: str) -> str:
    """jieba's part-of-speech tag of a word read whole ('n', 'v', 'vn' …; 'x' when unknown)."""
    parts = _pos_tokenizer().lcut(word, HMM=False)
    return parts[0].flag if len(parts) == 1 else "x"


def tagged_words(text: str) -> list[tuple[str, str]]:
    """jieba's words of `text` with their part-of-speech tags, read as word_class reads one."""
    return [(part.word, part.flag) for part in _pos_tokenizer().lcut(text, HMM=False)]


@lru_cache(maxsize=1)
def _pos_tokenizer() -> Any:
    """One part-of-speech tokenizer per process: building one reads jieba's whole tag
    dictionary (about 0.4 s), which a tokenizer per word did for every new word asked."""
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_jieba())


def word_parts(word: str) -> list[str]:
    """The shorter dictionary words inside a compound (公车私用: 公车, 私用)."""
    return [
        part for part in _jieba().lcut_for_search(word, HMM=False) if 2 <= len(part) < len(word)
    ]


def general_share(word: str) -> float:
    """A word's share of general Chinese (jieba's dictionary), never zero."""
    tokenizer = _jieba()
    return (tokenizer.FREQ.get(word, 0) + 1) / tokenizer.total


def specificity(word: str) -> float:
    """How specific a word is in general Chinese: -log of its share in jieba's dictionary
    (a word jieba does not know counts as rare)."""
    tokenizer = _jieba()
    return math.log(tokenizer.total / (tokenizer.FREQ.get(word, 0) + 1))


def word_uses(frequency: dict[str, int], vocabulary: Vocabulary) -> dict[str, int]:
    """How many passages use each word; an everyday word of the vocabulary counts as often as
    the regulation word it stands for (村委会 as 村民委员会)."""
    uses = dict(frequency)
    for word, formal in vocabulary.synonyms.items():
        uses[word] = max([uses.get(word, 0), *(frequency.get(f, 0) for f in formal)])
    return uses


@lru_cache(maxsize=1)
def _how_asked() -> re.Pattern[str]:
    fillers = "|".join(sorted(FILLERS, key=len, reverse=True))
    return re.compile(f"{EITHER_OR}|{fillers}|{ASKING_WORD.pattern}")


def subject_tokens(text: str) -> list[str]:
    """The keyword index's tokens of a question without those of how it asks: the words of
    FILLERS, asking words (几个, 多长时间) and either-or forms (算不算) are cut out before
    segmenting, and with them their search-mode parts (能不能 → 不能, 要不要 → 不要), which
    otherwise match every passage saying 不能 or 不要."""
    from bot.index.tokenize import tokenize

    # an either-or form keeps its verb: 支不支持 → 支持, 算不算 → 算
    return tokenize(_how_asked().sub(lambda m: m.group("repeated") or " ", text.lower()))
