import subprocess
import sys

import pytest

from pantau.lock import AlreadyRunning, DataDirLock

HOLD = "import sys, time; from pathlib import Path; from pantau.lock import DataDirLock; lock = DataDirLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)"


def test_second_holder_is_refused_with_the_pid(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(AlreadyRunning, match=f"pid {holder.pid}"):
            DataDirLock(tmp_path).acquire()
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_killed_process_is_free_again(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    holder.stdout.readline()
    holder.kill()
    holder.wait()
    with DataDirLock(tmp_path):
        pass


def test_release_lets_the_next_one_in(tmp_path):
    with DataDirLock(tmp_path):
        with pytest.raises(AlreadyRunning):
            DataDirLock(tmp_path).acquire()
    with DataDirLock(tmp_path):
        pass
