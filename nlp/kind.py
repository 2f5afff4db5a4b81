"""What a post is: a complaint, a question, a suggestion, praise or information.

Two parts, measured on the held-out split of ``nlp/data/labelled/posts.jsonl`` (see the model
card in ``nlp/models/kind/README.md``):

* cue rules: phrases typical of each kind (``apakah``, ``sebaiknya``, ``terima kasih``, ``rusak``,
  ``menggelar``); alone they choose the kind with most cues;
* a linear model over word and character n-grams (:mod:`nlp.textcat`) that also reads which
  rules fired (``r:<kind>`` features), so it learns how far to trust each cue.

Input is normalised text (:func:`nlp.normalize.normalize`). ``python -m nlp.kind train``
reproduces the shipped weights; ``python -m nlp.kind eval`` prints the held-out report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.normalize import normalize
from nlp.taxonomy import PhraseMatcher
from nlp.labelled import LABELLED_PATH, choose_mode, f1_table, read_labelled, throughput
from nlp.textcat import Featurizer, LinearText, read_config, save_rules_only
from pantau.errors import PantauError

KINDS = ("complaint", "question", "suggestion", "praise", "info")
MODEL_DIR = Path(__file__).parent / "models" / "kind"
VERSION = "kind-1"
SEED = 13
HYPER = {"c": 10.0, "min_count": 1}

_CUES: dict[str, str] = {
    "question": (
        "apakah|bagaimana caranya|bagaimana cara|cara daftar|cara mengurus|cara cek|mohon info|minta info|mau tanya|"
        "ada yang tahu|boleh tidak|bisa tidak|bisakah|bolehkah|berapa|kapan|di mana|dimana|ke mana|syaratnya|"
        "syarat apa|apa saja|kenapa|mengapa|siapa|does|can i|how|where|is there|nanya|tanya"
    ),
    "suggestion": (
        "saran|usul|usulan|sebaiknya|seharusnya|harusnya|mending|mendingan|lebih baik|alangkah baiknya|mbok|"
        "perlu ada|perlu dibuat|perlu ditambah|mohon ditambahkan|mohon dibuat|tolong ditambahkan|tolong tambah|"
        "semoga ada|jangan cuma|jangan hanya|wajibkan|perlu|should|needs|need|bikin|dibuat|ditambah*|diganti"
    ),
    "praise": (
        "terima kasih|terimakasih|matur nuwun|matursuwun|mantap|mantab|mantul|keren|kereen|salut|luar biasa|bangga|"
        "alhamdulillah|puas|recommended|memudahkan|sangat membantu|membantu|cepat tanggap|sigap|ramah|apresiasi|top|"
        "apik|bagus|lancar|mulus|nyaman|praktis|rapi|tertib|good job|impressed|great|hebat|sukses|senang|lega"
    ),
    "complaint": (
        "rusak|parah|kecewa|lambat|lelet|lemot|error|gagal|susah|sulit|ribet|kacau|percuma|capek|mengeluh*|"
        "mati|bocor|keruh|bau|kotor|macet|mahal|langka|habis|telat|belum|tidak ada|tidak pernah|dipersulit|"
        "kok|sampai kapan|pungli|calo|curang|miris|resah|protes|menolak|tolong|ditolak|dipotong|hilang|"
        "terus|lagi|udah|padahal|malah|tapi"
    ),
    "info": (
        "mulai|akan|menggelar|mencatat|tercatat|menyalurkan|menargetkan|ditargetkan|membuka|dibuka|meluncurkan|"
        "pengumuman|info|update|pukul|wib|sebanyak|persen|rp|kata|ujar|menurut|sejumlah|ribuan|ratusan|"
        "menerima|mengalami|diberlakukan|memberlakukan|sementara|sudah bisa|hari ini|besok|tahun ini|kilogram"
    ),
}
_QUESTION_WORDS = {"apa", "apakah", "bagaimana", "kapan", "berapa", "dimana", "kemana", "siapa", "kenapa", "mengapa", "boleh", "bisa", "ada"}
# Cues are matched as written on normalised text, so slang cues the normaliser rewrites (ribet,
# bikin) never fire; also matching their normalised forms scored lower in cross-validation on
# the train split (macro-F1 0.853 vs 0.858), so it is not done.
_MATCHER = PhraseMatcher({f"{cue}": [f"{kind}:{cue}"] for kind, cues in _CUES.items() for cue in cues.split("|")})
_KIND_OF = {f"{kind}:{cue}": kind for kind, cues in _CUES.items() for cue in cues.split("|")}
_PRIORITY = ("question", "suggestion", "praise", "complaint", "info")


def rule_hits(text: str) -> dict[str, int]:
    """How many distinct cues of each kind a normalised text has."""
    hits = dict.fromkeys(KINDS, 0)
    for label in _MATCHER.labels(text):
        hits[_KIND_OF[label]] += 1
    if "?" in text:
        hits["question"] += 2
    first = text.split(maxsplit=1)[:1]
    if first and first[0] in _QUESTION_WORDS:
        hits["question"] += 1
    return hits


def rule_kind(text: str) -> str:
    """The rules alone: the kind with most cues; ties go to the rarer, more specific kind."""
    return _top(rule_hits(text))


def _top(hits: dict[str, int]) -> str:
    best = max(hits.values())
    return next(kind for kind in _PRIORITY if hits[kind] == best) if best else "info"


def rule_features(text: str) -> list[str]:
    """The rules' hits as model features: ``r:<kind>``, ``r:<kind>:2`` (two or more) and the rules' choice."""
    hits = rule_hits(text)
    out = [f"r:{kind}" for kind, count in hits.items() if count]
    out += [f"r:{kind}:2" for kind, count in hits.items() if count > 1]
    return out + [f"r:top:{_top(hits)}"]


class KindClassifier:
    """Kind of each normalised text; ``mode`` is "rules", "model" or "combined"."""

    def __init__(self, model: LinearText | None, mode: str) -> None:
        if mode != "rules" and model is None:
            raise ValueError(f"mode {mode!r} needs a trained model")
        self.model, self.mode = model, mode

    @classmethod
    def load(cls, folder: Path = MODEL_DIR) -> KindClassifier:
        if read_config(folder)["mode"] == "rules":
            return cls(None, "rules")
        model, config = LinearText.load(folder)
        return cls(model, config["mode"])

    def predict(self, normalised_texts: Sequence[str]) -> list[str]:
        if self.mode == "rules" or self.model is None:
            return [rule_kind(t) for t in normalised_texts]
        extras = [rule_features(t) for t in normalised_texts] if self.mode == "combined" else None
        scores = self.model.scores(normalised_texts, extras)
        labels = self.model.labels
        return [labels[i] for i in scores.argmax(axis=1).tolist()]


def fit(texts: Sequence[str], kinds: Sequence[str], mode: str, seed: int = 0, **hyper: Any) -> KindClassifier:
    """Train a classifier on normalised texts (``mode`` "rules" needs no training)."""
    if mode == "rules":
        return KindClassifier(None, "rules")
    extras = [rule_features(t) if mode == "combined" else [] for t in texts]
    featurizer = Featurizer.build(texts, extras, min_count=hyper.get("min_count", 1))
    model = LinearText.untrained(featurizer, list(KINDS))
    targets = [KINDS.index(k) for k in kinds]
    model.fit(texts, extras, targets, multilabel=False, c=hyper.get("c", 1.0), seed=seed)
    return KindClassifier(model, mode)


def evaluate(classifier: KindClassifier, texts: Sequence[str], kinds: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class precision/recall/F1 of a classifier on normalised texts."""
    predicted = classifier.predict(texts)
    table = f1_table([{k} for k in kinds], [{p} for p in predicted], KINDS)
    accuracy = sum(p == k for p, k in zip(predicted, kinds)) / max(len(kinds), 1)
    return {"n": len(kinds), "accuracy": round(accuracy, 3), "macro_f1": round(sum(c["f1"] for c in table.values()) / len(KINDS), 3), "per_class": table}


