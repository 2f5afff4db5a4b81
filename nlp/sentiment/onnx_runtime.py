"""The shipped classifier as an ONNX graph, run by ONNX Runtime.

Measured on the 2-core AVX2 build machine (SmSA valid, 64-text batches sorted by length, the
2x192 student with a GELU feed-forward of 768 shipped before): ONNX Runtime with int8 dynamic
quantisation ran the forward pass at 669 us/post against 837 for torch's int8 dynamic
quantisation (the machine's speed drifts: the same graph took 866 us/post in a later session),
and the tagger no longer needs torch loaded at all. Attention fusion
(``onnxruntime.transformers.optimizer``) was slower on these short batches (830 us/post), so the
graph is exported plain and ONNX Runtime applies its own optimisations; fusing only GELU, layer
norms and biases (attention left alone) made no measurable difference.
Where the time goes (ONNX Runtime's profiler, one thread, the 2x192 student with a ReLU
feed-forward of 384): int8 matrix products about 55%, layer norms 12%, the attention's float
products, transposes and additions about 25%.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

INPUTS = ("input_ids", "attention_mask")


class OnnxClassifier:
    """An ONNX Runtime session over ``input_ids``/``attention_mask`` -> ``logits``."""

    def __init__(self, path: Path, threads: int | None = None) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are noise for users
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def logits(self, input_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        feed = {"input_ids": input_ids.astype(np.int64, copy=False),
                "attention_mask": attention_mask.astype(np.int64, copy=False)}
        return self.session.run(["logits"], feed)[0].astype(np.float32, copy=False)


def export_onnx(model, out_file: Path, int8: bool = True) -> Path:
    """Write ``model`` (a transformers sequence classifier, eager attention) as ONNX, its MatMul
    weights int8 (dynamic quantisation) when ``int8``. Returns ``out_file``."""
    import copy
    import logging
    import tempfile
    import warnings

    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class _Logits(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    model = copy.deepcopy(model).eval()
    model.set_attn_implementation("eager")  # plain ops: sdpa exports as a graph ONNX Runtime runs slower
    sample = torch.ones(2, 8, dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
    out_file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pantau-onnx-") as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        plain = Path(tmp) / "plain.onnx" if int8 else out_file
        torch.onnx.export(_Logits(model), (sample, sample), str(plain), input_names=list(INPUTS),
                          output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
        if int8:
            root = logging.getLogger()  # the quantiser logs advice to pre-process, meant for CNNs
            level = root.level
            root.setLevel(logging.ERROR)
            try:
                quantize_dynamic(str(plain), str(out_file), weight_type=QuantType.QInt8)
            finally:
                root.setLevel(level)
    return out_file
