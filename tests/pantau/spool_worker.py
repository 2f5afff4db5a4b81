"""A spool consumer run as a child process by test_spool.py, so a test can kill -9 it.

It claims batches, "indexes" each post into a sink table that is idempotent by post id (as the
real store is), and acks a batch only after all of its posts are in the sink. With
``--stop-mid-batch N`` it announces (by creating a marker file) that it is halfway through its
N-th batch and then hangs, waiting for the kill.
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from pathlib import Path

from pantau.spool import Spool


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spool")
    parser.add_argument("sink")
    parser.add_argument("--stop-mid-batch", type=int, default=0)
    parser.add_argument("--marker")
    args = parser.parse_args()

    sink = sqlite3.connect(args.sink, isolation_level=None)
    sink.execute("CREATE TABLE IF NOT EXISTS indexed (post_id TEXT PRIMARY KEY)")
    sink.execute("CREATE TABLE IF NOT EXISTS deliveries (post_id TEXT)")
    spool = Spool(args.spool)
    spool.release_claims()  # the only consumer is (re)starting: take back what a dead one held
    batch_number = 0
    while (batch := spool.claim(20)) is not None:
        batch_number += 1
        for position, post in enumerate(batch.posts):
            sink.execute("INSERT INTO deliveries VALUES (?)", (post.id,))
            sink.execute("INSERT OR IGNORE INTO indexed VALUES (?)", (post.id,))
            if batch_number == args.stop_mid_batch and position == len(batch.posts) // 2:
                Path(args.marker).touch()
                time.sleep(600)
        spool.ack(batch)


if __name__ == "__main__":
    main()
