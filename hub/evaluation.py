"""Matching quality, measured three ways.

1. **The labelled set** (``data/eval/matching_eval.json``): investor queries with graded
   judgements (0 = not relevant … 3 = perfect fit; unjudged = 0), tagged by the hard case
   they test (``groups``: generalist, cross_lingual, required_only, identical_facts, kazakh,
   startup, two_cities). nDCG@10, precision@10 (grade >= 2) and MRR, overall and per group.
2. **A public, expert-labelled corpus nobody here wrote** (``data/eval/public_corpus.json``,
   the SDG Classification Benchmark; see ``data/eval/PUBLIC_CORPUS.md``): each topic becomes
   a generalist investor (every sector, country, stage and instrument) whose thesis is one
   sentence; every document becomes a project that passes its constraints, so only the text
   decides. Precision@10 (relevant = the document's topic is the thesis's).
3. **Generalists among the demo data** (``data/eval/generalist_eval.json``): generalist
   investors with one-sentence theses and the project written to answer each, loaded beside
   the 620 demo listings: is the answer first (top-1) or in the top 3?

Four rankers answer each query with ten projects:
- ``bm25``: lexical BM25 (bm25s) of the thesis against project texts, no constraints;
- ``dense``: cosine similarity of the embeddings only, no constraints;
- ``hybrid``: HubMatch's calibrated text relevance (dense + BM25), no constraints;
- ``full``: the HubMatch pipeline (hard constraints, weighted factors, page rules).
Cross-lingual retrieval is checked on translation pairs (top-1 both ways).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from hub import repository
from hub.config import Settings
from hub.context import open_hub
from hub.demo import seed_demo
from hub.engine import open_engine
from hub.importing import Kind, import_records
from hub.matching import Matcher
from hub.vocab import Instrument, Stage, slugs

RELEVANT = 2  # the grade from which a result counts as relevant for precision and MRR
K = 10
RANKERS = ("bm25", "dense", "hybrid", "full")
GROUPS = (
    "generalist",
    "cross_lingual",
    "required_only",
    "identical_facts",
    "kazakh",
    "startup",
    "two_cities",
)
COUNTRIES = ["KZ", "UZ", "KG", "TJ", "TM", "RU"]


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
        pairs = [(p["en"], p["ru"]) for p in data.get("translation_pairs", [])]
        return cls(data["investors"], data["projects"], grades, pairs)

    def grades_for(self, investor: str) -> dict[str, int]:
        return {project: grade for (who, project), grade in self.grades.items() if who == investor}

    def groups_of(self, investor: str) -> list[str]:
        record = next((i for i in self.investors if i["external_id"] == investor), {})
        return list(record.get("groups", []))


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
    groups: dict[str, dict[str, float]] = field(default_factory=dict)  # group -> ranker -> nDCG@10
    group_sizes: dict[str, int] = field(default_factory=dict)

    def score(self, name: str) -> RankerScore:
        return next(r for r in self.rankers if r.name == name)

    def markdown(self) -> str:
        lines = [
            f"Labelled set: {self.queries} investor queries, "
            f"{self.projects} projects, graded judgements; encoder `{self.model}`.",
            "",
            "| ranker | nDCG@10 | precision@10 | MRR |",
            "|---|---|---|---|",
        ]
        lines += [f"| {r.name} | {r.ndcg:.3f} | {r.precision:.3f} | {r.mrr:.3f} |" for r in self.rankers]
        if self.groups:
            lines += [
                "",
                "nDCG@10 per hard-case group (queries in the group):",
                "",
                *ranker_table(
                    {f"{group} ({self.group_sizes[group]})": scores for group, scores in self.groups.items()},
                    corner="group",
                ),
            ]
        lines += [
            "",
            f"Cross-lingual top-1 on {self.pairs} translation pairs: EN→RU **{self.en_to_ru_top1:.3f}**, "
            f"RU→EN **{self.ru_to_en_top1:.3f}**.",
        ]
        return "\n".join(lines)


def ranker_table(rows: dict[str, dict[str, float]], corner: str = "") -> list[str]:
    """A Markdown table: one row per entry of ``rows`` (label -> ranker -> figure), one column per ranker."""
    return [
        f"| {corner} | " + " | ".join(RANKERS) + " |",
        "|---|" + "---|" * len(RANKERS),
        *(
            f"| {label} | " + " | ".join(f"{values[r]:.3f}" for r in RANKERS) + " |"
            for label, values in rows.items()
        ),
    ]


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
    if not pairs:
        return 0.0, 0.0
    english = encoder.encode([en for en, _ in pairs])
    russian = encoder.encode([ru for _, ru in pairs])
    similarity = english @ russian.T  # cosine: both sides are unit vectors
    truth = np.arange(len(pairs))
    return float(np.mean(similarity.argmax(1) == truth)), float(np.mean(similarity.argmax(0) == truth))


@dataclass
class Loaded:
    """An evaluation database: its matcher and the external ids of what it holds."""

    matcher: Matcher
    investor_ids: dict[str, int]  # external id -> database id
    external: dict[int, str]  # project database id -> external id
    documents: dict[str, str]  # project external id -> text (for the BM25 baseline)
    close: object


def _load(
    investors: list[dict], projects: list[dict], encoder: Encoder, workdir: Path, reference_dir: Path,
    *, demo: bool = False,
) -> Loaded:  # fmt: skip
    workdir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        data_dir=workdir, database_url=f"sqlite:///{workdir / 'eval.db'}", reference_dir=reference_dir
    )
    hub = open_hub(settings)
    if demo:
        seed_demo(hub.sessions, hub.reference, reference_dir, settings.demo_seed)
    for kind, records in ((Kind.INVESTORS, investors), (Kind.PROJECTS, projects)):
        clean = [{k: v for k, v in r.items() if k != "groups"} for r in records]
        report = import_records(hub.sessions, kind, list(enumerate(clean, 1)), hub.reference, actor="eval")
        if not report.written:
            raise ValueError(
                "the evaluation set does not validate: " + "; ".join(map(str, report.errors[:5]))
            )
    matcher = open_engine(hub, encoder, sentences=False).matcher
    with hub.sessions() as session:
        investor_ids = {i.external_id: i.id for i in repository.active_investors(session)}
        published = repository.published_projects(session)
        external = {p.id: p.external_id for p in published}
        documents = {p.external_id: f"{p.title} {p.summary} {p.description}" for p in published}
    return Loaded(matcher, investor_ids, external, documents, hub.engine.dispose)


def _rankings(
    loaded: Loaded, theses: dict[str, str], names: Sequence[str]
) -> dict[str, dict[str, list[str]]]:
    """Each ranker's top ten project external ids for each investor in ``names``."""
    matcher, external = loaded.matcher, loaded.external
    out: dict[str, dict[str, list[str]]] = {
        "bm25": _bm25_rankings({n: theses[n] for n in names}, loaded.documents, K)
    }
    out |= {"dense": {}, "hybrid": {}, "full": {}}
    for name in names:
        investor_id = loaded.investor_ids[name]
        query = matcher.investor_index.vector(investor_id)
        _, ids = matcher.project_index.search(query, K)
        out["dense"][name] = [external[int(i)] for i in ids[0] if i >= 0]
        out["hybrid"][name] = [external[i] for i in matcher.rank_by_text(investor_id, K)]
        full = matcher.projects_for_investor(investor_id, top=K, explain=False)
        out["full"][name] = [external[m.id] for m in full.items]
    return out


