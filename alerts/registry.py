"""The names used in rule files, mapped to classes (ElastAlert2's ``rules_mapping``)."""

from __future__ import annotations

from alerts.detectors.base import Detector
from alerts.detectors.emerging_terms import EmergingTermsDetector
from alerts.detectors.negative_share import NegativeShareDetector
from alerts.detectors.volume_spike import VolumeSpikeDetector
from alerts.detectors.watch_terms import WatchTermsDetector

DETECTORS: dict[str, type[Detector]] = {
    cls.name: cls
    for cls in (VolumeSpikeDetector, NegativeShareDetector, EmergingTermsDetector, WatchTermsDetector)
}