def train(data: Path = LABELLED_PATH, out: Path | None = MODEL_DIR, seed: int = SEED) -> dict[str, Any]:
    """Choose the mode by 5-fold cross-validation on the train split, fit it on the whole train
    split, save it to ``out`` and report every mode on the held-out split (never used to choose)."""
    rows = read_labelled(data)
    train_rows = [r for r in rows if r["split"] == "train" and r.get("kind")]
    held = [r for r in rows if r["split"] == "heldout" and r.get("kind")]
    texts, kinds = [normalize(r["text"]) for r in train_rows], [r["kind"] for r in train_rows]
    held_texts, held_kinds = [normalize(r["text"]) for r in held], [r["kind"] for r in held]
    report, classifier = choose_mode(("rules", "model", "combined"), lambda x, y, mode: fit(x, y, mode, seed, **HYPER),
                                     evaluate, texts, kinds, held_texts, held_kinds, KINDS, seed)
    if out is not None and classifier.model is None:
        save_rules_only(out, {"seed": seed, "version": VERSION})
    elif out is not None:
        classifier.model.save(out, {"mode": classifier.mode, "seed": seed, "version": VERSION, "hyper": HYPER})
    if out is not None:
        (out / "metrics.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m nlp.kind", description="Train or evaluate the kind classifier.")
    parser.add_argument("action", choices=("train", "eval"))
    parser.add_argument("--data", type=Path, default=LABELLED_PATH, help="labelled JSONL (text, kind, split)")
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="model folder to write (train) or read (eval)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if args.action == "train":
        print(json.dumps(train(args.data, args.model, args.seed), indent=1))
        return 0
    held = [r for r in read_labelled(args.data) if r["split"] == "heldout" and r.get("kind")]
    texts = [normalize(r["text"]) for r in held]
    classifier = KindClassifier.load(args.model)
    report = evaluate(classifier, texts, [r["kind"] for r in held])
    report["mode"], report["texts_per_s"] = classifier.mode, throughput(classifier.predict, texts)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except PantauError as exc:
        sys.exit(f"error: {exc}")
