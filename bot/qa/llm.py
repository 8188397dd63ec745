"""Optional generated answers from an OpenAI-compatible API, grounded in retrieved passages.

The model sees only the numbered passages and must cite them as [n]. Anything else — an
error, a timeout, an answer without valid citations — returns None, and the caller falls back
to the extractive answer.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.qa.retriever import Passage

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "你是县委组织部的党建政策助手，回答基层党员干部的问题。"
    "只能依据用户给出的编号原文作答，不得使用原文以外的知识，不得编造政策。"
    "每一句话末尾用方括号标出所依据原文的编号，例如[1]或[1][2]。"
    "回答简洁，适合手机阅读，不超过200字。"
    "如果原文不足以回答，只回答：知识库中没有找到相关内容。"
)
_CITATION = re.compile(r"\[(\d+)\]")
_SENTENCE = re.compile(r"[^。！？]+[。！？]?(?:\s*\[\d+\])*")
_NO_ANSWER_MARK = "没有找到相关内容"


class LLMExtraMissing(RuntimeError):
    """An LLM is configured but the optional [llm] extra (langchain-openai) is not installed."""


def make_chat_model(
    *, base_url: str, model: str, api_key: str | None, timeout_s: float
) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMExtraMissing() from exc

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=api_key or "not-needed",  # type: ignore[arg-type]
        timeout=timeout_s,
        max_retries=0,
        temperature=0,
    )


def make_chat_model_from_settings(settings: Settings) -> BaseChatModel | None:
    if not (settings.llm_base_url and settings.llm_model):
        return None
    return make_chat_model(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        timeout_s=settings.llm_timeout_s,
    )


def build_prompt(question: str, passages: list[Passage], citations: list[str]) -> str:
    numbered = "\n\n".join(
        f"[{i}] {label}\n{p.text}"
        for i, (p, label) in enumerate(zip(passages, citations, strict=True), 1)
    )
    return f"原文：\n{numbered}\n\n问题：{question}"


def generate_grounded_answer(
    chat_model: BaseChatModel, question: str, passages: list[Passage], citations: list[str]
) -> str | None:
    """The model's answer if every sentence is grounded in a cited passage, else None."""
    try:
        reply = chat_model.invoke(
            [
                SystemMessage(content=SYSTEM_PROMPT),
                HumanMessage(content=build_prompt(question, passages, citations)),
            ]
        )
    except Exception as exc:  # network, timeout, API or parsing errors: fall back, never fail
        log.warning("LLM call failed, using the extractive answer: %r", exc)
        return None
    text = str(reply.content).strip()
    if not is_grounded(text, len(passages)):
        log.warning("LLM answer rejected as uncited or unsupported: %.80s", text)
        return None
    return text


def is_grounded(text: str, passage_count: int) -> bool:
    if not text or _NO_ANSWER_MARK in text:
        return False
    cited = [int(n) for n in _CITATION.findall(text)]
    if not cited or any(n < 1 or n > passage_count for n in cited):
        return False
    # A sentence runs to its 。！？ plus any citations right after it: "甲。[1]" and "甲[1]。".
    sentences = [s for s in _SENTENCE.findall(text) if s.strip(" \n[]0123456789")]
    return all(_CITATION.search(s) for s in sentences)
