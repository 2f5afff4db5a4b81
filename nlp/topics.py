"""Which public services a post is about: zero, one or more topic slugs of the taxonomy.

Two parts, measured on the held-out split of ``nlp/data/labelled/posts.jsonl`` (model card:
``nlp/models/topics/README.md``):

* keyword rules: the taxonomy's keywords (and their normalised forms, so ``dalane rusak`` still
  matches once the normaliser has made it ``jalannya rusak``) found as whole words;
* a multi-label linear model over word and character n-grams (:mod:`nlp.textcat`) that also
  reads which topics' keywords fired (``r:<slug>`` features).

Modes: ``rules``; ``model`` (n-grams only); ``combined`` (n-grams and rule features);
``union`` (the combined model's topics plus every topic whose keywords fired). ``train`` picks
the mode by cross-validation on the train split.

Input is normalised text. The agencies of the topics come from the taxonomy
(:meth:`nlp.taxonomy.Taxonomy.agencies_for`). A taxonomy with topics the shipped model does not
know still works: those topics are found by their keywords alone.
``python -m nlp.topics train`` reproduces the shipped weights; ``python -m nlp.topics eval``
prints the held-out report.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.normalize import normalize
from nlp.taxonomy import PhraseMatcher, Taxonomy
from nlp.labelled import LABELLED_PATH, LabelledDataError, choose_mode, f1_table, read_labelled, throughput
from nlp.textcat import Featurizer, LinearText, read_config, save_rules_only
from pantau.errors import PantauError

MODEL_DIR = Path(__file__).parent / "models" / "topics"
MODES = ("rules", "model", "combined", "union")
VERSION = "topics-1"
SEED = 13
HYPER = {"c": 10.0, "min_count": 1, "threshold": 0.5}


class TopicRules:
    """The taxonomy's keywords, as written and as normalised, matched on normalised text."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        phrases: dict[str, set[str]] = {}
        for topic in taxonomy.topics.values():
            for keyword in topic.keywords:
                star = "*" if keyword.endswith("*") else ""
                for form in {keyword, normalize(keyword.rstrip("*")) + star}:
                    if form.strip("*"):
                        phrases.setdefault(form, set()).add(topic.slug)
        self.slugs = list(taxonomy.topics)
        self._matcher = PhraseMatcher({p: sorted(s) for p, s in phrases.items()})

    def match(self, text: str) -> list[str]:
        found = self._matcher.labels(text)
        return [slug for slug in self.slugs if slug in found]


def rule_features(topics: list[str]) -> list[str]:
    return [f"r:{slug}" for slug in topics] or ["r:none"]


class TopicClassifier:
    """Topic slugs of each normalised text, in taxonomy order; ``mode`` is one of :data:`MODES`."""

    def __init__(self, taxonomy: Taxonomy, model: LinearText | None, mode: str, threshold: float = 0.5) -> None:
        if mode not in MODES or (mode != "rules" and model is None):
            raise ValueError(f"mode {mode!r} needs a trained model; modes: {', '.join(MODES)}")
        self.taxonomy, self.model, self.mode, self.threshold = taxonomy, model, mode, threshold
        self.rules = TopicRules(taxonomy)

    @classmethod
    def load(cls, taxonomy: Taxonomy, folder: Path = MODEL_DIR) -> TopicClassifier:
        if read_config(folder)["mode"] == "rules":
            return cls(taxonomy, None, "rules")
        model, config = LinearText.load(folder)
        return cls(taxonomy, model, config["mode"], config["threshold"])

    def predict(self, normalised_texts: Sequence[str]) -> list[list[str]]:
        matched = [self.rules.match(t) for t in normalised_texts]
        if self.mode == "rules" or self.model is None:
            return matched
        extras = [rule_features(m) for m in matched] if self.mode != "model" else None
        cut = math.log(self.threshold / (1.0 - self.threshold))  # probability threshold as a logit
        hits = self.model.scores(normalised_texts, extras) >= cut
        labels, slugs, known = self.model.labels, self.rules.slugs, set(self.model.labels)
        chosen: list[set[str]] = [set() for _ in normalised_texts]
        for i, j in zip(*(a.tolist() for a in hits.nonzero())):
            chosen[i].add(labels[j])
        for picked, rules in zip(chosen, matched):
            if self.mode == "union":
                picked.update(rules)
            else:
                picked.update(s for s in rules if s not in known)  # topics added to the taxonomy later
        return [[s for s in slugs if s in picked] if picked else [] for picked in chosen]


