"""Fit the re-ranking of the fused candidates (bot/qa/rerank.py) on the dev sets' tuning halves.

    .venv/bin/python -m bench.fit_rerank [--data DIR] [--depth 30] [--l2 0.001]
        [--without FEATURE,...] [--dev-only] [--scale 1.0] [--write]

Every dev question and every question of the looked-at fresh sets (q p r x y u s m) is asked
through the Q&A service over ../shared/corpus plus the seed report; the candidates its search
fused are recorded with their features and labelled by the eval rule (bench.common.hit). A
linear score is fitted listwise — softmax over each question's candidates, the likelihood of
its right passages maximised — on the tuning halves of qa_dev3 and qa_dev2, all of qa_dev and
the looked-at fresh sets (--dev-only: the dev sets alone); questions whose right passage is not
among the candidates teach nothing and are left out. Printed: Recall@1 / MRR of the candidate
order left out one looked-at set at a time (each fitted on the others), then fused, re-ranked
by the shipped weights and by the new fit, per set and half (the held halves only to report).
--without holds the named features at weight 0 (an ablation, or a refit without signals a
fit would add). --write stores the weights in bot/data/rerank.json, times --scale (the order
stays, the chances the verifier reads sharpen). --data keeps the built index and the recorded
candidates between runs (--again: ask anew).
"""

from __future__ import annotations

