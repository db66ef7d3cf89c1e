#!/usr/bin/env python3
"""Reference values for MyoSpectrum (the fatigue plugin's spectral core) and LinearFit.

Run from this folder:  python3 fatigue_reference.py  (needs numpy and scipy, and ../shared/data)
Writes fatigue_reference.json from the emg_mV column of
../../../../shared/data/plux-opensignals-fatigue/emg_fatigue_derived.csv (biceps fatigue, 1 kHz,
126.9 s), read as float32 then widened, as MyoShell stores it.

PSD per window: scipy.signal.spectrogram(x, fs, window='hann', nperseg=1000, noverlap=500,
detrend='constant', scaling='density', mode='psd'). Features over 20-450 Hz (inclusive) without
bins within 1 Hz of multiples of 50 Hz, by MyoShell's definitions (docs/FATIGUE.md):
  MNF = sum f P / sum P; MDF = interpolated inside the bin where the cumulative power reaches half
  (each bin's power spread evenly over [f - df/2, f + df/2]); FInsm5 = M(-1) / M(5), M(k) = sum f^k P df;
  RMS = standard deviation (ddof 0) of the window's samples.
Trends: scipy.stats.linregress of each series against the window centre time; 95 % CI of the
slope = slope +- t.ppf(0.975, n - 2) x stderr.
"""
import json

import numpy as np
import scipy
from scipy import signal, stats

FS = 1000.0
x = np.loadtxt("../../../../shared/data/plux-opensignals-fatigue/emg_fatigue_derived.csv", delimiter=",", skiprows=3, usecols=(2,))
x = x.astype(np.float32).astype(np.float64)

f, t, sxx = signal.spectrogram(x, fs=FS, window="hann", nperseg=1000, noverlap=500, detrend="constant", scaling="density", mode="psd")
df = f[1] - f[0]
band = (f >= 20) & (f <= 450)
multiple = np.round(f / 50.0)
band &= ~((multiple >= 1) & (np.abs(f - multiple * 50.0) <= 1.0))
fb, p = f[band], sxx[band, :]
total = p.sum(axis=0)
mnf = (fb[:, None] * p).sum(axis=0) / total
cum = np.cumsum(p, axis=0)
half = total / 2
mdf = np.empty(len(t))
for w in range(len(t)):
    k = int(np.argmax(cum[:, w] >= half[w]))
    before = cum[k - 1, w] if k > 0 else 0.0
    mdf[w] = fb[k] - df / 2 + df * (half[w] - before) / p[k, w]
finsm5 = (p / fb[:, None]).sum(axis=0) / (p * fb[:, None] ** 5).sum(axis=0)
rms = np.array([np.std(x[i * 500:i * 500 + 1000]) for i in range(len(t))])


def trend(y):
    r = stats.linregress(t, y)
    q = stats.t.ppf(0.975, len(t) - 2)
    return {"slope": r.slope, "intercept": r.intercept, "r2": r.rvalue ** 2,
            "ci_low": r.slope - q * r.stderr, "ci_high": r.slope + q * r.stderr}


out = {"scipy": scipy.__version__, "numpy": np.__version__, "fs": FS, "n": len(x), "window_centres_s": t.tolist(),
       "mdf_hz": mdf.tolist(), "mnf_hz": mnf.tolist(), "finsm5": finsm5.tolist(), "rms_mv": rms.tolist(),
       "trends": {"MDF": trend(mdf), "MNF": trend(mnf), "FInsm5": trend(finsm5), "RMS": trend(rms)},
       "mdf_first_10s_hz": float(mdf[t <= 10].mean()), "mdf_last_10s_hz": float(mdf[t >= t[-1] - 10].mean()),
       "t_quantiles_0975": {str(v): stats.t.ppf(0.975, v) for v in (1, 2, 3, 5, 10, 30, 100, 1000)}}
with open("fatigue_reference.json", "w") as fh:
    json.dump(out, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
print(f"{len(t)} windows; MDF first 10 s {out['mdf_first_10s_hz']:.2f} Hz, last 10 s {out['mdf_last_10s_hz']:.2f} Hz; MDF slope {out['trends']['MDF']['slope']:.4f} Hz/s")