def evaluate(eval_set: EvalSet, encoder: Encoder, workdir: Path, reference_dir: Path) -> EvalReport:
    """Load the labelled set into a fresh database under ``workdir`` and score the rankers."""
    loaded = _load(eval_set.investors, eval_set.projects, encoder, workdir, reference_dir)
    names = list(loaded.investor_ids)
    theses = {r["external_id"]: r["thesis"] for r in eval_set.investors}
    rankings = _rankings(loaded, theses, names)
    per_query: dict[str, dict[str, tuple[float, float, float]]] = {r: {} for r in RANKERS}
    for ranker, answers in rankings.items():
        for name in names:
            judged = eval_set.grades_for(name)
            ranked = [judged.get(project, 0) for project in answers[name]]
            per_query[ranker][name] = (
                ndcg_at_k(ranked, list(judged.values())),
                precision_at_k(ranked),
                reciprocal_rank(ranked),
            )
    scores = []
    for ranker in RANKERS:
        ndcg, precision, mrr = (float(np.mean(c)) for c in zip(*per_query[ranker].values(), strict=True))
        scores.append(RankerScore(ranker, ndcg, precision, mrr))
    groups, sizes = {}, {}
    for group in GROUPS:
        members = [n for n in names if group in eval_set.groups_of(n)]
        if members:
            sizes[group] = len(members)
            groups[group] = {r: float(np.mean([per_query[r][n][0] for n in members])) for r in RANKERS}
    en_ru, ru_en = cross_lingual_top1(encoder, eval_set.pairs)
    loaded.close()
    return EvalReport(
        rankers=scores,
        en_to_ru_top1=en_ru,
        ru_to_en_top1=ru_en,
        queries=len(names),
        projects=len(loaded.documents),
        pairs=len(eval_set.pairs),
        model=encoder.name,
        groups=groups,
        group_sizes=sizes,
    )


