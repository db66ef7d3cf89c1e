"""What pyxdf (the reference reader of XDF) finds in an XDF file, as JSON, for LiveStreamTests.

    python3 xdf_reference.py FILE.xdf

Per stream: name, type, channel labels and units, sample count, per channel the first 5 values
and the sum of all, the first and last timestamps after clock synchronisation (without
dejitter, so they are the received stamps plus the clock offset), and for string streams the texts.
"""
import json
import sys

import pyxdf

streams, header = pyxdf.load_xdf(sys.argv[1], synchronize_clocks=True, dejitter_timestamps=False)
out = []
for s in streams:
    info = s["info"]
    channels = ((info.get("desc") or [{}])[0] or {}).get("channels", [{}])[0].get("channel", []) if info.get("desc") and info["desc"][0] else []
    entry = {
        "name": info["name"][0],
        "type": info["type"][0],
        "format": info["channel_format"][0],
        "labels": [c["label"][0] or "" for c in channels],
        "units": [c["unit"][0] or "" for c in channels],
        "count": len(s["time_stamps"]),
        "first_stamp": float(s["time_stamps"][0]) if len(s["time_stamps"]) else None,
        "last_stamp": float(s["time_stamps"][-1]) if len(s["time_stamps"]) else None,
    }
    if info["channel_format"][0] == "string":
        entry["texts"] = [row[0] for row in s["time_series"]]
        entry["stamps"] = [float(t) for t in s["time_stamps"]]
    else:
        series = s["time_series"]
        entry["first_values"] = [[float(v) for v in series[:5, c]] for c in range(series.shape[1])]
        entry["sums"] = [float(series[:, c].astype("float64").sum()) for c in range(series.shape[1])]
    out.append(entry)
print(json.dumps(out))
