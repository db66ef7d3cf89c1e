#!/usr/bin/env python3
"""Reference values for MyoSpectrum.Smoothness (SPARC and LDLJ), written from the algorithm of
Balasubramanian et al. (2015, J NeuroEng Rehabil 12:112; their published reference code's steps and
defaults: zero padding to 2^(ceil(log2 N) + 4) points, |FFT| normalised to its maximum, kept up to
10 Hz, trimmed to the first and last frequency with magnitude >= 0.05, SPARC = -arc length with
frequency normalised to the kept band) and of the velocity-peak log dimensionless jerk
(Balasubramanian et al. 2012): -ln(T^3 / v_peak^2 * trapz((d2v/dt2)^2, dt)), derivatives by
numpy.gradient (central differences, one-sided at the ends).

Run from this folder:  python3 smoothness_reference.py   (needs numpy)
"""
import json

import numpy as np


def sparc(speed, fs, padlevel=4, fc=10.0, amp_th=0.05):
    n = len(speed)
    nfft = int(2 ** (np.ceil(np.log2(n)) + padlevel))
    f = np.arange(0, fs, fs / nfft)
    mf = np.abs(np.fft.fft(speed, nfft))
    mf = mf / mf.max()
    keep = f <= fc
    f_sel, mf_sel = f[keep], mf[keep]
    idx = np.nonzero(mf_sel >= amp_th)[0]
    f_sel = f_sel[idx[0]:idx[-1] + 1]
    mf_sel = mf_sel[idx[0]:idx[-1] + 1]
    return float(-np.sum(np.sqrt((np.diff(f_sel) / (f_sel[-1] - f_sel[0])) ** 2 + np.diff(mf_sel) ** 2)))


def ldlj(v, fs):
    dt = 1.0 / fs
    t_total = (len(v) - 1) * dt
    jerk = np.gradient(np.gradient(v, dt), dt)
    return float(-np.log(t_total ** 3 / np.max(np.abs(v)) ** 2 * np.trapezoid(jerk ** 2, dx=dt)))


FS = 100.0
t = np.arange(0, 1.0 + 1e-9, 1 / FS)
tau = t / t[-1]
profiles = {
    # Minimum-jerk speed profile over 1 s (peak 1.875).
    "minimum_jerk": 30 * tau ** 2 - 60 * tau ** 3 + 30 * tau ** 4,
    # Two overlapping minimum-jerk submovements (a less smooth reach).
    "two_bumps": np.interp(t, t, np.where(tau < 0.6, 1, 0) * np.sin(np.pi * np.clip(tau / 0.6, 0, 1)) ** 2
                            + 0.7 * np.sin(np.pi * np.clip((tau - 0.4) / 0.6, 0, 1)) ** 2),
    # A Gaussian speed bump (sigma 0.12 s).
    "gaussian": np.exp(-0.5 * ((t - 0.5) / 0.12) ** 2),
}
out = {"numpy": np.__version__, "fs": FS, "profiles": {}}
for name, v in profiles.items():
    out["profiles"][name] = {"speed": v.tolist(), "sparc": sparc(v, FS), "ldlj": ldlj(v, FS)}
with open("smoothness_reference.json", "w") as fh:
    json.dump(out, fh, indent=None, separators=(",", ":"))
    fh.write("\n")
for name, v in out["profiles"].items():
    print(name, v["sparc"], v["ldlj"])
