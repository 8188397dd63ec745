"""Chinese word segmentation for the keyword index (jieba, search mode)."""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ingest.numerals import parse_number

# Party-work terms jieba's general dictionary cuts apart.
DOMAIN_TERMS = (
    "主题党日",
    "三会一课",
    "组织生活会",
    "民主评议党员",
    "入党积极分子",
    "发展对象",
    "预备党员",
    "正式党员",
    "入党介绍人",
    "入党申请人",
    "入党申请书",
    "党支部",
    "党小组",
    "支部委员会",
    "党员大会",
    "流动党员",
    "组织关系",
    "党费",
    "党纪处分",
    "纪律处分",
    "村民委员会",
    "村民会议",
    "村民代表会议",
    "村务公开",
    "宅基地",
    "驻村第一书记",
    "软弱涣散",
    "两委",
    "乡村振兴",
    "农民丰收节",
    "党籍",
    "预备期",
    "志愿服务",
)
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "有",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "嘛",
        "呀",
        "都",
        "要",
        "会",
        "能",
        "可以",
        "应该",
        "应当",
        "怎么",
        "怎样",
        "怎么样",
        "如何",
        "什么",
        "哪些",
        "哪个",
        "哪",
        "几",
        "多少",
        "多久",
        "多长",
        "为什么",
        "是否",
        "还是",
        "这",
        "那",
        "这个",
        "那个",
        "我",
        "我们",
        "你",
        "你们",
        "他",
        "她",
        "它",
        "他们",
        "其",
        "之",
        "对",
        "对于",
        "把",
        "被",
        "给",
        "让",
        "向",
        "从",
        "到",
        "为",
        "以",
        "于",
        "就",
        "也",
        "还",
        "又",
        "并",
        "而",
        "但",
        "如果",
        "一个",
        "一些",
        "请问",
        "请",
        "一下",
        "个",
        "次",
        "年",
        "月",
        "日",
        "上",
        "下",
        "中",
        "里",
        "后",
        "前",
        "时",
        "时候",
        "情况",
        "问题",
        "规定",
        "有关",
        "相关",
        "关于",
        "等",
        "不",
        "没有",
        "没",
        "可",
        "该",
        "各",
        "每",
        "啥",
        "咋",
        "几个",
        "多",
        "长",
        "一次",
        "谁",
    ]
)
_WORD = re.compile(r"[\w\u4e00-\u9fff]")

_LABEL = re.compile(r"第([零〇一二三四五六七八九十百千两\d]+)([编章节条款项])")

_lock = threading.Lock()
_extra_terms: set[str] = set()


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for term in DOMAIN_TERMS:
        tokenizer.add_word(term, freq=20000)
    return tokenizer


def jieba_tokenizer() -> Any:
    """The shared jieba tokenizer, with the domain terms and the vocabulary's 术语, loaded
    (its lazy initialisation is not thread-safe; using it afterwards is)."""
    tokenizer = _tokenizer()
    if not tokenizer.initialized:
        with _lock:
            tokenizer.initialize()
    return tokenizer


def add_terms(terms: Iterable[str]) -> None:
    """Words to keep whole from now on (the vocabulary's 术语). The keyword index records the
    term list it was built with, and is rebuilt when it changes."""
    new = {t for t in terms if t and t not in DOMAIN_TERMS} - _extra_terms
    if not new:
        return
    tokenizer = _tokenizer()
    with _lock:
        for term in sorted(new):
            tokenizer.add_word(term, freq=20000)
        _extra_terms.update(new)


def is_domain_term(word: str) -> bool:
    """A Party-work term kept whole (主题党日, 入党介绍人, the vocabulary's 术语): jieba's
    frequency for these is the one we gave them, so it says nothing about how specific they are."""
    return word in DOMAIN_TERMS or word in _extra_terms


def terms_fingerprint() -> str:
    payload = "\n".join(sorted(_extra_terms))
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def tokenize(text: str) -> list[str]:
    """Search-mode tokens, lowercased, without stopwords and punctuation.

    Structural labels become one token with Arabic numerals (第二十二条 -> 第22条), so they
    neither match every other numbered label piecewise nor miss a question written 第22条.
    """
    tokenizer = _tokenizer()
    words: list[str] = []
    position = 0
    text = text.lower()
    with _lock:  # jieba's lazy initialisation is not thread-safe
        for match in _LABEL.finditer(text):
            words.extend(tokenizer.lcut_for_search(text[position : match.start()]))
            number = parse_number(match.group(1))
            words.append(f"第{number}{match.group(2)}" if number is not None else match.group(0))
            position = match.end()
        words.extend(tokenizer.lcut_for_search(text[position:]))
    return [w for w in words if w.strip() and _WORD.search(w) and w not in STOPWORDS]
