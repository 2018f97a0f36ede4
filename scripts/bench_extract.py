#!/usr/bin/env python
"""Extraction throughput (ingest + normalisation + the whole pipeline) against plain jieba.

Both run in the same process on the same texts: the seeds and the corpus files, copied
``--copies`` times into a temporary folder under distinct names (so nothing is cached by
identity). jieba's dictionary is loaded before timing; so are the gazetteer and the
pipeline's automata (one warm-up report), as a long build would have them.

    .venv/bin/python scripts/bench_extract.py [--copies 20] [--repeat 3]

Prints one JSON object: characters, seconds and chars/s for each side (the best of
``--repeat`` runs), and the ratio pipeline/jieba (goal >= 1.0).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import jieba

    from extractors.pipeline import Runner
    from kg.extract import process

    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted(
        (ROOT / "tests/data/corpus").glob("*.txt")
    )
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        files = []
        for c in range(args.copies):
            for s in sources:
                dst = tmp / f"{c:03d}_{s.name}"
                shutil.copyfile(s, dst)
                files.append(dst)
        texts = [f.read_text(encoding="utf-8") for f in files]
        chars = sum(len(t) for t in texts)

        jieba.setLogLevel(60)
        jieba.initialize()
        runner = Runner()
        list(
            process([files[0]], runner=runner, link_duplicates=False)
        )  # warm-up: gazetteer, automata

        def run_pipeline() -> tuple[float, int]:
            t0 = time.perf_counter()
            n = 0
            for item in process(files, runner=runner, link_duplicates=False):
                n += len(item.report.text) if item.report else 0
            return time.perf_counter() - t0, n

        def run_jieba() -> float:
            t0 = time.perf_counter()
            for t in texts:
                jieba.lcut(t)
            return time.perf_counter() - t0

        pipe_s, jieba_s, cleaned = [], [], 0
        for _ in range(args.repeat):
            s, cleaned = run_pipeline()
            pipe_s.append(s)
            jieba_s.append(run_jieba())
        best_p, best_j = min(pipe_s), min(jieba_s)
        out = {
            "files": len(files),
            "raw_chars": chars,
            "cleaned_chars": cleaned,
            "pipeline": {"seconds": round(best_p, 3), "chars_per_s": round(chars / best_p)},
            "jieba_lcut": {"seconds": round(best_j, 3), "chars_per_s": round(chars / best_j)},
            "ratio_pipeline_over_jieba": round(best_j / best_p, 2),
            "components": runner.stats_dict(),
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
