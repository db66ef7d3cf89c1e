#!/usr/bin/env python3
"""A WFDB record with skewed signals and wfdb-python's reading of it.

    pip install wfdb==4.3.1 numpy
    python3 Tests/MyoFormatsTests/Reference/wfdb_skew_reference.py

Writes fixtures/skewed.hea and skewed.dat: 40 frames at 250 Hz (the file holds 3 more, which
skewed signals read into), format 16 interleaved, three signals: A (no skew), B (skew 3),
C (2 samples per frame, skew 3: in frames, so 6 of its samples). B and C share the largest skew
because wfdb 4.3.1 cannot read expanded frames whose skews differ. Checksums are over each signal's first 40 frames as stored. Each signal's stored value at
file sample k is a closed form of k, so a reader that ignores the skew is off by the skew.
Then reads the record with wfdb.rdrecord (physical units, frames not smoothed) and writes, per
signal, the values wfdb returns (NaN, where it pads past the end, as null) to
wfdb_skew_reference.json. Tolerance in the test: 1e-6 mV (values are exact multiples of 1/200 mV).
"""
import json
import os

import numpy as np
import wfdb

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
FRAMES = 40
STORED = FRAMES + 3

# Interleaved frame layout: A, B, C, C (C has 2 samples per frame).
a = np.arange(STORED) * 2
b = 1000 + np.arange(STORED) * 3
c = -500 + np.arange(2 * STORED) * 5
frames = np.zeros((STORED, 4), dtype="<i2")
frames[:, 0] = a
frames[:, 1] = b
frames[:, 2] = c[0::2]
frames[:, 3] = c[1::2]
frames.tofile(os.path.join(FIXTURES, "skewed.dat"))


def checksum(values):
    total = int(np.sum(values.astype(np.int64))) & 0xFFFF
    return total - 0x10000 if total >= 0x8000 else total


with open(os.path.join(FIXTURES, "skewed.hea"), "w") as header:
    header.write(f"skewed 3 250 {FRAMES}\n")
    header.write(f"skewed.dat 16 200/mV 16 0 0 {checksum(a[:FRAMES])} 0 A\n")
    header.write(f"skewed.dat 16:3 200/mV 16 0 1000 {checksum(b[:FRAMES])} 0 B\n")
    header.write(f"skewed.dat 16x2:3 200/mV 16 0 -500 {checksum(c[:2 * FRAMES])} 0 C\n")

record = wfdb.rdrecord(os.path.join(FIXTURES, "skewed"), physical=True, smooth_frames=False)
out = {}
for name, values in zip(record.sig_name, record.e_p_signal):
    out[name] = [None if np.isnan(v) else float(v) for v in values]
with open(os.path.join(HERE, "wfdb_skew_reference.json"), "w") as f:
    json.dump(out, f)
print({k: (len(v), v[:3]) for k, v in out.items()})