def fit(taxonomy: Taxonomy, texts: Sequence[str], topics: Sequence[Sequence[str]], mode: str, seed: int = 0,
        **hyper: Any) -> TopicClassifier:
    """Train a classifier on normalised texts (``mode`` "rules" needs no training)."""
    if mode == "rules":
        return TopicClassifier(taxonomy, None, "rules")
    slugs = list(taxonomy.topics)
    rules = TopicRules(taxonomy)
    extras = [rule_features(rules.match(t)) if mode != "model" else [] for t in texts]
    featurizer = Featurizer.build(texts, extras, min_count=hyper.get("min_count", 1))
    model = LinearText.untrained(featurizer, slugs)
    targets = [[1 if s in row else 0 for s in slugs] for row in topics]
    model.fit(texts, extras, targets, multilabel=True, c=hyper.get("c", 1.0), seed=seed)
    return TopicClassifier(taxonomy, model, mode, hyper.get("threshold", 0.5))


def evaluate(classifier: TopicClassifier, texts: Sequence[str], topics: Sequence[Sequence[str]]) -> dict[str, Any]:
    """Per-topic precision/recall/F1, their macro average, micro-F1 and exact-set accuracy."""
    predicted = classifier.predict(texts)
    gold_sets, predicted_sets = [set(t) for t in topics], [set(p) for p in predicted]
    slugs = [s for s in classifier.rules.slugs if any(s in g for g in gold_sets)]
    table = f1_table(gold_sets, predicted_sets, slugs)
    tp = sum(len(g & p) for g, p in zip(gold_sets, predicted_sets))
    wrong = sum(len(g ^ p) for g, p in zip(gold_sets, predicted_sets))
    none = f1_table([{"none"} if not g else set() for g in gold_sets], [{"none"} if not p else set() for p in predicted_sets], ["none"])
    return {
        "n": len(texts),
        "macro_f1": round(sum(c["f1"] for c in table.values()) / max(len(table), 1), 3),
        "micro_f1": round(2 * tp / max(2 * tp + wrong, 1), 3),
        "exact_match": round(sum(g == p for g, p in zip(gold_sets, predicted_sets)) / max(len(texts), 1), 3),
        "no_topic_f1": none["none"]["f1"],
        "per_class": table,
    }


def train(taxonomy: Taxonomy | None = None, data: Path = LABELLED_PATH, out: Path | None = MODEL_DIR,
          seed: int = SEED) -> dict[str, Any]:
    """Choose the mode by 5-fold cross-validation on the train split, fit it on the whole train
    split, save it to ``out`` and report every mode on the held-out split (never used to choose)."""
    taxonomy = taxonomy or Taxonomy.load()
    rows = [r for r in read_labelled(data) if isinstance(r.get("topics"), list)]
    unknown = {t for r in rows for t in r["topics"]} - set(taxonomy.topics)
    if unknown:
        raise LabelledDataError(f"{data}: topics not in the taxonomy: {', '.join(sorted(unknown))}")
    train_rows, held = [r for r in rows if r["split"] == "train"], [r for r in rows if r["split"] == "heldout"]
    texts, topics = [normalize(r["text"]) for r in train_rows], [r["topics"] for r in train_rows]
    held_texts, held_topics = [normalize(r["text"]) for r in held], [r["topics"] for r in held]
    report, classifier = choose_mode(MODES, lambda x, y, mode: fit(taxonomy, x, y, mode, seed, **HYPER), evaluate,
                                     texts, topics, held_texts, held_topics, list(taxonomy.topics), seed)
    if out is not None and classifier.model is None:
        save_rules_only(out, {"seed": seed, "version": VERSION})
    elif out is not None:
        classifier.model.save(out, {"mode": classifier.mode, "threshold": classifier.threshold, "seed": seed,
                                    "version": VERSION, "hyper": HYPER})
    if out is not None:
        (out / "metrics.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.topics", description="Train or evaluate the topic classifier.")
    parser.add_argument("action", choices=("train", "eval"))
    parser.add_argument("--data", type=Path, default=LABELLED_PATH, help="labelled JSONL (text, topics, split)")
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="model folder to write (train) or read (eval)")
    parser.add_argument("--taxonomy", type=Path, default=None, help="taxonomy TOML (default: the bundled one)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    taxonomy = Taxonomy.load(args.taxonomy)
    if args.action == "train":
        print(json.dumps(train(taxonomy, args.data, args.model, args.seed), indent=1))
        return 0
    held = [r for r in read_labelled(args.data) if r["split"] == "heldout" and isinstance(r.get("topics"), list)]
    texts = [normalize(r["text"]) for r in held]
    classifier = TopicClassifier.load(taxonomy, args.model)
    report = evaluate(classifier, texts, [r["topics"] for r in held])
    report["mode"], report["texts_per_s"] = classifier.mode, throughput(classifier.predict, texts)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except PantauError as exc:
        sys.exit(f"error: {exc}")
