#!/usr/bin/env python3
"""The Python peer on a day file (docs/BENCHMARKS.md, issue 24): the 16 EMG channels of a
`simulate day` BDF read with pyedflib (as float64, the whole channel: pyedflib has no block reads),
then peers.py's envelope task (../shared/bench/peers.py: band-pass 20-450 Hz order 4, 50 Hz notch
Q 30, rectification, 6 Hz low-pass order 4, all zero-phase). Prints each stage's seconds and the
peak RSS; a MemoryError (run it under `ulimit -v` so the machine is not driven into swap) is
reported with the peak reached, not hidden.

    python3 scripts/peer-day.py .build-bench/day-6h.bdf
"""
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared", "bench"))
import numpy as np  # noqa: E402
import pyedflib  # noqa: E402
import peers  # noqa: E402


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main(path):
    times = {}

    def tm(name, fn, *args, **kwargs):
        start = time.perf_counter()
        result = fn(*args, **kwargs)
        times[name] = round(time.perf_counter() - start, 3)
        return result

    try:
        with pyedflib.EdfReader(path) as f:
            labels = f.getSignalLabels()
            emg = [i for i, label in enumerate(labels) if not label.startswith(("ACC", "GYR"))]
            fs = f.getSampleFrequency(emg[0])
            n = f.getNSamples()[emg[0]]

            def read():
                x = np.empty((len(emg), n))
                for row, i in enumerate(emg):
                    x[row] = f.readSignal(i)
                return x

            x = tm("read_16_emg_f64", read)
        result = peers.task_envelope(x, fs, [labels[i] for i in emg], tm)
        print(f"{path}: ok; stages {times}; peak {peak_mb()} MB; checksum {result['checksum_sum']}")
    except MemoryError:
        print(f"{path}: MemoryError after stages {times}; peak {peak_mb()} MB")


if __name__ == "__main__":
    main(sys.argv[1])
