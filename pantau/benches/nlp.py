"""``pantau bench nlp``: speed of the tagging pass and accuracy of the sentiment model, one run.

Figures: batch throughput of the whole tagging pass over SmSA valid texts (``posts_per_s``, the
median of ``--passes`` timed passes, each listed in ``posts_per_s_passes``) and
what each of its stages cost in that same run (``stages_us_per_post``, wall microseconds), p95
latency of tagging one post alone (``single_p95_ms``), peak resident memory (``peak_rss_mb``,
taken before the baseline is trained), macro-F1 of the configured sentiment model on SmSA valid
and of the issue's TF-IDF (word 1-2 + char 2-5) + logistic-regression baseline trained on SmSA
train in the same run.
"""

from __future__ import annotations

import itertools
import json
import resource
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import click

from pantau.post import Post
from pantau.shell import AppContext, pass_app

DEFAULT_SMSA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "smsa"


def _tagging_pass(app: AppContext, model, dedup_dir: Path):
    """``(tagger, tag(texts))``: the whole tagging pass (:class:`nlp.tagger.Tagger`) with the
    given sentiment model and a throw-away near-duplicate index."""
    from nlp.dedup import DedupIndex
    from nlp.tagger import Tagger

    tagger = Tagger.from_config(app.config, sentiment=model, dedup=DedupIndex(dedup_dir))
    now = datetime.now(timezone.utc)
    counter = itertools.count()

    def tag(texts: list[str]):
        return tagger.tag([Post(source="bench", native_id=str(next(counter)), text=t, published_at=now)
                           for t in texts])

    return tagger, tag


def _speed(tagger, tag, texts: list[str], posts: int, singles: int, batch_size: int,
           passes: int) -> tuple[list[float], float, dict]:
    """``(posts per second in batches of each pass, p95 milliseconds of one post alone,
    microseconds per post of each stage over all passes)``. The stage figures are the tagger's
    own clock readings (a few per batch), so taking them does not slow the throughput figure."""
    stream = (texts * (posts // len(texts) + 1))[:posts]
    tag(stream[:batch_size])  # warm-up
    before = dict(tagger.stage_seconds)
    rates, elapsed = [], 0.0
    for _ in range(passes):
        started = time.perf_counter()
        for start in range(0, len(stream), batch_size):
            tag(stream[start : start + batch_size])
        seconds = time.perf_counter() - started
        rates.append(len(stream) / seconds)
        elapsed += seconds
    tagged = len(stream) * passes
    stages = {stage: round((seconds - before[stage]) / tagged * 1e6, 1) for stage, seconds in tagger.stage_seconds.items()}
    stages["outside_stages"] = round(elapsed / tagged * 1e6 - sum(stages.values()), 1)  # building the Post records
    latencies = []
    for text in texts[:singles]:
        t0 = time.perf_counter()
        tag([text])
        latencies.append((time.perf_counter() - t0) * 1000)
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
    return rates, p95, stages


def _runtime(classifier) -> str:
    """The classifier's class, and its student's when it is a blend (``OnnxClassifier + WideLinear``)."""
    from nlp.sentiment.wide import BlendedClassifier

    if isinstance(classifier, BlendedClassifier):
        return f"{type(classifier.student).__name__} + {type(classifier.wide).__name__}"
    return type(classifier).__name__


@click.command(name="nlp")
@click.option("--smsa", "smsa_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_SMSA,
              show_default=True, help="Folder with SmSA train.tsv and valid.tsv.")
@click.option("--posts", default=4000, show_default=True, help="Posts tagged for the throughput figure.")
@click.option("--singles", default=200, show_default=True, help="Single posts timed for the latency figure.")
@click.option("--passes", default=3, show_default=True, type=click.IntRange(min=1),
              help="Timed passes over the posts; posts_per_s is their median (a shared machine's speed drifts).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def command(app: AppContext, smsa_dir: Path, posts: int, singles: int, passes: int, as_json: bool) -> None:
    """Throughput, latency, memory and SmSA valid macro-F1 (model and baseline)."""
    from nlp.sentiment import load_sentiment_model
    from nlp.training.baseline import train_baseline
    from nlp.training.metrics import classification_report
    from nlp.training.smsa import read_smsa

    cfg = app.config.model
    train_set, valid_set = read_smsa(smsa_dir / "train.tsv"), read_smsa(smsa_dir / "valid.tsv")
    valid_texts = [e.text for e in valid_set]
    model = load_sentiment_model(cfg.sentiment_model or None, threads=cfg.threads, batch_size=cfg.inference_batch)
    with tempfile.TemporaryDirectory(prefix="pantau-bench-nlp-") as tmp:
        rates, p95, stages = _speed(*_tagging_pass(app, model, Path(tmp)), valid_texts, posts, singles, cfg.batch_size, passes)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    gold = [e.label for e in valid_set]
    report = classification_report(gold, [p.label for p in model.predict(valid_texts)], model.labels)
    baseline = train_baseline([e.text for e in train_set], [e.label for e in train_set])
    base_report = classification_report(gold, list(baseline.predict(valid_texts)), model.labels)
    result = {
        "posts_per_s": round(statistics.median(rates), 1),
        "posts_per_s_passes": [round(rate, 1) for rate in rates],
        "single_p95_ms": round(p95, 2),
        "stages_us_per_post": stages,
        "peak_rss_mb": round(peak_rss_mb, 1),
        "macro_f1": report["macro_f1"],
        "accuracy": report["accuracy"],
        "baseline_macro_f1": base_report["macro_f1"],
        "margin_over_baseline": round(report["macro_f1"] - base_report["macro_f1"], 4),
        "per_class_f1": {k: v["f1"] for k, v in report["per_class"].items()},
        "threads": cfg.threads,
        "batch_size": cfg.batch_size,
        "inference_batch": cfg.inference_batch,
        "model_version": model.version,
        "runtime": _runtime(model.classifier),
    }
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:22s} {value}")
