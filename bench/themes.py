"""How well and how fast the theme engine groups comments (docs/themes-benchmark.md).

    .venv/bin/python bench/themes.py                      # quality, then 1,000/10,000/40,000
    .venv/bin/python bench/themes.py --sizes 1000         # a quick run
    .venv/bin/python bench/themes.py --skip-timing        # quality only (about a minute)

Quality: NMI and ARI (scikit-learn) of ``find_themes`` against the hand-labelled set
``dialogues/insights/themes/labelled/comments.csv``, over all comments and per question, and
against the demo generator's comments (``comment_samples``, template-made, a second check).
Two baselines get the same number of groups as the engine found: TF-IDF + NMF on words, and
the product issue's recipe (e5 vectors, each language's mean subtracted, k-means).

Speed: each size runs in a fresh process that reports its own peak RSS (``VmHWM``):
first "cold" (every comment embedded, then grouped), then "warm" (the vectors the cold run
made are passed in, as a caller that keeps them in the database would).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialogues.settings")

from sklearn.cluster import KMeans  # noqa: E402
from sklearn.decomposition import NMF  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score  # noqa: E402

from dialogues.insights.themes import Comment, embed, find_themes  # noqa: E402
from dialogues.insights.themes.clustering import centre, language_means  # noqa: E402
from dialogues.insights.themes.text import detect_language, stopwords, words  # noqa: E402

LABELLED = ROOT / "dialogues/insights/themes/labelled/comments.csv"
TARGET_SECONDS, TARGET_MB = 30, 500


def demo_samples(count: int, seed: int):
    import django

    django.setup()
    from dialogues.experiences.demo.comments import comment_samples

    return comment_samples(count, seed)


def scores(truth, predicted) -> tuple[float, float]:
    return (
        normalized_mutual_info_score(truth, predicted),
        adjusted_rand_score(truth, predicted),
    )


def engine_groups(texts, vectors, seed=0) -> list:
    themes = find_themes([Comment(i, t) for i, t in enumerate(texts)], vectors=vectors, seed=seed)
    theme_of = themes.theme_of()
    return [theme_of[i] for i in range(len(texts))]


def nmf_groups(texts, k: int, seed=0) -> list:
    """The word-based baseline: TF-IDF over both languages' words, NMF, strongest topic."""
    stop = stopwords("da") | stopwords("en")
    vectoriser = TfidfVectorizer(analyzer=lambda t: [w for w in words(t) if w not in stop])
    matrix = vectoriser.fit_transform(texts)
    weights = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500).fit_transform(
        matrix
    )
    return list(np.argmax(weights, axis=1))


def issue_groups(texts, vectors, k: int, seed=0) -> list:
    """The issue's recipe: e5 vectors, each language's mean subtracted, k-means."""
    languages = [detect_language(t) for t in texts]
    centred = centre(vectors, languages, language_means(vectors, languages))
    return list(KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(centred))


def compare(texts, truth, vectors) -> dict[str, tuple[float, float]]:
    mine = engine_groups(texts, vectors)
    k = len(set(mine))
    return {
        "engine": scores(truth, mine),
        "k": (k, len(set(truth))),
        "tfidf+nmf": scores(truth, nmf_groups(texts, k)),
        "e5+centring+kmeans": scores(truth, issue_groups(texts, vectors, k)),
    }


def quality(demo_count: int, demo_seed: int) -> list[str]:
    with LABELLED.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = [r["text"] for r in rows]
    vectors = embed(texts)
    lines = [
        "| set | comments | themes (engine/true) | engine NMI | engine ARI "
        "| TF-IDF+NMF NMI | ARI | e5+centring+k-means NMI | ARI |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(name, result, count):
        (nmi, ari), (k, true_k) = result["engine"], result["k"]
        base, issue = result["tfidf+nmf"], result["e5+centring+kmeans"]
        lines.append(
            f"| {name} | {count} | {k}/{true_k} | **{nmi:.3f}** | **{ari:.3f}** "
            f"| {base[0]:.3f} | {base[1]:.3f} | {issue[0]:.3f} | {issue[1]:.3f} |"
        )
        return result

    truth = [r["theme"] for r in rows]
    row("labelled, all questions together", compare(texts, truth, vectors), len(rows))
    rng = np.random.default_rng(0)
    subsets = [np.sort(rng.choice(len(rows), len(rows) * 4 // 5, replace=False)) for _ in range(5)]
    results = [compare([texts[i] for i in s], [truth[i] for i in s], vectors[s]) for s in subsets]
    spread = {name: np.array([r[name] for r in results]) for name in results[0] if name != "k"}
    cells = " | ".join(
        f"{spread[name][:, m].mean():.3f} ± {spread[name][:, m].std():.3f}"
        for name in ("engine", "tfidf+nmf", "e5+centring+kmeans")
        for m in (0, 1)
    )
    lines.append(f"| labelled, 5 random 80% subsets (mean ± sd) | {len(subsets[0])} | | {cells} |")
    by_question = defaultdict(list)
    for index, r in enumerate(rows):
        by_question[r["question"]].append(index)
    totals = np.zeros(6)
    for question, indexes in sorted(by_question.items(), key=lambda item: -len(item[1])):
        result = row(
            f"labelled, question `{question}`",
            compare(
                [texts[i] for i in indexes], [rows[i]["theme"] for i in indexes], vectors[indexes]
            ),
            len(indexes),
        )
        totals += len(indexes) * np.array(
            [*result["engine"], *result["tfidf+nmf"], *result["e5+centring+kmeans"]]
        )
    mean = totals / len(rows)
    lines.append(
        f"| labelled, per question (mean weighted by size) | {len(rows)} | | **{mean[0]:.3f}** "
        f"| **{mean[1]:.3f}** | {mean[2]:.3f} | {mean[3]:.3f} | {mean[4]:.3f} | {mean[5]:.3f} |"
    )
    samples = demo_samples(demo_count, demo_seed)
    demo_texts = [s.text for s in samples]
    row(
        f"demo generator (`comment_samples({demo_count}, {demo_seed})`)",
        compare(demo_texts, [s.theme for s in samples], embed(demo_texts)),
        len(samples),
    )
    return lines


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's VmHWM, not ``ru_maxrss``: the latter keeps the parent's peak across fork and exec,
    so a child started after the quality run would report the parent's memory.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(size: int, seed: int, vectors_path: str | None, save_path: str | None) -> None:
    """One timed run in this (fresh) process; prints a JSON line."""
    texts = [s.text for s in demo_samples(size, seed)]
    comments = [
        Comment(i, t, concept="wellbeing" if i % 2 else "leadership") for i, t in enumerate(texts)
    ]
    vectors = np.load(vectors_path) if vectors_path else None
    started = time.perf_counter()
    themes = find_themes(comments, vectors=vectors)
    seconds = time.perf_counter() - started
    if save_path:
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for key, vector in themes.computed.items():
            out[key] = vector
        np.save(save_path, out)
    peak_mb = peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "themes": len(themes),
                "distinct": len(set(texts)),
            }
        )
    )


def busy_share(seconds: float = 2.0) -> float:
    """The share of the machine's CPU time that was not idle over ``seconds`` (Linux)."""

    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    idle_before, total_before = sample()
    time.sleep(seconds)
    idle_after, total_after = sample()
    return 1 - (idle_after - idle_before) / max(total_after - total_before, 1)


def wait_until_quiet(limit: float = 600) -> None:
    """Wait (at most ``limit`` seconds) until other processes use under 10% of the CPU."""
    if not Path("/proc/stat").exists():
        return
    deadline = time.monotonic() + limit
    while busy_share() > 0.10 and time.monotonic() < deadline:
        print("waiting for a quiet machine…", file=sys.stderr, flush=True)
        time.sleep(10)


def run_child(size: int, seed: int, vectors: str | None, save: str | None) -> dict:
    wait_until_quiet()
    command = [sys.executable, __file__, "--child", str(size), "--seed", str(seed)]
    if vectors:
        command += ["--vectors", vectors]
    if save:
        command += ["--save", save]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def timing(sizes: list[int], seed: int) -> list[str]:
    lines = [
        "| comments | distinct texts | cold: embed + group | peak RSS | warm: group kept vectors "
        "| peak RSS | themes |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = str(Path(folder) / f"vectors-{size}.npy")
            cold = run_child(size, seed, None, path)
            warm = run_child(size, seed, path, None)
            lines.append(
                f"| {size:,} | {cold['distinct']:,} | {cold['seconds']:.1f} s "
                f"| {cold['peak_mb']:.0f} MB | {warm['seconds']:.1f} s | {warm['peak_mb']:.0f} MB "
                f"| {warm['themes']} |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,40000")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--demo-count", type=int, default=2000)
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--vectors", help=argparse.SUPPRESS)
    parser.add_argument("--save", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seed, args.vectors, args.save)
        return
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    if not args.skip_quality:
        print("\n".join(quality(args.demo_count, args.seed)))
        print()
    if not args.skip_timing:
        sizes = [int(size) for size in args.sizes.split(",")]
        print("\n".join(timing(sizes, args.seed)))
        print(f"\nTargets: 10,000 comments under {TARGET_SECONDS} s and {TARGET_MB} MB.")


if __name__ == "__main__":
    main()
