#!/usr/bin/env python3
"""Reference values for MyoSignal's SignalChain (the envelope plugin's processing).

Run from this folder:  python3 envelope_reference.py  (needs numpy and scipy)
Writes envelope_reference.json. Three inputs: a closed-form test signal (rebuilt by the Swift test
from the same formula), the ES_L channel of ../../../sample-data/bridge-set.csv (simulated, 2 kHz),
and a real recording: the first 12000 samples of PLUX's adductor pollicis sEMG
(../../../../shared/data/plux-opensignals-fatigue/emg_1000_hz_16_bits_solo.txt, 1 kHz, 16-bit ADC,
converted to mV with PLUX's transfer function as MyoShell's reader does). Recordings are Float32 in
MyoShell, so they are read here as float32 then widened. For each case, every 10th output sample and the
output RMS; the Swift test requires agreement within 1e-9 x RMS (double precision path).
"""
import json

import numpy as np
import scipy
from scipy import signal

FS = 2000.0  # rebound per input below
N = 6000
t = np.arange(N) / FS
# Deterministic "noise": a fixed sum of incommensurate sines.
synthetic = (np.sin(2 * np.pi * 80 * t) * (1 + 0.5 * np.sin(2 * np.pi * 0.7 * t))
             + 0.4 * np.sin(2 * np.pi * 50 * t + 0.2) + 0.2 * np.sin(2 * np.pi * 150 * t)
             + 0.3 * np.sin(2 * np.pi * 233.3 * t + 1.1) + 0.05 * np.sin(2 * np.pi * 3 * t))

data = np.genfromtxt("../../../sample-data/bridge-set.csv", delimiter=",", skip_header=1, max_rows=12000, usecols=(3,))
recorded = data.astype(np.float32).astype(np.float64)

adc = np.loadtxt("../../../../shared/data/plux-opensignals-fatigue/emg_1000_hz_16_bits_solo.txt", comments="#", usecols=(2,), max_rows=12000)
plux = ((adc / 2.0 ** 16 - 0.5) * 3.0 / 1000.0 * 1000.0).astype(np.float32).astype(np.float64)


def zp(sos, x):
    return signal.sosfiltfilt(sos, x)


def bp(order, lo=20.0, hi=450.0):
    return signal.butter(order, [lo, hi], btype="bandpass", fs=FS, output="sos")


def lp(order, fc=6.0):
    return signal.butter(order, fc, btype="lowpass", fs=FS, output="sos")


def notch(f0, q=30.0):
    b, a = signal.iirnotch(f0, q, fs=FS)
    return np.concatenate([b, a])[None, :]


def moving_rms(x, w, centred):
    before = (w - 1) // 2 if centred else w - 1
    after = w - 1 - before if centred else 0
    c = np.concatenate([[0.0], np.cumsum(x * x)])
    out = np.empty_like(x)
    for i in range(len(x)):
        lo, hi = max(0, i - before), min(len(x) - 1, i + after)
        out[i] = np.sqrt(max((c[hi + 1] - c[lo]) / (hi - lo + 1), 0.0))
    return out


def tkeo(x):
    y = x.copy()
    y[1:-1] = x[1:-1] ** 2 - x[:-2] * x[2:]
    y[0], y[-1] = y[1], y[-2]
    return y


CASES = {
    "linear_default": lambda x: zp(lp(2), np.abs(zp(bp(2), x))),
    "peers_envelope": lambda x: zp(lp(4), np.abs(signal.filtfilt(*signal.iirnotch(50.0, 30.0, fs=FS), zp(bp(4), x)))),
    "rms_trailing_250ms": lambda x: moving_rms(zp(bp(2), x), int(round(0.25 * FS)), False),
    "rms_centred_100ms": lambda x: moving_rms(zp(bp(2), x), int(round(0.1 * FS)), True),
    "tkeo": lambda x: zp(lp(2), np.abs(tkeo(zp(bp(2), x)))),
    "notch_harmonics_3": lambda x: zp(notch(150.0), zp(notch(100.0), zp(notch(50.0), zp(bp(4), x)))),
    "highpass_trunk": lambda x: zp(signal.butter(4, [30.0, 450.0], btype="bandpass", fs=FS, output="sos"), x),
    "bandstop_3": lambda x: zp(signal.butter(3, [45.0, 55.0], btype="bandstop", fs=FS, output="sos"), x),
}

out = {"fs": FS, "scipy": scipy.__version__, "numpy": np.__version__, "step": 10, "inputs": {}}
for name, x, fs in (("synthetic", synthetic, 2000.0), ("recorded", recorded, 2000.0), ("plux", plux, 1000.0)):
    FS = fs
    out["inputs"][name] = {"n": len(x), "fs": fs, "cases": {}}
    for case, fn in CASES.items():
        y = fn(x)
        out["inputs"][name]["cases"][case] = {"y": y[::10].tolist(), "rms": float(np.sqrt(np.mean(y ** 2)))}
with open("envelope_reference.json", "w") as fh:
    json.dump(out, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
