import torch

from nlp.training.calibrate import expected_calibration_error, fit_temperature


def test_recovers_the_temperature_that_generated_the_labels():
    g = torch.Generator().manual_seed(0)
    true_logits = torch.randn(4000, 3, generator=g) * 2
    labels = torch.multinomial(true_logits.softmax(-1), 1, generator=g).squeeze(1)
    overconfident = true_logits * 3  # a model three times too sure of itself
    t = fit_temperature(overconfident, labels)
    assert 2.6 < t < 3.4
    assert expected_calibration_error(overconfident, labels, t) < expected_calibration_error(overconfident, labels)
