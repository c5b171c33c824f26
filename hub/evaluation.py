"""Matching quality on a hand-labelled evaluation set (``data/eval/matching_eval.json``).

Three rankers answer each investor of the set with ten projects:
- ``bm25``: lexical BM25 of the thesis against project texts (bm25s), no constraints;
- ``semantic``: cosine similarity of the embeddings only, no constraints;
- ``full``: the HubMatch pipeline (hard constraints, weighted factors, diversity).
Graded judgements (0 = not relevant … 3 = perfect fit; unjudged = 0) give nDCG@10,
precision@10 (grade >= 2 counts as relevant) and MRR. Cross-lingual retrieval is checked on
translation pairs: each English text must find its Russian translation first among all
Russian texts, and the reverse (top-1 accuracy).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from hub import repository
from hub.config import Settings
from hub.context import open_hub
from hub.engine import open_engine
from hub.importing import Kind, import_records

RELEVANT = 2  # the grade from which a result counts as relevant for precision and MRR
K = 10


@dataclass(frozen=True)
class EvalSet:
    investors: list[dict]
    projects: list[dict]
    grades: dict[tuple[str, str], int]  # (investor external_id, project external_id) -> grade
    pairs: list[tuple[str, str]]  # (English, Russian)

    @classmethod
    def load(cls, path: Path) -> EvalSet:
        data = json.loads(path.read_text(encoding="utf-8"))
        grades = {(j["investor"], j["project"]): int(j["grade"]) for j in data["judgements"]}
        pairs = [(p["en"], p["ru"]) for p in data["translation_pairs"]]
        return cls(data["investors"], data["projects"], grades, pairs)

    def grades_for(self, investor: str) -> dict[str, int]:
        return {project: grade for (who, project), grade in self.grades.items() if who == investor}


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades))


def ndcg_at_k(ranked: Sequence[int], judged: Sequence[int], k: int = K) -> float:
    """nDCG@k of ranked grades against the best possible order of all judged grades."""
    ideal = dcg(sorted(judged, reverse=True)[:k])
    return dcg(list(ranked)[:k]) / ideal if ideal > 0 else 0.0


def precision_at_k(ranked: Sequence[int], k: int = K) -> float:
    return sum(g >= RELEVANT for g in list(ranked)[:k]) / k


def reciprocal_rank(ranked: Sequence[int]) -> float:
    return next((1.0 / (rank + 1) for rank, g in enumerate(ranked) if g >= RELEVANT), 0.0)


@dataclass(frozen=True)
class RankerScore:
    name: str
    ndcg: float
    precision: float
    mrr: float


@dataclass
class EvalReport:
    rankers: list[RankerScore]
    en_to_ru_top1: float
    ru_to_en_top1: float
    queries: int
    projects: int
    pairs: int
    model: str

    def score(self, name: str) -> RankerScore:
        return next(r for r in self.rankers if r.name == name)

    def markdown(self) -> str:
        lines = [
            f"Evaluation set: {self.queries} investor queries, "
            f"{self.projects} projects, graded judgements; encoder `{self.model}`.",
            "",
            "| ranker | nDCG@10 | precision@10 | MRR |",
            "|---|---|---|---|",
        ]
        lines += [f"| {r.name} | {r.ndcg:.3f} | {r.precision:.3f} | {r.mrr:.3f} |" for r in self.rankers]
        lines += [
            "",
            f"Cross-lingual top-1 on {self.pairs} translation pairs: EN→RU **{self.en_to_ru_top1:.3f}**, "
            f"RU→EN **{self.ru_to_en_top1:.3f}**.",
        ]
        return "\n".join(lines)


def _bm25_rankings(queries: dict[str, str], documents: dict[str, str], k: int) -> dict[str, list[str]]:
    import bm25s

    names = list(documents)

    def tokens(texts: list[str]) -> object:
        return bm25s.tokenize([t.lower() for t in texts], stopwords=None, show_progress=False)

    model = bm25s.BM25()
    model.index(tokens([documents[n] for n in names]), show_progress=False)
    found, _ = model.retrieve(tokens(list(queries.values())), k=min(k, len(names)), show_progress=False)
    return {q: [names[i] for i in row] for q, row in zip(queries, found, strict=True)}


def cross_lingual_top1(encoder: Encoder, pairs: Sequence[tuple[str, str]]) -> tuple[float, float]:
    """Share of English texts whose nearest Russian text is their translation, and the reverse."""
    english = encoder.encode([en for en, _ in pairs])
    russian = encoder.encode([ru for _, ru in pairs])
    similarity = english @ russian.T  # cosine: both sides are unit vectors
    truth = np.arange(len(pairs))
    return float(np.mean(similarity.argmax(1) == truth)), float(np.mean(similarity.argmax(0) == truth))


def evaluate(eval_set: EvalSet, encoder: Encoder, workdir: Path, reference_dir: Path) -> EvalReport:
    """Load the set into a fresh database under ``workdir`` and score the three rankers."""
    settings = Settings(
        data_dir=workdir, database_url=f"sqlite:///{workdir / 'eval.db'}", reference_dir=reference_dir
    )
    hub = open_hub(settings)
    for kind, records in ((Kind.INVESTORS, eval_set.investors), (Kind.PROJECTS, eval_set.projects)):
        report = import_records(hub.sessions, kind, list(enumerate(records, 1)), hub.reference, actor="eval")
        if not report.written:
            raise ValueError(
                "the evaluation set does not validate: " + "; ".join(map(str, report.errors[:5]))
            )
    matcher = open_engine(hub, encoder).matcher
    with hub.sessions() as session:
        investor_ids = {i.external_id: i.id for i in repository.active_investors(session)}
        projects = repository.published_projects(session)
        external = {p.id: p.external_id for p in projects}
        documents = {p.external_id: f"{p.title} {p.summary} {p.description}" for p in projects}
    theses = {r["external_id"]: r["thesis"] for r in eval_set.investors}
    bm25 = _bm25_rankings(theses, documents, K)

    rankings: dict[str, dict[str, list[str]]] = {"bm25": bm25, "semantic": {}, "full": {}}
    for name, investor_id in investor_ids.items():
        query = matcher.investor_index.vector(investor_id)
        _, ids = matcher.project_index.search(query, K)
        rankings["semantic"][name] = [external[int(i)] for i in ids[0] if i >= 0]
        full = matcher.projects_for_investor(investor_id, top=K)
        rankings["full"][name] = [external[m.id] for m in full.items]

    scores = []
    for ranker, answers in rankings.items():
        values = []
        for name in investor_ids:
            judged = eval_set.grades_for(name)
            ranked = [judged.get(project, 0) for project in answers[name]]
            values.append(
                (ndcg_at_k(ranked, list(judged.values())), precision_at_k(ranked), reciprocal_rank(ranked))
            )
        ndcg, precision, mrr = (float(np.mean(column)) for column in zip(*values, strict=True))
        scores.append(RankerScore(ranker, ndcg, precision, mrr))
    en_ru, ru_en = cross_lingual_top1(encoder, eval_set.pairs)
    hub.engine.dispose()
    return EvalReport(
        rankers=scores,
        en_to_ru_top1=en_ru,
        ru_to_en_top1=ru_en,
        queries=len(investor_ids),
        projects=len(documents),
        pairs=len(eval_set.pairs),
        model=encoder.name,
    )
