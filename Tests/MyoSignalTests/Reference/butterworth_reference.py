#!/usr/bin/env python3
"""Reference values for MyoSignal's Butterworth design and zero-phase filtering.

Run from this folder:  python3 butterworth_reference.py  (needs numpy and scipy)
Writes butterworth_reference.json: for each case, scipy.signal.butter(N, Wn, btype, fs=fs,
output='sos') (or iirnotch as one section) and every 10th sample of scipy.signal.sosfiltfilt
(default padding: odd extension, padlen = 3 * (2 * len(sos) + 1 - ...)) applied to the test
signal below. The Swift test rebuilds the same signal from the same formula.
"""
import json

import numpy as np
import scipy
from scipy import signal

FS = 1000.0
N = 2000
t = np.arange(N) / FS
x = np.sin(2 * np.pi * 7 * t) + 0.5 * np.sin(2 * np.pi * 60 * t + 0.3) + 0.25 * np.sin(2 * np.pi * 300 * t) + 0.1 * (t - 0.5)

CASES = [
    ("lowpass", 1, [6.0]), ("lowpass", 2, [6.0]), ("lowpass", 4, [6.0]), ("lowpass", 5, [100.0]),
    ("highpass", 2, [30.0]), ("highpass", 3, [20.0]), ("highpass", 4, [30.0]),
    ("bandpass", 1, [20.0, 450.0]), ("bandpass", 2, [20.0, 450.0]), ("bandpass", 4, [20.0, 450.0]), ("bandpass", 3, [40.0, 80.0]),
    ("bandstop", 2, [45.0, 55.0]), ("bandstop", 3, [100.0, 200.0]),
]

out = {"fs": FS, "n": N, "scipy": scipy.__version__, "step": 10, "cases": []}
for btype, order, wn in CASES:
    sos = signal.butter(order, wn if len(wn) > 1 else wn[0], btype=btype, fs=FS, output="sos")
    y = signal.sosfiltfilt(sos, x)
    out["cases"].append({"btype": btype, "order": order, "edges": wn, "sos": sos.tolist(),
                         "y": y[::10].tolist(), "rms": float(np.sqrt(np.mean(y ** 2)))})
b, a = signal.iirnotch(50.0, 30.0, fs=FS)
y = signal.filtfilt(b, a, x)
out["notch"] = {"f0": 50.0, "q": 30.0, "b": b.tolist(), "a": a.tolist(), "y": y[::10].tolist(), "rms": float(np.sqrt(np.mean(y ** 2)))}
with open("butterworth_reference.json", "w") as fh:
    json.dump(out, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
