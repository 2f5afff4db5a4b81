"""``pantau model train|eval|predict``: the sentiment model (training, scoring, dry runs)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from pantau.shell import AppContext, pass_app


def _load(app: AppContext):
    from nlp.sentiment import load_sentiment_model

    cfg = app.config.model
    return load_sentiment_model(cfg.sentiment_model or None, threads=cfg.threads, batch_size=cfg.inference_batch)


@click.group(name="model")
def command() -> None:
    """Train, evaluate and try the sentiment model."""


@command.command()
@click.option("--data", "data_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder with train.tsv (and valid.tsv for calibration and metrics), SmSA format.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the model directory (default: the shipped nlp/models/sentiment).")
@click.option("--seed", default=13, show_default=True, help="Seed for every random choice.")
@click.option("--distil/--no-distil", default=True, show_default=True,
              help="Learn from a fine-tuned e5-small teacher's soft labels as well as the gold labels.")
@click.option("--teacher", "teacher_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Teacher cache (its weights and logits): reused if made from the same data, else written.")
@pass_app
def train(app: AppContext, data_dir: Path, out_dir: Path | None, seed: int, distil: bool,
          teacher_file: Path | None) -> None:
    """Reproduce the shipped model from SmSA train (long: 1-2 hours on 2 cores; --teacher caches the teacher)."""
    import torch

    from nlp.sentiment.model import SHIPPED_DIR
    from nlp.training.recipe import Recipe, run

    torch.set_num_threads(app.config.model.threads)
    started = time.time()
    meta = run(data_dir, out_dir or SHIPPED_DIR, Recipe(seed=seed, distil=distil), teacher_file,
               log=lambda line: click.echo(f"[{time.time() - started:6.0f}s] {line}", err=True))
    click.echo(json.dumps({"version": meta["version"], "temperature": meta["temperature"],
                           "valid": meta.get("valid")}, indent=2))


@command.command(name="eval")
@click.option("--data", "data_file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Labelled file to score.")
@click.option("--format", "fmt", type=click.Choice(["smsa", "jsonl"]), default="smsa", show_default=True,
              help="smsa: text<TAB>label lines; jsonl: {\"text\", \"label\"} objects.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@pass_app
def evaluate(app: AppContext, data_file: Path, fmt: str, as_json: bool) -> None:
    """Accuracy, macro-F1 and per-class figures of the configured model on a labelled file."""
    from nlp.training.metrics import classification_report
    from nlp.training.smsa import read_labelled

    examples = read_labelled(data_file, fmt)
    model = _load(app)
    started = time.perf_counter()
    preds = model.predict([e.text for e in examples])
    elapsed = time.perf_counter() - started
    report = classification_report([e.label for e in examples], [p.label for p in preds], model.labels)
    report["posts_per_s"] = round(len(examples) / elapsed, 1)
    report["model_version"] = model.version
    if as_json:
        click.echo(json.dumps(report))
        return
    click.echo(f"{model.version}: n {report['n']}  accuracy {report['accuracy']}  macro-F1 {report['macro_f1']}"
               f"  {report['posts_per_s']} posts/s")
    for label, row in report["per_class"].items():
        click.echo(f"  {label:9s} P {row['precision']:.3f}  R {row['recall']:.3f}  F1 {row['f1']:.3f}  n {row['support']}")


@command.command()
@click.option("--input", "input_file", type=click.File("r", encoding="utf-8"), default="-",
              help="One text per line (default: standard input).")
@pass_app
def predict(app: AppContext, input_file) -> None:
    """Tag each input line with the whole tagging pass; print one JSON object per line:
    sentiment ``label`` and ``score``, then language, kind, topics, agencies, region, the
    masked text, the near-duplicate ``cluster_id`` and the model versions."""
    import tempfile
    from datetime import datetime, timezone

    from nlp.dedup import DedupIndex
    from nlp.tagger import Tagger
    from pantau.post import Post

    lines = [line.rstrip("\r\n") for line in input_file]
    now = datetime.now(timezone.utc)
    posts = [Post(source="predict", native_id=str(i), text=line, published_at=now) for i, line in enumerate(lines)]
    with tempfile.TemporaryDirectory(prefix="pantau-predict-") as tmp:
        tagger = Tagger.from_config(app.config, sentiment=_load(app), dedup=DedupIndex(tmp))
        tagged = tagger.tag(posts)
    for post in tagged:
        sentiment = post.sentiment
        row = {"label": sentiment.label if sentiment else None, "score": sentiment.score if sentiment else None,
               "lang": post.lang, "kind": post.kind, "topics": post.topics, "agencies": post.agencies,
               "region": {"code": post.region.code, "name": post.region.name} if post.region else None,
               "cluster_id": post.cluster_id, "text": post.text, "model_version": post.model_version}
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
