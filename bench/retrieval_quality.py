"""Retrieval quality on the dev questions: partybot's pipeline vs the plain LangChain recipe.

    .venv/bin/python -m bench.retrieval_quality [--embedder use-multilingual|FOLDER]

Both use the same embedder over ../shared/corpus plus the seed report. The plain recipe is
RecursiveCharacterTextSplitter(1000, 200) into a dense-only Chroma through langchain-chroma.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.common import (
    EXTRA_QA,
    QA_DEV,
    copy_eval_corpus,
    load_questions,
    open_knowledge_base,
    score,
)
from bot.embeddings import NamedEmbeddings, make_embeddings
from bot.qa.service import QAService


def run_partybot(folder: Path, data: Path, embeddings: NamedEmbeddings, rows: list[dict]) -> list:
    kbase = open_knowledge_base(folder, data, embeddings)
    kbase.ingestor.ingest()
    service = QAService(kbase.retriever)
    results = []
    for row in rows:
        answer = service.ask(row["question"])
        results.append((answer.refused, [(p.text, p.source) for p in answer.sources]))
    return results


def run_plain_recipe(
    folder: Path, data: Path, embeddings: NamedEmbeddings, rows: list[dict]
) -> list:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.loaders import load_file

    documents = [
        Document(page_content=load_file(path).text, metadata={"source": path.name})
        for path in sorted(folder.iterdir())
    ]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = splitter.split_documents(documents)
    client = chromadb.PersistentClient(
        path=str(data / "plain"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    store = Chroma(client=client, collection_name="plain", embedding_function=embeddings)
    store.add_documents(chunks)
    results = []
    for row in rows:
        hits = store.similarity_search(row["question"], k=5)
        results.append((False, [(d.page_content, d.metadata["source"]) for d in hits]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="use-multilingual")
    args = parser.parse_args()
    embeddings = make_embeddings(args.embedder)
    sets = {"qa_dev": load_questions(QA_DEV), "qa_extra": load_questions(EXTRA_QA)}
    print(f"embedder: {embeddings.name}")
    header = f"{'set':<9} {'system':<13} {'n':>3} {'R@1':>6} {'R@5':>6} {'MRR':>6}  refused(out-of-scope)  refused(answerable)"
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_eval_corpus(Path(tmp) / "knowledge")
        for name, rows in sets.items():
            for system, runner in (("partybot", run_partybot), ("plain-recipe", run_plain_recipe)):
                started = time.perf_counter()
                data = Path(tmp) / f"{system}-{name}"
                figures = score(rows, runner(folder, data, embeddings, rows))
                print(
                    f"{name:<9} {system:<13} {figures['answerable']:>3} "
                    f"{figures['recall@1']:>6.3f} {figures['recall@5']:>6.3f} {figures['mrr']:>6.3f}  "
                    f"{figures['refused_out_of_scope']:>3}/{figures['out_of_scope']:<3}"
                    f"{'':>16}{figures['refused_answerable']:>3}"
                    f"   ({time.perf_counter() - started:.1f} s)"
                )


if __name__ == "__main__":
    main()
