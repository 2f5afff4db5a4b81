"""The shipped student: a small ``BertForSequenceClassification`` over the trimmed e5 vocabulary.

Its word and position embeddings start as the teacher's, projected to the student's width by
PCA (one projection for both, so their sum projects consistently); its layers start random and
learn from the teacher's soft labels (:mod:`nlp.training.distil`)."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from nlp.training.smsa import LABELS


@dataclass(frozen=True)
class StudentShape:
    hidden: int = 192
    layers: int = 2
    heads: int = 3
    intermediate: int = 384
    max_length: int = 96
    activation: str = "relu"  # of the feed-forward layers (transformers' ``hidden_act``)


def pca_projection(matrix: torch.Tensor, dim: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(mean, components[dim, in])`` of the rows of ``matrix``."""
    mean = matrix.mean(0)
    _, _, v = torch.linalg.svd(matrix - mean, full_matrices=False)
    return mean, v[:dim]


def build_student(shape: StudentShape, vocab_size: int, word: torch.Tensor | None = None,
                  pos: torch.Tensor | None = None, seed: int = 13):
    """A fresh student; ``word``/``pos`` (teacher embeddings, rows aligned to the student's
    vocabulary / positions) initialise its embeddings through a shared PCA projection."""
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(seed)
    config = BertConfig(
        vocab_size=vocab_size, hidden_size=shape.hidden, num_hidden_layers=shape.layers,
        num_attention_heads=shape.heads, intermediate_size=shape.intermediate, hidden_act=shape.activation,
        max_position_embeddings=shape.max_length + 2, type_vocab_size=1, pad_token_id=1,
        bos_token_id=0, eos_token_id=2, num_labels=len(LABELS),
        id2label=dict(enumerate(LABELS)), label2id={lab: i for i, lab in enumerate(LABELS)},
        hidden_dropout_prob=0.1, attention_probs_dropout_prob=0.1,
    )
    model = BertForSequenceClassification(config)
    if word is not None:
        mean, comp = pca_projection(word.float(), shape.hidden)
        scale = 0.02 / ((word.float() - mean) @ comp.T).std()
        emb = model.bert.embeddings
        with torch.no_grad():
            emb.word_embeddings.weight.copy_(((word.float() - mean) @ comp.T) * scale)
            if pos is not None:
                emb.position_embeddings.weight.copy_((pos[: shape.max_length + 2].float() @ comp.T) * scale)
    return model