# --- generalist investors: shared by the public corpus and the demo-data check -----------------


def generalist(external_id: str, name: str, thesis: str, reference_sectors: Sequence[str]) -> dict:
    """An investor record covering every sector, country, stage and instrument (USD 0.1–100 M)."""
    return {
        "external_id": external_id,
        "name": name,
        "investor_type": "dfi",
        "thesis": thesis,
        "sectors": list(reference_sectors),
        "regions": COUNTRIES,
        "stages": slugs(Stage),
        "instruments": slugs(Instrument),
        "ticket_min": "100000",
        "ticket_max": "100000000",
        "currency": "USD",
        "esg_mandate": False,
        "aifc_participant": False,
        "contact_email": f"{external_id.lower()}@eval.example",
        "language": ["en"],
    }


# --- the public corpus ---------------------------------------------------------------------------


@dataclass
class CorpusReport:
    name: str
    topics: int
    documents: int
    precision: dict[str, float]  # ranker -> mean precision@10
    model: str

    def markdown(self) -> str:
        return "\n".join(
            [
                f"Public corpus: {self.name}: {self.topics} generalist investors (one per topic, a "
                f"one-sentence thesis), {self.documents} documents as projects that pass every "
                f"constraint; encoder `{self.model}`.",
                "",
                *ranker_table({"precision@10": self.precision}),
            ]
        )


def corpus_projects(documents: list[dict], regions: Sequence[str], sectors: Sequence[str]) -> list[dict]:
    """Each document as a published passport: its first sentence the summary, the rest the
    description, placed and typed at random (fixed seed): every generalist takes it anyway."""
    rng = random.Random(7)
    records = []
    for n, document in enumerate(documents, 1):
        text = " ".join(document["text"].split())
        words = text.split()
        cut = text.find(". ", 20)
        summary = text[: cut + 1] if 20 <= cut < 290 else " ".join(words[:30])[:290]
        description = text[len(summary) :].strip()
        if len(description) < 80:
            description = text
        region = rng.choice(list(regions))
        records.append(
            {
                "external_id": f"PUB-{n:04d}",
                "title": " ".join(words[:8])[:190],
                "summary": summary,
                "description": description[:10_000],
                "country": region.split("-")[0],
                "region": region,
                "city": "",
                "sectors": [rng.choice(list(sectors))],
                "sdgs": [],
                "stage": rng.choice(slugs(Stage)),
                "instruments": slugs(Instrument),
                "funding_ask": "1000000",
                "total_cost": "",
                "currency": "USD",
                "aifc_link": "none",
                "owner_name": f"Corpus document {document['id']}",
                "owner_email": "corpus@eval.example",
                "language": "en",
                "status": "published",
            }
        )
    return records


def evaluate_corpus(path: Path, encoder: Encoder, workdir: Path, reference_dir: Path) -> CorpusReport:
    """Precision@10 of each ranker on the public corpus (see the module docstring)."""
    from hub.reference import load_reference

    data = json.loads(path.read_text(encoding="utf-8"))
    reference = load_reference(reference_dir)
    sectors = sorted(reference.sectors)
    investors = [
        generalist(f"PUB-I-{t['id']}", f"Generalist investor: {t['label']}", t["thesis"], sectors)
        for t in data["topics"]
    ]
    projects = corpus_projects(data["documents"], sorted(reference.regions), sectors)
    topic_of = {p["external_id"]: d["topic"] for p, d in zip(projects, data["documents"], strict=True)}
    loaded = _load(investors, projects, encoder, workdir, reference_dir)
    theses = {i["external_id"]: i["thesis"] for i in investors}
    names = [i["external_id"] for i in investors]
    rankings = _rankings(loaded, theses, names)
    precision = {
        ranker: float(
            np.mean(
                [
                    sum(topic_of[p] == name.removeprefix("PUB-I-") for p in found[name][:K]) / K
                    for name in names
                ]
            )
        )
        for ranker, found in rankings.items()
    }
    loaded.close()
    return CorpusReport(
        "SDG Classification Benchmark (expert-labelled OSDG texts)"
        if "sdg" in str(data["source"]).lower()
        else str(data["source"])[:80],
        len(names),
        len(projects),
        precision,
        encoder.name,
    )


# --- generalists among the demo data ---------------------------------------------------------------


