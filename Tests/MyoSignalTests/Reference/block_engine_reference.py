#!/usr/bin/env python3
"""Reference for BlockEngineTests: peers.py's envelope on a closed-form signal longer than the
engine's blocks, computed whole by scipy.

    pip install scipy==1.17.1 numpy
    python3 Tests/MyoSignalTests/Reference/block_engine_reference.py

x[n] = sin(2 pi 37 n / fs) + 0.5 sin(2 pi 311 n / fs) + 0.3 sin(2 pi 50 n / fs) + 0.2 ((7 n) mod 17) / 17,
n = 0 .. 100002, fs = 2000 Hz, in float64 (the test builds the same signal in Double). Envelope as
peers.py's task: butter(4, [20, 450], bandpass) sosfiltfilt, iirnotch(50, 30) filtfilt, |.|,
butter(4, 6, lowpass) sosfiltfilt. Also the band-pass alone. Values at probe indices, the sums.
"""
import json
import os

import numpy as np
from scipy import signal

FS = 2000.0
N = 100003
n = np.arange(N, dtype=np.float64)
x = (np.sin(2 * np.pi * 37 * n / FS) + 0.5 * np.sin(2 * np.pi * 311 * n / FS)
     + 0.3 * np.sin(2 * np.pi * 50 * n / FS) + 0.2 * ((7 * n.astype(np.int64)) % 17) / 17)

sos_bp = signal.butter(4, [20.0, 450.0], btype="bandpass", fs=FS, output="sos")
b_n, a_n = signal.iirnotch(50.0, 30.0, fs=FS)
sos_lp = signal.butter(4, 6.0, btype="lowpass", fs=FS, output="sos")
band = signal.sosfiltfilt(sos_bp, x)
y = signal.filtfilt(b_n, a_n, band)
envelope = signal.sosfiltfilt(sos_lp, np.abs(y))

probes = sorted({0, 1, 2, 9, 100, 4095, 4096, 4097, 10006, 10007, 32767, 32768, 50001, 65535, 65536,
                 90000, N - 10, N - 2, N - 1})
out = {
    "fs": FS, "n": N, "probes": probes,
    "bandpass": [float(band[i]) for i in probes], "bandpass_sum": float(band.sum()),
    "envelope": [float(envelope[i]) for i in probes], "envelope_sum": float(envelope.sum()),
    "envelope_max": float(np.abs(envelope).max()), "bandpass_max": float(np.abs(band).max()),
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "block_engine_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
