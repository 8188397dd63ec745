"""A name read out of free text only from after its last preposition: 想比条例 (相比 typed as it
sounds) or 跟…条例比 compares with a document and names none, so nothing is refused as a
document the knowledge base lacks."""

from __future__ import annotations

from bot.qa.doc_names import after_preposition
from bot.qa.documents import DocumentCatalog, IndexedDocument
from bot.qa.vocabulary import load_vocabulary


def test_the_words_before_a_preposition_are_no_part_of_a_name() -> None:
    assert after_preposition("扣分想比条例") == "条例"
    assert after_preposition("跟考勤条例") == "考勤条例"
    assert after_preposition("村干部坐班管理条例") == "村干部坐班管理条例"


def catalog() -> DocumentCatalog:
    documents = [IndexedDocument(1, "中国共产党纪律处分条例", 142)]
    return DocumentCatalog(documents, load_vocabulary(None))


def test_a_comparison_with_a_document_names_no_missing_document() -> None:
    mention = catalog().mentioned("迟到扣分想比条例轻还是重")
    assert mention is None or mention.entry is not None


def test_an_unknown_document_is_still_named() -> None:
    mention = catalog().mentioned("村干部坐班管理条例第二条怎么说")
    assert mention is not None and mention.entry is None
    assert mention.written == "村干部坐班管理条例"