@dataclass
class GeneralistReport:
    investors: int
    demo_projects: int
    top1: dict[str, float]  # ranker -> share of investors whose answer ranks first
    top3: dict[str, float]
    by_language: dict[str, tuple[int, float, float]]  # answer language -> (count, top-1, top-3) of full
    model: str

    def markdown(self) -> str:
        lines = [
            f"Generalists among the demo data: {self.investors} generalist investors with one-sentence "
            f"theses, each answered by one project, loaded beside {self.demo_projects} demo projects; "
            f"encoder `{self.model}`.",
            "",
            *ranker_table({"top-1": self.top1, "top-3": self.top3}),
            "",
            "Full ranking by the answer's language: "
            + "; ".join(
                f"{lang} ({n}): top-1 {a:.3f}, top-3 {b:.3f}" for lang, (n, a, b) in self.by_language.items()
            )
            + ".",
        ]
        return "\n".join(lines)


def evaluate_generalists(
    path: Path, encoder: Encoder, workdir: Path, reference_dir: Path
) -> GeneralistReport:
    """Top-1 and top-3 of each generalist's answering project among the demo listings."""
    data = json.loads(path.read_text(encoding="utf-8"))
    loaded = _load(data["investors"], data["projects"], encoder, workdir, reference_dir, demo=True)
    theses = {i["external_id"]: i["thesis"] for i in data["investors"]}
    answers = {a["investor"]: a["project"] for a in data["answers"]}
    names = [i["external_id"] for i in data["investors"] if i["external_id"] in answers]
    rankings = _rankings(loaded, theses, names)
    top1 = {r: float(np.mean([found[n][:1] == [answers[n]] for n in names])) for r, found in rankings.items()}
    top3 = {r: float(np.mean([answers[n] in found[n][:3] for n in names])) for r, found in rankings.items()}
    language = {p["external_id"]: p["language"] for p in data["projects"]}
    by_language = {}
    for lang in sorted({language[answers[n]] for n in names}):
        group = [n for n in names if language[answers[n]] == lang]
        full = rankings["full"]
        by_language[lang] = (
            len(group),
            float(np.mean([full[n][:1] == [answers[n]] for n in group])),
            float(np.mean([answers[n] in full[n][:3] for n in group])),
        )
    demo = sum(1 for e in loaded.external.values() if e.startswith("DEMO-"))
    loaded.close()
    return GeneralistReport(len(names), demo, top1, top3, by_language, encoder.name)


# --- real-style listings beside the demo data -----------------------------------------------------


@dataclass
class BesideDemoReport:
    group: str
    investors: int
    alone: float  # mean recall@10 of the relevant listings on the labelled set alone
    beside: float  # the same with the demo listings loaded beside them
    model: str

    def line(self) -> str:
        return f"| {self.group} ({self.investors}) | {self.alone:.3f} | {self.beside:.3f} |"


def evaluate_beside_demo(
    eval_set: EvalSet, encoder: Encoder, workdir: Path, reference_dir: Path, groups: Sequence[str]
) -> list[BesideDemoReport]:
    """For the investors of each group: the share of their relevant listings (grade >= 2, at most
    ten) that reach their top ten, on the labelled set alone and with the demo data beside it.
    Demo listings share the demo theses' kind of prose; real listings (terse startup profiles,
    two-city concentrations) must not sink below them."""
    alone = _load(eval_set.investors, eval_set.projects, encoder, workdir / "alone", reference_dir)
    beside = _load(
        eval_set.investors, eval_set.projects, encoder, workdir / "beside", reference_dir, demo=True
    )
    reports = []
    for group in groups:
        names = [i["external_id"] for i in eval_set.investors if group in i.get("groups", [])]
        if not names:
            continue
        shares = {"alone": [], "beside": []}
        for name in names:
            relevant = {p for p, g in eval_set.grades_for(name).items() if g >= RELEVANT}
            if not relevant:
                continue
            for key, loaded in (("alone", alone), ("beside", beside)):
                found = loaded.matcher.projects_for_investor(loaded.investor_ids[name], top=K, explain=False)
                top = {loaded.external[m.id] for m in found.items}
                shares[key].append(len(top & relevant) / min(K, len(relevant)))
        reports.append(
            BesideDemoReport(
                group,
                len(shares["alone"]),
                float(np.mean(shares["alone"])),
                float(np.mean(shares["beside"])),
                encoder.name,
            )
        )
    alone.close()
    beside.close()
    return reports


def beside_demo_markdown(reports: Sequence[BesideDemoReport]) -> str:
    lines = [
        "Listings unlike the demo's prose, beside the demo data: the share of each investor's relevant "
        "listings (grade ≥ 2, at most ten) in its full top ten, on the labelled set alone and with the "
        "demo listings loaded beside it.",
        "",
        "| group (investors) | alone | beside the demo |",
        "|---|---|---|",
        *(r.line() for r in reports),
    ]
    return "\n".join(lines)