import argparse
import json
import pickle
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from bench.common import (
    FRESH_QA,
    LOOKED_AT_FRESH_QA_SETS,
    QA_DEV,
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bot.index.embeddings import make_embeddings
from bot.index.query_adapter import QueryAdapter
from bot.qa.rerank import (
    ASKS_FOR_LIST,
    FEATURES,
    WEIGHTS_FILE,
    Candidate,
    QuestionTerms,
    Reranker,
    features,
)
from bot.qa.service import QAService


@dataclass(frozen=True)
class Recorder(Reranker):
    """Keeps the fused order, and records each search's candidates and their features."""

    calls: list[tuple[QuestionTerms, list[Candidate]]] = field(default_factory=list)

    def rank(  # type: ignore[override]
        self, terms: QuestionTerms, candidates: list[Candidate]
    ) -> list[tuple[Candidate, float | None]]:
        self.calls.append((terms, list(candidates[: self.depth])))
        return [(candidate, None) for candidate in candidates]


@dataclass
class Example:
    set: str
    half: str
    question: str
    terms: QuestionTerms
    candidates: list[Candidate]
    y: np.ndarray  # 1 where the candidate answers

    @cached_property
    def matrix(self) -> np.ndarray:  # candidates x features
        return np.array(features(self.terms, self.candidates))


def record(
    data: Path,
    embedder: str,
    depth: int,
    adapters: Mapping[str, np.ndarray] | None = None,
    held: np.ndarray | None = None,
) -> list[Example]:
    """adapters: a query adapter's W per looked-at set, each fitted without that set, for its
    tuning questions (cross-fitting); held: the W for the held halves (None: the packaged one).
    Without adapters every question is searched with the packaged adapter."""
    folder = copy_eval_corpus(data / "knowledge")
    kbase = open_knowledge_base(folder, data, make_embeddings(embedder, threads=2))
    kbase.ingestor.ingest()
    recorder = Recorder(depth=depth)
    kbase.retriever.reranker = recorder
    packaged = kbase.retriever.query_adapter
    service = QAService(kbase.retriever)
    examples = []
    sets = [("qa_dev3", QA_DEV3), ("qa_dev2", QA_DEV2), ("qa_dev", QA_DEV), ("fresh", FRESH_QA)]
    for name, path in sets:
        for row in load_questions(path):
            if row["kind"] == "refuse":
                continue
            if name == "fresh" and row["id"][0] not in LOOKED_AT_FRESH_QA_SETS:
                continue  # the fresh sets kept for reporting are never asked here
            part = half(row["id"]) if name in ("qa_dev3", "qa_dev2") else "tune"
            label = f"fresh {row['id'][0]}" if name == "fresh" else name
            if adapters is not None:
                w = adapters[label] if part == "tune" else held
                kbase.retriever.query_adapter = packaged if w is None else QueryAdapter(w)
            recorder.calls.clear()
            service.ask(row["question"])
            if not recorder.calls:  # answered by article number, not searched
                continue
            terms, candidates = recorder.calls[-1]
            labels = [float(hit(c.text, "", row["expect"])) for c in candidates]
            examples.append(
                Example(label, part, row["question"], terms, candidates, np.array(labels))
            )
    return examples


def crossfitted(
    data: Path, embedder: str, args: argparse.Namespace
) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    """W per looked-at set fitted without it (bench.fit_adapter's recipe), and the W for the
    held halves: fitted on all when --pseudo, else None (the packaged one)."""
    from bench import fit_adapter

    x = fit_adapter.prepare(data, embedder)
    passages, groups, targets = x["passages"], np.array(x["groups"]), x["targets"]
    both = np.vstack([x["asked"], x["formal"]])

    def fitted(keep: np.ndarray) -> np.ndarray:
        queries = both[np.concatenate([keep, keep])]
        labels = [t for t, k in zip(targets, keep, strict=True) if k] * 2
        if args.pseudo:
            queries = np.vstack([queries, x["pseudo"]])
            labels = labels + x["pseudo_targets"]
        mask = fit_adapter._mask(labels, len(passages))
        return fit_adapter.fit(queries, mask, passages, args.crossfit, args.adapter_steps)

    adapters = {}
    for group in dict.fromkeys(groups):
        adapters[group] = fitted(groups != group)
        print("adapter fitted without", group, flush=True)
    held = fitted(np.ones(len(groups), dtype=bool)) if args.pseudo else None
    return adapters, held


def loss(w: np.ndarray, examples: list[Example], l2: float) -> tuple[float, np.ndarray]:
    total, grad = 0.0, np.zeros_like(w)
    for e in examples:
        s = e.matrix @ w
        s = s - s.max()
        p = np.exp(s) / np.exp(s).sum()
        q = p * e.y / (p * e.y).sum()  # the right passages' share of the probability
        total -= float(np.log((p * e.y).sum()))
        grad -= e.matrix.T @ (q - p)
    n = len(examples) or 1
    return total / n + l2 * float(w @ w), grad / n + 2 * l2 * w


def fit(examples: list[Example], l2: float, without: frozenset[str] = frozenset()) -> np.ndarray:
    """Weights on the raw features. Fitted on features scaled to unit spread, so that the L2
    penalty weighs each signal alike (e5's cosine similarities differ by hundredths); a
    constant shift changes no ranking, so the weights divided by the spread rank the same.
    The features named in `without` are held at weight 0 (the model without them)."""
    usable = [e for e in examples if e.y.any() and not e.y.all()]
    spread = np.vstack([e.matrix for e in usable]).std(axis=0)
    spread[spread == 0] = 1.0
    scaled = [replace_matrix(e, e.matrix / spread) for e in usable]
    start = np.zeros(len(FEATURES))
    start[FEATURES.index("fused")] = 1.0
    bounds = [(0.0, 0.0) if name in without else (None, None) for name in FEATURES]
    result = minimize(loss, start, args=(scaled, l2), jac=True, method="L-BFGS-B", bounds=bounds)
    return np.asarray(result.x) / spread


def replace_matrix(e: Example, matrix: np.ndarray) -> Example:
    copy = Example(e.set, e.half, e.question, e.terms, e.candidates, e.y)
    copy.__dict__["matrix"] = matrix
    return copy


def ranks(examples: list[Example], w: np.ndarray | None) -> list[int | None]:
    out = []
    for e in examples:
        order = np.arange(len(e.y)) if w is None else np.argsort(-(e.matrix @ w), kind="stable")
        right = [i for i, j in enumerate(order, 1) if e.y[j]]
        out.append(right[0] if right and right[0] <= 5 else None)
    return out


def summary(found: list[int | None]) -> str:
    n = len(found) or 1
    r1 = sum(r == 1 for r in found) / n
    r5 = sum(r is not None for r in found) / n
    mrr = sum(1 / r for r in found if r) / n
    return f"R@1 {r1:.3f} R@5 {r5:.3f} MRR {mrr:.3f} ({len(found)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path)
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--depth", type=int, default=30)
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--without", default="", help="features held at weight 0, comma-separated")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--again", action="store_true", help="ask again, not from --data's cache")
    parser.add_argument(
        "--crossfit",
        type=float,
        help="record each looked-at set's questions with a query adapter fitted without that "
        "set (this penalty), the held halves with one fitted on all (the packaged one unless "
        "--pseudo)",
    )
    parser.add_argument("--pseudo", action="store_true", help="adapters with first clauses")
    parser.add_argument("--adapter-steps", type=int, default=200)
    parser.add_argument(
        "--dev-only", action="store_true", help="fit on the dev sets only, not the fresh ones"
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="the weights written times this: the order stays, the chances the verifier reads "
        "sharpen (on a refit: the shipped fit's mean first chance on the tuning questions)",
    )
    args = parser.parse_args()
    without = frozenset(name for name in args.without.split(",") if name)
    if without - set(FEATURES):
        parser.error(f"no such feature: {', '.join(sorted(without - set(FEATURES)))}")
    cache = args.data / "examples.pickle" if args.data is not None else None
    if args.crossfit is not None:
        if args.data is None:
            parser.error("--crossfit needs --data")
        tag = f"{args.crossfit}{'p' if args.pseudo else ''}{args.adapter_steps}"
        cache = args.data / f"examples_crossfit_{tag}.pickle"
    if cache is not None and cache.is_file() and not args.again:
        examples = pickle.loads(cache.read_bytes())
    elif cache is not None and args.crossfit is not None:
        adapters, held = crossfitted(args.data, args.embedder, args)
        examples = record(args.data, args.embedder, args.depth, adapters, held)
        cache.write_bytes(pickle.dumps(examples))
    elif cache is not None and cache.is_file() and not args.again:
        examples = pickle.loads(cache.read_bytes())
    elif cache is not None:
        args.data.mkdir(parents=True, exist_ok=True)
        examples = record(args.data, args.embedder, args.depth)
        cache.write_bytes(pickle.dumps(examples))
    else:
        with tempfile.TemporaryDirectory() as name:
            examples = record(Path(name), args.embedder, args.depth)
    for e in examples:  # recorded deeper than asked: re-rank only the first --depth
        e.candidates, e.y = e.candidates[: args.depth], e.y[: args.depth]
        e.terms = replace(e.terms, lists=bool(ASKS_FOR_LIST.search(e.question)))
        e.__dict__.pop("matrix", None)
    tune = [
        e
        for e in examples
        if e.half == "tune" and not (args.dev_only and e.set.startswith("fresh"))
    ]
    # the regularisation and the features chosen by leaving one looked-at set out: each fitted
    # on the others, which asks whether the fit carries to questions on other topics
    for l2 in (0.001, 0.01, 0.1):
        found = []
        for name in dict.fromkeys(e.set for e in tune):
            rest = [e for e in tune if e.set != name]
            found += ranks([e for e in tune if e.set == name], fit(rest, l2, without))
        print(f"l2 {l2:<6} leave-one-set-out {summary(found)}")
    # the regularisation chosen by two-fold cross-validation within the tuning questions
    for l2 in (0.0, 0.001, 0.01, 0.1):
        folds = [tune[0::2], tune[1::2]]
        found = []
        for i in (0, 1):
            found += ranks(folds[1 - i], fit(folds[i], l2, without))
        print(f"l2 {l2:<6} tuning cross-validated {summary(found)}")
    w = fit(tune, args.l2, without)
    print("weights", dict(zip(FEATURES, np.round(w, 3).tolist(), strict=True)))
    shipped = np.array(Reranker.packaged().weights) if Reranker.packaged().weights else None
    for name in dict.fromkeys(e.set for e in examples):
        for part in ("tune", "held"):
            chosen = [e for e in examples if e.set == name and e.half == part]
            if chosen:
                line = f"{name} {part}: fused {summary(ranks(chosen, None))} | "
                if shipped is not None:
                    line += f"shipped {summary(ranks(chosen, shipped))} | "
                print(line + f"re-ranked {summary(ranks(chosen, w))}")
    if args.write:
        WEIGHTS_FILE.write_text(
            json.dumps(
                {
                    "features": list(FEATURES),
                    "weights": [round(float(v) * args.scale, 4) for v in w],
                    "depth": args.depth,
                    "fitted_on": "tuning halves of qa_dev3 and qa_dev2, all of qa_dev"
                    + ("" if args.dev_only else ", fresh " + " ".join(LOOKED_AT_FRESH_QA_SETS))
                    + (
                        ""
                        if args.crossfit is None
                        else f"; features cross-fitted (adapter l2 {args.crossfit} fitted "
                        "without each question's set)"
                    ),
                    "embedder": args.embedder,
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print("written", WEIGHTS_FILE)


if __name__ == "__main__":
    main()
