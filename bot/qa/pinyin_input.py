"""What the pinyin keyboard gets wrong or short: a slip that sounds like a known word
(支布 for 支部), and pinyin initials typed for a word (zzgx for 组织关系)."""

from __future__ import annotations

import math
import re
from functools import lru_cache

from bot.qa.vocabulary import _HAN_RUN, EITHER_OR, _jieba, general_share

# jieba's dictionary also lists some misspellings, rarely: below this they are slips
REAL_WORD_FREQUENCY = 50
# an either-or form, kept whole by re.split
_EITHER_OR = re.compile(f"({EITHER_OR})")


def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


def _tones(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True))


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
        self._by_sound: dict[tuple[str, ...], list[str]] = {}
        for word in sorted(words):
            if 2 <= len(word) <= 5 and _HAN_RUN.fullmatch(word):
                self._by_sound.setdefault(_pinyin(word), []).append(word)
        self._known = words

    def _word_for(self, sounds: tuple[str, ...], slip: str) -> str | None:
        """The known word sounding like `slip`; of homophones (党籍, 党纪 for 党藉) the one
        sharing most of its characters, then most of its tones (籍 and 藉 are both jí)."""
        words = self._by_sound.get(sounds)
        if not words:
            return None
        if len(words) == 1:
            word = words[0]
        else:
            tones = _tones(slip)

            def closeness(word: str) -> tuple[int, int]:
                same = sum(a == b for a, b in zip(word, slip, strict=False))
                return same, sum(a == b for a, b in zip(_tones(word), tones, strict=False))

            word = max(words, key=closeness)  # the first in sorted order on a tie
        # a known word typed as it is stays (and keeps its characters from the next slip)
        return word if word == slip or _slip_of(slip, word) else None

    def fix(self, text: str) -> str:
        if not self._by_sound:
            return text
        return _HAN_RUN.sub(lambda run: self._fix_run(run.group(0)), text)

    def fix_phrases(self, text: str, *, min_length: int = 4) -> str:
        """Also across word boundaries, for the known words of `min_length` characters or more
        (集中+学系 → 集中学习, 党小组+汇 → 党小组会): long enough that a sound-alike is a slip."""
        long_sounds = [s for s in self._by_sound if len(s) >= min_length]
        out = self.fix(text)
        for sounds in long_sounds:
            size = len(sounds)
            for start in range(len(out) - size + 1):
                span = out[start : start + size]
                if not _HAN_RUN.fullmatch(span):
                    continue
                # each character can sound right: cheap, and it spares most spans the reading
                # of the whole span in context below
                if not all(sound in _readings(c) for sound, c in zip(sounds, span, strict=False)):
                    continue
                if _pinyin(span) == sounds and span not in self._by_sound[sounds]:
                    word = self._word_for(sounds, span)
                    if word:
                        out = out[:start] + word + out[start + size :]
        return out

    def _fix_run(self, run: str) -> str:
        # an either-or form (支不支持, 算不算) is how the question asks, typed as meant: its
        # characters are no part of a slip (法支不支持 is no 法治)
        parts = _EITHER_OR.split(run)
        if len(parts) > 1:
            # re.split also returns the repeated character's group: every third part
            kept = parts[1::3]
            fixed = [self._fix_words(p) for p in parts[0::3]]
            return "".join(a + b for a, b in zip(fixed, [*kept, ""], strict=True))
        return self._fix_words(run)

    def _fix_words(self, run: str) -> str:
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
            replacement = self._word_for(_pinyin(token), token) if rare else None
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
                word = self._word_for(sounds[start : start + size], chars[start : start + size])
                if word:
                    out[start : start + size] = list(word)
                    start += size
                    break
            else:
                start += 1
        return "".join(out)


def _slip_of(slip: str, word: str) -> bool:
    """Whether `slip` can be a slip for the sound-alike `word`: the word reads likelier than
    the characters as typed, by the counts jieba segments with (the word's share of general
    Chinese against the product of its characters'): 党是 (党 + the commonest 是) is no 党史,
    是干 no 实干, but 支不 is 支部 and 预被 预备."""
    typed = sum(math.log(general_share(c)) for c in slip)
    return math.log(general_share(word)) > typed


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
