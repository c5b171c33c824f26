"""How listing onboarding holds on real public texts: the sector suggester and duplicate checks.

- ``evaluate_suggester``: real startup and project descriptions, each labelled with every sector
  a curator would accept first (``data/eval/sector_eval.json``). Reports how often the first
  suggestion is acceptable and how often the suggester stays silent, beside the previous
  release's method (one descriptor per sector, cosine >= 0.12).
- ``evaluate_duplicates``: pairs of independently written profiles of one company, and of two
  companies doing the same thing (``data/eval/duplicate_eval.json``); plus, from the demo data,
  an organisation's different projects (which must not be flagged) and its deliberate
  resubmissions (which must).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from hub.demo import DUPLICATE_KEY, build_demo
from hub.duplicates import DuplicateRule, Identity, identity
from hub.reference import Reference, load_reference
from hub.suggest import Suggester, background_texts

PREVIOUS_MIN_SIMILARITY = 0.12  # the previous release's suggester: one descriptor per sector


@dataclass
class SuggesterReport:
    items: int
    first_ok: dict[str, float]  # method -> share of texts whose first suggestion is acceptable
    silent: dict[str, float]  # method -> share of texts with no suggestion
    by_language: dict[str, tuple[int, float]]  # language -> (texts, first acceptable), current method
    misses: list[tuple[str, str, list[str]]] = field(default_factory=list)  # title, pick, acceptable

    def markdown(self) -> str:
        lines = [
            f"### Sector suggestions on {self.items} real public descriptions (`sector_eval.json`)",
            "",
            "| method | first pick acceptable | silent |",
            "|---|---:|---:|",
        ]
        lines += [f"| {m} | {self.first_ok[m]:.3f} | {self.silent[m]:.3f} |" for m in self.first_ok]
        lines += ["", "Current method by language: " + ", ".join(
            f"{lang} {ok:.2f} ({n})" for lang, (n, ok) in sorted(self.by_language.items())
        )]  # fmt: skip
        return "\n".join(lines)


def _previous_method(encoder: Encoder, reference: Reference, texts: Sequence[str]) -> list[str | None]:
    """The previous release's first pick: the sector whose one-line descriptor is closest."""
    sectors = list(reference.sectors.values())
    labels = encoder.encode([f"{s.name_en}: {s.keywords}. {s.name_ru}." for s in sectors])
    picks: list[str | None] = []
    for vector in encoder.encode(list(texts)):
        similarity = labels @ vector
        best = int(np.argmax(similarity))
        picks.append(sectors[best].slug if similarity[best] >= PREVIOUS_MIN_SIMILARITY else None)
    return picks


def evaluate_suggester(path: Path, encoder: Encoder, reference_dir: Path) -> SuggesterReport:
    items = json.loads(path.read_text(encoding="utf-8"))
    reference = load_reference(reference_dir)
    texts = [f"{item['title']}. {item['text']}" for item in items]
    suggester = Suggester(encoder, reference, background_texts(reference_dir))
    current = [next(iter(suggester.sectors(text, k=1)), (None, 0.0))[0] for text in texts]
    previous = _previous_method(encoder, reference, texts)
    report = SuggesterReport(items=len(items), first_ok={}, silent={}, by_language={})
    for name, picks in (
        ("phrases, centred (this release)", current),
        ("one descriptor (previous)", previous),
    ):
        report.first_ok[name] = float(
            np.mean([p in i["acceptable"] for p, i in zip(picks, items, strict=True)])
        )
        report.silent[name] = float(np.mean([p is None for p in picks]))
    by_language: dict[str, list[bool]] = defaultdict(list)
    for pick, item in zip(current, items, strict=True):
        by_language[item["language"]].append(pick in item["acceptable"])
        if pick not in item["acceptable"]:
            report.misses.append((item["title"], str(pick), item["acceptable"]))
    report.by_language = {lang: (len(hits), float(np.mean(hits))) for lang, hits in by_language.items()}
    return report


# --- duplicates ------------------------------------------------------------------------------


