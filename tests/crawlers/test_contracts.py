"""`scrapy check`: the spiders' contracts run offline against the saved copies."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_scrapy_check_passes(tmp_path):
    env = {**os.environ, "PANTAU_DATA_DIR": str(tmp_path), "PANTAU_AUTHOR_KEY": "test", "PANTAU_CONFIG": ""}
    done = subprocess.run([sys.executable, "-m", "scrapy", "check", "-s", "LOG_LEVEL=WARNING"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OK" in done.stderr and "contracts" in done.stderr
