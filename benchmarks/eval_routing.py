"""How well the learned 12345 routing suggestion holds on wording nobody wrote for training.

Trains the two pipelines exactly as `fazhi hotline train` does (`learning.fit_models`: same
features, classifiers, keyword examples from the shipped category tree) on requests worded and
routed as the demo city's history words and routes them (`phrasebook.sample_requests`: the same
voice, cores, area weights and routes as `history.generate_history`, without a database), then
measures on

- a fifth of the generated requests held out (in-distribution: the generator's own wording);
- tests/hotline/data/realistic_requests.txt (65 texts, first-level labels);
- tests/hotline/data/held_out_requests.txt (320 texts, third-level labels, written apart from
  the phrasebook: operator summaries, speech, web messages, dialect, typos); its errors were
  read to decide what the phrasebook lacked, so it flatters the model a little;
- tests/hotline/data/blind_requests.txt (160 texts, the same kinds, written after that and only
  ever looked at in total): the honest figure.

Category accuracy at levels 1/2/3; the lead unit counts as right when it is one the city routes
that category to (`phrasebook.unit_keys`, the place's 街道/乡镇 counting for "street"); coverage and
precision at the auto-route threshold. Neither held-out file is ever trained on.

    .venv/bin/python benchmarks/eval_routing.py [--requests 24000] [--seed 20240101]
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")

HELD_OUT = ROOT / "tests" / "hotline" / "data" / "held_out_requests.txt"
REALISTIC = ROOT / "tests" / "hotline" / "data" / "realistic_requests.txt"
BLIND = ROOT / "tests" / "hotline" / "data" / "blind_requests.txt"


def train_and_measure(*, count: int, seed: int, threshold: float = 0.6) -> dict:
    from sklearn.model_selection import train_test_split

    from fazhi.hotline import learning
    from fazhi.hotline import phrasebook as pb

    t0 = time.perf_counter()
    examples, regions = pb.training_examples(count=count, seed=seed)
    generated = time.perf_counter() - t0
    train, holdout = train_test_split(
        examples, test_size=learning.HOLDOUT_SHARE, random_state=20240923, shuffle=True
    )
    t1 = time.perf_counter()
    category_model, unit_model = learning.fit_models(
        train, train, regions=regions, keywords=learning.keyword_examples(learning.shipped_leaf_words())
    )
    trained = time.perf_counter() - t1
    sets = {
        "generator hold-out": [(e.category_code, e.text) for e in holdout[:3000]],
        "realistic_requests.txt": learning.read_labelled(REALISTIC),
        "held_out_requests.txt": learning.read_labelled(HELD_OUT),
        "blind_requests.txt": learning.read_labelled(BLIND),
    }
    figures = {
        name: learning.measure_texts(
            category_model, unit_model, rows, threshold=threshold, unit_ok=pb.unit_ok
        )
        for name, rows in sets.items()
    }
    single = []
    for _, text in sets["held_out_requests.txt"][:200]:
        t = time.perf_counter()
        learning.probabilities(category_model, [(text, "")])
        learning.probabilities(unit_model, [(text, "")])
        single.append((time.perf_counter() - t) * 1000)
    single.sort()
    return {
        "requests": len(examples),
        "train_requests": len(train),
        "generate_seconds": generated,
        "train_seconds": trained,
        "predict_ms_p50": single[len(single) // 2],
        "predict_ms_p95": single[int(len(single) * 0.95)],
        "sets": figures,
    }


def _pct(value) -> str:
    return "–" if value is None else f"{value:.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=24_000, help="generated requests (the demo year: 24 000)"
    )
    parser.add_argument("--seed", type=int, default=20240101)
    parser.add_argument("--threshold", type=float, default=0.6, help="auto-route confidence")
    args = parser.parse_args()

    import django

    django.setup()
    report = train_and_measure(count=args.requests, seed=args.seed, threshold=args.threshold)
    print(
        f"{report['requests']} generated requests ({report['generate_seconds']:.1f} s), trained on "
        f"{report['train_requests']} in {report['train_seconds']:.1f} s; one request, both models: "
        f"p50 {report['predict_ms_p50']:.1f} ms, p95 {report['predict_ms_p95']:.1f} ms\n"
    )
    print(
        f"| set | texts | level 1 | level 2 | level 3 | unit | category ≥ {args.threshold:.0%}: coverage / right (level 1) "
        f"| unit ≥ {args.threshold:.0%}: coverage / right | routed on its own (min of both): coverage / right |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, f in report["sets"].items():
        print(
            f"| {name} | {f['texts']} | {_pct(f['level1'])} | {_pct(f['level2'])} | {_pct(f['level3'])} "
            f"| {_pct(f.get('unit'))} | {_pct(f['category_coverage'])} / {_pct(f['category_precision_level1'])} "
            f"| {_pct(f.get('unit_coverage'))} / {_pct(f.get('unit_precision'))} "
            f"| {_pct(f.get('routed_coverage'))} / {_pct(f.get('routed_precision'))} |"
        )


if __name__ == "__main__":
    main()