@dataclass
class DuplicateReport:
    same_company: tuple[int, int]  # (flagged, pairs): independent profiles of one company
    same_archetype: tuple[int, int]  # (flagged, pairs): two companies doing the same thing
    sibling_projects: tuple[int, int]  # (flagged, pairs): one demo organisation's different projects
    resubmissions: tuple[int, int]  # (flagged, pairs): the demo's deliberate resubmissions
    text_only: tuple[int, int]  # the previous rule (cosine >= 0.92) on the same-company pairs
    sweep: list[tuple[float, float, int, int]]  # (name, entity similarity, caught, siblings flagged)

    def markdown(self) -> str:
        def share(pair: tuple[int, int]) -> str:
            return f"{pair[0]} / {pair[1]} ({pair[0] / max(1, pair[1]):.0%})"

        lines = [
            "### Duplicate checks (`duplicate_eval.json`: real profiles; demo organisations)",
            "",
            "| pairs | flagged as duplicates | should be |",
            "|---|---:|---|",
            f"| one company, two independent profiles | {share(self.same_company)} | all |",
            f"| two companies doing the same thing | {share(self.same_archetype)} | none |",
            f"| one organisation's different projects (demo) | {share(self.sibling_projects)} | none |",
            f"| deliberate resubmissions (demo) | {share(self.resubmissions)} | all |",
            f"| one company, previous rule (text cosine >= 0.92 only) | {share(self.text_only)} | all |",
            "",
            "Thresholds tried (name match needs text >= the first, organisation or contact match the "
            "second): "
            + "; ".join(f"{n:.1f}/{e:.1f}: {c} caught, {s} siblings flagged" for n, e, c, s in self.sweep),
        ]
        return "\n".join(lines)


def _profile(side: dict) -> tuple[str, Identity]:
    text = f"{side['title']}. {side['text']}"
    return text, identity(side["title"], side.get("org_name"), side.get("website"))


def evaluate_duplicates(
    path: Path, encoder: Encoder, reference_dir: Path, seed: int, rule: DuplicateRule | None = None
) -> DuplicateReport:
    rule = rule or DuplicateRule()
    pairs = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    left = [_profile(p["a"]) for p in pairs]
    right = [_profile(p["b"]) for p in pairs]
    a = encoder.encode([text for text, _ in left])
    b = encoder.encode([text for text, _ in right])
    cosine = (a * b).sum(axis=1)
    real = [(p["kind"], left[i][1], right[i][1], float(cosine[i])) for i, p in enumerate(pairs)]

    demo = build_demo(load_reference(reference_dir), reference_dir, seed)
    projects = demo.projects
    vectors = encoder.encode([f"{p['title']}. {p['summary']} {p['description']}" for p in projects])
    who = [
        identity(p["title"], p["owner_name"], p.get("website"), email=p["owner_email"], region=p["region"])
        for p in projects
    ]
    position = {p["external_id"]: i for i, p in enumerate(projects)}
    resubmissions = [(i, position[p[DUPLICATE_KEY]]) for i, p in enumerate(projects) if p.get(DUPLICATE_KEY)]
    marked = {i for pair in resubmissions for i in pair}
    by_owner: dict[str | None, list[int]] = defaultdict(list)
    for i, person in enumerate(who):
        if i not in marked:
            by_owner[person.organisation].append(i)
    siblings = [(x, y) for group in by_owner.values() for n, x in enumerate(group) for y in group[n + 1 :]]

    def flagged(check: DuplicateRule, kind: str) -> int:
        return sum(bool(check.signals(x, y, c)) for k, x, y, c in real if k == kind)

    def demo_flagged(check: DuplicateRule, which: list[tuple[int, int]]) -> int:
        return sum(bool(check.signals(who[x], who[y], float(vectors[x] @ vectors[y]))) for x, y in which)

    count = {kind: sum(k == kind for k, *_ in real) for kind in ("same_company", "same_archetype")}
    sweep = [
        (n, e, flagged(check, "same_company"), demo_flagged(check, siblings))
        for n in (0.2, 0.3, 0.4)
        for e in (0.5, 0.6, 0.7)
        for check in [DuplicateRule(name_similarity=n, entity_similarity=e)]
    ]
    text_only = sum(c >= rule.copy_similarity for k, _, _, c in real if k == "same_company")
    return DuplicateReport(
        same_company=(flagged(rule, "same_company"), count["same_company"]),
        same_archetype=(flagged(rule, "same_archetype"), count["same_archetype"]),
        sibling_projects=(demo_flagged(rule, siblings), len(siblings)),
        resubmissions=(demo_flagged(rule, resubmissions), len(resubmissions)),
        text_only=(text_only, count["same_company"]),
        sweep=sweep,
    )
