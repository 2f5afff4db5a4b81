"""A transformers sequence classifier run by torch on CPU (a configured Hugging Face directory,
or the shipped weights when their ONNX file is not used)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class TorchClassifier:
    """``int8``: Linear layers as int8 dynamically quantised ones; ``bf16``: autocast, used only
    on CPUs with native bf16 units (elsewhere it is slower than fp32)."""

    def __init__(self, path: Path, threads: int | None = None, int8: bool = False, bf16: bool = False) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar in the tagger's or the CLI's output
        if threads:
            torch.set_num_threads(threads)
        model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True).eval()
        self.model = quantize_int8(model) if int8 else model
        self.bf16 = bf16 and not int8 and _bf16_ok()

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        import torch

        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            out = self.model(input_ids=torch.from_numpy(input_ids), attention_mask=torch.from_numpy(attention_mask)).logits
        return out.float().numpy()


def quantize_int8(model):
    """``model`` with its Linear layers as int8 dynamically quantised ones (weights per tensor,
    activations quantised per batch)."""
    import warnings

    import torch

    with warnings.catch_warnings():  # quantized tensor creation is marked deprecated in torch 2.13
        warnings.simplefilter("ignore", UserWarning)
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def _bf16_ok() -> bool:
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags
