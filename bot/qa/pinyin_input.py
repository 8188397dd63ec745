"""What the pinyin keyboard gets wrong or short: a slip that sounds like a known word
(支布 for 支部), and pinyin initials typed for a word (zzgx for 组织关系)."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.qa.vocabulary import _HAN_RUN, _jieba

# jieba's dictionary also lists some misspellings, rarely: below this they are slips
REAL_WORD_FREQUENCY = 50


def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """Every reading of one character, without tones (会: hui, kuai)."""
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


class SpellingFixer:
    """Replaces a slip of the pinyin keyboard (支布, 党原, 促近法) with the known word that sounds
    the same. A slip is what the segmenter cannot read as a common word: a run of single
    characters, or a word its dictionary lists only rarely (书纪, 秸杆). So 知道 never becomes 指导,
    and 村里有 never yields 理由."""

    def __init__(self, words: set[str]) -> None:
        self._by_sound: dict[tuple[str, ...], str] = {}
        for word in sorted(words, key=len):
            if 2 <= len(word) <= 5 and _HAN_RUN.fullmatch(word):
                self._by_sound.setdefault(_pinyin(word), word)
        self._known = words

    def fix(self, text: str) -> str:
        if not self._by_sound:
            return text
        return _HAN_RUN.sub(lambda run: self._fix_run(run.group(0)), text)

    def fix_phrases(self, text: str, *, min_length: int = 4) -> str:
        """Also across word boundaries, for the known words of `min_length` characters or more
        (集中+学系 → 集中学习, 党小组+汇 → 党小组会): long enough that a sound-alike is a slip."""
        long_words = {s: w for s, w in self._by_sound.items() if len(w) >= min_length}
        out = self.fix(text)
        for sounds, word in long_words.items():
            size = len(word)
            for start in range(len(out) - size + 1):
                span = out[start : start + size]
                if span == word or not _HAN_RUN.fullmatch(span):
                    continue
                # each character can sound right: cheap, and it spares most spans the reading
                # of the whole span in context below
                if not all(sound in _readings(c) for sound, c in zip(sounds, span, strict=False)):
                    continue
                if _pinyin(span) == sounds:
                    out = out[:start] + word + out[start + size :]
        return out

    def _fix_run(self, run: str) -> str:
        tokenizer = _jieba()
        out: list[str] = []
        singles: list[str] = []
        for token in tokenizer.lcut(run, HMM=False):
            if len(token) == 1:
                singles.append(token)
                continue
            out.append(self._fix_singles("".join(singles)))
            singles = []
            rare = tokenizer.FREQ.get(token, 0) < REAL_WORD_FREQUENCY
            replacement = self._by_sound.get(_pinyin(token)) if rare else None
            known = token in self._known
            out.append(replacement if replacement and not known else token)
        out.append(self._fix_singles("".join(singles)))
        return "".join(out)

    def _fix_singles(self, chars: str) -> str:
        """Within a run of single characters, the longest spans that sound like a known word."""
        if len(chars) < 2:
            return chars
        sounds = _pinyin(chars)
        out = list(chars)
        start = 0
        while start < len(chars):
            for size in range(min(5, len(chars) - start), 1, -1):
                word = self._by_sound.get(sounds[start : start + size])
                if word:
                    out[start : start + size] = list(word)
                    start += size
                    break
            else:
                start += 1
        return "".join(out)


# -- pinyin initials ---------------------------------------------------------------------------

_INITIALS = re.compile(r"(?<![A-Za-z])[a-z]{2,6}(?![A-Za-z])")


class Abbreviations:
    """Reads pinyin initials typed for a word (zzgx, fzdx, cwh) as the knowledge base's own
    word with those initials that its passages use most; only lower-case runs, so PPT or AI
    stay as written."""

    def __init__(self, frequency: dict[str, int]) -> None:
        best: dict[str, tuple[int, str]] = {}
        for word, count in frequency.items():
            if not 2 <= len(word) <= 6 or not _HAN_RUN.fullmatch(word):
                continue
            key = "".join(syllable[0] for syllable in _pinyin(word))
            if count > best.get(key, (0, ""))[0]:
                best[key] = (count, word)
        self._words = {key: word for key, (_, word) in best.items()}

    def expand(self, text: str) -> str:
        return _INITIALS.sub(lambda m: self._words.get(m.group(0), m.group(0)), text)
