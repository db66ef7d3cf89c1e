#!/usr/bin/env python3
"""Reference values for the C3D, WFDB and EDF/BDF readers, from the formats' own Python readers.

    pip install ezc3d==1.7.2 wfdb==4.3.1 pyedflib==0.1.42 numpy
    python3 Tests/MyoFormatsTests/Reference/readers_reference.py

Reads every C3D and WFDB file under ../shared/data with ezc3d and wfdb, writes two small EDF+
and BDF+ fixtures with pyedflib (closed-form signals at two rates, with annotations) and reads
them back with pyedflib. For each channel it records name, unit, rate, sample count and the
values at a few indices; ReaderReferenceTests compares MyoShell's readers with them.
Tolerance (stated in the test): 1e-5 of the channel's largest magnitude (float32 storage).
"""
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DATA = os.path.join(ROOT, "..", "shared", "data")


def probes(n):
    return sorted({0, 1, n // 7, n // 3, n // 2, (2 * n) // 3, n - 2, n - 1} - {-1, -2})


def text(value):
    """ezc3d returns undecodable bytes as surrogate escapes; C3D text is Latin-1 there."""
    return value.encode("utf-8", "surrogateescape").decode("latin-1") if any(0xDC80 <= ord(c) <= 0xDCFF for c in value) else value


def channel(name, unit, rate, values):
    name, unit = text(name), text(unit)
    values = np.asarray(values, dtype=np.float64)
    n = len(values)
    idx = [i for i in probes(n) if 0 <= i < n]
    finite = values[np.isfinite(values)]
    return {
        "name": name, "unit": unit, "rate": float(rate), "count": int(n),
        "indices": idx, "values": [float(values[i]) for i in idx],
        "mean": float(finite.mean()) if len(finite) else 0.0,
        "scale": float(np.abs(finite).max()) if len(finite) else 0.0,
    }


def c3d_reference():
    import ezc3d
    out = {}
    for folder in ("c3dorg-emg-samples", "ezc3d-shoulder-c3d"):
        path = os.path.join(DATA, folder)
        for name in sorted(os.listdir(path)):
            if not name.endswith(".c3d"):
                continue
            c = ezc3d.c3d(os.path.join(path, name))
            analog = c["data"]["analogs"][0]
            params = c["parameters"]["ANALOG"]
            labels = params["LABELS"]["value"]
            units = params["UNITS"]["value"] if "UNITS" in params else [""] * len(labels)
            rate = c["header"]["analogs"]["frame_rate"]
            chans = [channel(labels[i].strip(), units[i].strip() if i < len(units) else "", rate, analog[i]) for i in range(analog.shape[0])]
            events = []
            if "EVENT" in c["parameters"] and "TIMES" in c["parameters"]["EVENT"]:
                times = np.asarray(c["parameters"]["EVENT"]["TIMES"]["value"])
                used = int(c["parameters"]["EVENT"]["USED"]["value"][0]) if "USED" in c["parameters"]["EVENT"] else times.shape[1]
                events = sorted(float(times[0, i] * 60 + times[1, i]) for i in range(used))
            out[f"{folder}/{name}"] = {"channels": chans, "event_times": events}
    return out


def wfdb_reference():
    import wfdb
    out = {}
    path = os.path.join(DATA, "physionet-emgdb")
    for name in sorted(os.listdir(path)):
        if not name.endswith(".hea"):
            continue
        record = wfdb.rdrecord(os.path.join(path, name[:-4]))
        chans = [channel(record.sig_name[i], record.units[i], record.fs, record.p_signal[:, i]) for i in range(record.n_sig)]
        out[f"physionet-emgdb/{name}"] = {"channels": chans, "event_times": []}
    return out


def edf_fixtures():
    import pyedflib
    out = {}
    for kind, ext, filetype in (("edf", "edf", pyedflib.FILETYPE_EDFPLUS), ("bdf", "bdf", pyedflib.FILETYPE_BDFPLUS)):
        path = os.path.join(HERE, "fixtures", f"two_rates.{ext}")
        t_fast = np.arange(2000) / 1000.0
        t_slow = np.arange(200) / 100.0
        signals = [
            ("ES_L", "mV", 1000, 1.5 * np.sin(2 * math.pi * 80 * t_fast)),
            ("ES_R", "uV", 1000, 400 * np.cos(2 * math.pi * 35 * t_fast) + 25),
            ("ACC_X", "g", 100, 0.8 * np.sin(2 * math.pi * 1.5 * t_slow)),
        ]
        digital = 8388607 if kind == "bdf" else 32767
        writer = pyedflib.EdfWriter(path, len(signals), file_type=filetype)
        headers = []
        for label, unit, rate, values in signals:
            headers.append({"label": label, "dimension": unit, "sample_frequency": rate,
                            "physical_max": float(np.ceil(values.max() * 1.1)), "physical_min": float(np.floor(values.min() * 1.1)),
                            "digital_max": digital, "digital_min": -digital - 1, "transducer": "", "prefilter": ""})
        writer.setSignalHeaders(headers)
        writer.setStartdatetime(__import__("datetime").datetime(2020, 1, 1, 0, 0, 0))
        writer.writeSamples([s[3] for s in signals])
        writer.writeAnnotation(0.5, -1, "hold start")
        writer.writeAnnotation(1.25, -1, "hold end")
        writer.close()
        reader = pyedflib.EdfReader(path)
        chans = [channel(reader.getLabel(i), reader.getPhysicalDimension(i), reader.getSampleFrequency(i), reader.readSignal(i)) for i in range(reader.signals_in_file)]
        onsets, _, texts = reader.readAnnotations()
        reader.close()
        out[f"fixtures/two_rates.{ext}"] = {"channels": chans, "event_times": [float(x) for x in onsets], "event_labels": list(texts)}
    return out


def main():
    result = {"c3d": c3d_reference(), "wfdb": wfdb_reference(), "edf": edf_fixtures()}
    with open(os.path.join(HERE, "readers_reference.json"), "w") as f:
        json.dump(result, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
