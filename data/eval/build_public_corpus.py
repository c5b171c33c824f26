"""Regenerate data/eval/public_corpus.json from the SDG Classification Benchmark.

The corpus ships inside the PyPI package ``sdgclassification-benchmark`` (MIT),
at ``sdgclassification/benchmark/resources/benchmark.csv``. Install it without its
dependencies (it pins pandas<3, which would downgrade the project's pandas; this
script only needs the CSV and reads it with the standard library):

    pip install --no-deps sdgclassification-benchmark==1.0.0
    python3 data/eval/build_public_corpus.py            # writes data/eval/public_corpus.json

or point it at a downloaded wheel or at the CSV itself:

    pip download --no-deps -d /tmp/sdgb sdgclassification-benchmark==1.0.0
    python3 data/eval/build_public_corpus.py --source /tmp/sdgb/sdgclassification_benchmark-1.0.0-py3-none-any.whl

The subset is deterministic: for every SDG, the texts that the expert annotators
marked as addressing it (label True), ordered by the benchmark's own id (an MD5
hash, so the order is unrelated to content), the first MAX_PER_TOPIC of them.
The theses were written by hand from the SDG labels only and are fixed here.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import zipfile
from importlib import metadata
from pathlib import Path

PACKAGE = "sdgclassification-benchmark"
VERSION = "1.0.0"
CSV_IN_PACKAGE = "sdgclassification/benchmark/resources/benchmark.csv"
CSV_SHA256 = "0ce3226365d7a5aa2c2bab251eda1edbd9347dfc23f759108baec1ae2a825292"  # benchmark.csv of 1.0.0
MAX_PER_TOPIC = 40
MAX_CHARS = 1500
OUT = Path(__file__).with_name("public_corpus.json")

# (number, the benchmark README's own label, thesis written from the label only)
TOPICS = [
    (1, "SDG 1: No poverty",
     "We finance ventures that lift low-income households out of poverty through access to income, savings, basic services and social protection."),
    (2, "SDG 2: Zero hunger",
     "We invest in projects that end hunger by improving food security, nutrition and the productivity and incomes of small-scale farmers."),
    (3, "SDG 3: Good health and well-being",
     "We fund companies that improve people's health and well-being, from disease prevention and access to healthcare to maternal care and medicines."),
    (4, "SDG 4: Quality education",
     "We back organisations that give children and adults access to good quality education, schooling, teacher training and lifelong learning opportunities."),
    (5, "SDG 5: Gender equality",
     "We invest in initiatives that advance gender equality and empower women and girls, ending discrimination and violence against them."),
    (6, "SDG 6: Clean water and sanitation",
     "We finance projects that provide safe drinking water, sanitation and hygiene, and that manage water resources and wastewater sustainably."),
    (7, "SDG 7: Affordable and clean energy",
     "We invest in affordable, reliable and clean energy: renewable power, energy efficiency and access to electricity for everyone."),
    (8, "SDG 8: Decent work and economic growth",
     "We back businesses that create decent jobs, fair working conditions and sustained, inclusive economic growth and productivity."),
    (9, "SDG 9: Industry, innovation and infrastructure",
     "We fund resilient infrastructure, sustainable industrialisation and innovation, including research, technology upgrading and manufacturing by small enterprises."),
    (10, "SDG 10: Reduced inequalities",
     "We invest in efforts that reduce inequality within and among countries, promoting the social, economic and political inclusion of disadvantaged groups."),
    (11, "SDG 11: Sustainable cities and communities",
     "We finance projects that make cities and human settlements inclusive, safe and sustainable, including affordable housing, public transport and urban planning."),
    (12, "SDG 12: Responsible consumption and production",
     "We back companies that promote responsible consumption and production, cutting waste, recycling materials and using natural resources efficiently."),
    (13, "SDG 13: Climate action",
     "We invest in climate action: cutting greenhouse gas emissions and helping communities adapt to and withstand the impacts of climate change."),
    (14, "SDG 14: Life below water",
     "We finance the conservation and sustainable use of oceans, seas and marine resources, including fisheries and the protection of marine ecosystems."),
    (15, "SDG 15: Life on land",
     "We fund the protection and restoration of land ecosystems, forests and biodiversity, fighting deforestation, desertification and land degradation."),
    (16, "SDG 16: Peace, justice and strong institutions",
     "We support organisations that build peaceful societies, access to justice, and accountable, transparent institutions free of corruption and violence."),
    (17, "SDG 17: Partnerships for the goals",
     "We invest in partnerships for sustainable development, mobilising finance, trade, technology transfer and cooperation between countries and sectors."),
]


def read_csv_bytes(source: str | None) -> tuple[bytes, str]:
    """The benchmark CSV's bytes and a description of where they came from."""
    if source is None:
        dist = metadata.distribution(PACKAGE)
        if dist.version != VERSION:
            raise SystemExit(f"{PACKAGE} {dist.version} is installed; this script expects {VERSION}")
        path = Path(dist.locate_file(CSV_IN_PACKAGE))
        return path.read_bytes(), f"installed {PACKAGE} {dist.version}"
    p = Path(source)
    if p.suffix == ".whl":
        with zipfile.ZipFile(p) as z:
            return z.read(CSV_IN_PACKAGE), p.name
    return p.read_bytes(), p.name


def clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > MAX_CHARS:  # cut at a word boundary
        text = text[:MAX_CHARS].rsplit(" ", 1)[0] + " …"
    return text


def build(source: str | None) -> dict:
    raw, origin = read_csv_bytes(source)
    digest = hashlib.sha256(raw).hexdigest()
    if CSV_SHA256 and digest != CSV_SHA256:
        raise SystemExit(f"benchmark.csv sha256 {digest} differs from the expected {CSV_SHA256}")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    positives: dict[int, list[dict]] = {}
    for r in rows:
        if r["label"].strip().lower() == "true":
            positives.setdefault(int(r["sdg"]), []).append(r)
    # a text marked True for two SDGs (one in 1.0.0) would be ambiguous: leave it out of both
    true_count: dict[str, int] = {}
    for rs in positives.values():
        for r in rs:
            true_count[clean(r["text"])] = true_count.get(clean(r["text"]), 0) + 1
    topics, documents = [], []
    for num, label, thesis in TOPICS:
        n_words = len(thesis.split())
        assert 12 <= n_words <= 30, (num, n_words)
        tid = f"sdg{num:02d}"
        topics.append({"id": tid, "label": label, "thesis": thesis})
        kept = [r for r in sorted(positives[num], key=lambda r: r["id"]) if true_count[clean(r["text"])] == 1]
        for r in kept[:MAX_PER_TOPIC]:
            text = clean(r["text"])
            documents.append({"id": f"sdgb-{r['id']}", "topic": tid, "text": text})
    return {
        "about": (
            "Public, expert-labelled evaluation corpus for 'precision@10 with generalist investors'. "
            "Documents are short text snippets (2-4 sentences, mostly from UN, OECD and other "
            "development reports and papers, selected from the OSDG Community Dataset) that the "
            "SDG Classification Expert Group's Benchmarking Working Group annotated, each by several experts "
            "with disagreements resolved by consensus, as addressing one UN Sustainable Development Goal. "
            "Each text was judged only against one SDG (binary); it was not checked against the others, so a "
            "document may also be relevant to a second SDG that is not recorded. "
            f"Subset: every SDG's texts labelled True, ordered by the benchmark's id (MD5 hash), "
            f"first {MAX_PER_TOPIC} per SDG; texts whose label is False were left out, and so was the one text marked True for two SDGs (7 and 17). Whitespace normalised; no text needed trimming "
            f"(limit {MAX_CHARS} characters). One generalist investor per SDG: the thesis was written by hand "
            "from the SDG label and the goal's common meaning only, without reading the documents, and never "
            "tuned on scores. Built 2026-11-30 by data/eval/build_public_corpus.py."
        ),
        "source": {
            "package": f"{PACKAGE} (PyPI)",
            "version": VERSION,
            "path_in_package": CSV_IN_PACKAGE,
            "csv_sha256": digest,
            "read_from": origin,
            "original": (
                "SDG Classification Benchmark, SDG Classification Expert Group (Finn Woelm, Meike Morren, "
                "Steve Borchardt, Ivan Smirnov, Gib Ravivanpong, Jean-Baptiste Jacouton), 2024, "
                "https://github.com/SDGClassification/benchmark . Texts from: OSDG, UNDP IICPSD SDG AI Lab, "
                "& PPMI (2024). OSDG Community Dataset (OSDG-CD) (Version 2024.01) [Data set]. Zenodo. "
                "https://doi.org/10.5281/zenodo.10579179"
            ),
        },
        "licence": (
            "Benchmark labels and package: MIT License, Copyright (c) 2024 SDG Classification Expert Group. "
            "Underlying texts: OSDG Community Dataset, CC BY 4.0 (attribution: OSDG, UNDP IICPSD SDG AI Lab & PPMI). "
            "Redistributed here as a subset with attribution; whitespace normalised, otherwise unchanged."
        ),
        "topics": topics,
        "documents": documents,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", help="wheel or benchmark.csv to read instead of the installed package")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    data = build(args.source)
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = {}
    for d in data["documents"]:
        counts[d["topic"]] = counts.get(d["topic"], 0) + 1
    print(f"{len(data['topics'])} topics, {len(data['documents'])} documents -> {args.out}")
    print(" ".join(f"{k}:{v}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
