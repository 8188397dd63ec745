"""Character n-gram BM25 (bot.index.ngram): a match that does not depend on jieba's cuts."""

from bot.index.ngram import NgramIndex, ngrams


def test_bigrams_of_chinese_runs_and_whole_latin_words() -> None:
    assert ngrams("村支书，咋选？", unigrams=False) == ["村支", "支书", "咋选"]
    assert ngrams("党章 PPT 2024版", unigrams=False) == ["党章", "ppt", "2024", "版"]


def test_unigrams_when_asked() -> None:
    assert ngrams("支书", unigrams=True) == ["支", "书", "支书"]


def test_finds_a_passage_whose_words_jieba_cuts_otherwise() -> None:
    index = NgramIndex.build(
        [
            ("a", "党支部书记由支部委员会选举产生"),
            ("b", "村民委员会成员由村民直接选举产生"),
            ("c", "党员应当按期交纳党费"),
        ]
    )
    found = index.search("支部书记咋选出来的", 3)
    assert found[0][0] == "a"
    assert all(cid != "c" for cid, _ in found)


def test_empty_index_and_unknown_grams_find_nothing() -> None:
    assert NgramIndex.build([]).search("支部", 5) == []
    index = NgramIndex.build([("a", "党员应当按期交纳党费")])
    assert index.search("宅基地", 5) == []
