"""Reference values for CausalChainTests: scipy.signal.sosfilt (zero initial state) of the live
envelope chain and scipy.signal.group_delay of its filters, on a deterministic signal.

    python3 causal_reference.py > causal_reference.json
"""
import json
import numpy as np
from scipy import signal

fs = 2000.0
n = np.arange(4000)
x = np.sin(2 * np.pi * 60 * n / fs) + 0.5 * np.sin(2 * np.pi * 200 * n / fs) + 0.1 * ((n * 7919) % 101) / 101
band = signal.butter(2, [20, 450], btype="bandpass", fs=fs, output="sos")
low = signal.butter(2, 6, btype="lowpass", fs=fs, output="sos")
y = signal.sosfilt(low, np.abs(signal.sosfilt(band, x)))
indices = [0, 1, 2, 10, 100, 999, 1000, 2500, 3999]


def delay(sos, f):
    b, a = signal.sos2tf(sos)
    return float(signal.group_delay((b, a), w=[f], fs=fs)[1][0])


centre = float(np.sqrt(20 * 450))
print(json.dumps({
    "scipy": __import__("scipy").__version__,
    "fs": fs,
    "indices": indices,
    "envelope": [float(y[i]) for i in indices],
    "band_delay_samples_at_centre": delay(band, centre),
    "centre_hz": centre,
    "low_delay_samples_at_1hz": delay(low, 1.0),
    "low_delay_samples_at_0hz": delay(low, 0.0),
}, indent=1))
