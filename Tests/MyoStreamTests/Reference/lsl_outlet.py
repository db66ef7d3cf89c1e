"""A real LSL sender for MyoStreamTests, in its own process (pylsl, liblsl's own Python binding).

    python3 lsl_outlet.py NAME SECONDS DROP_AT [PAUSE_AT]

Publishes NAME (4 EMG channels, mV, 2000 Hz), NAME-IMU (3 channels, g, 100 Hz), with their
labels and units in the stream metadata, and NAME-Markers (strings: "marker K" at t0 + K / 2 s), waits up to 20 s for a receiver (and then 0.5 s for one
on the other stream), prints
{"t0": ...} (the LSL time of sample 0), then pushes 20 ms chunks in real time for SECONDS, each
sample stamped t0 + k / fs. The EMG samples of the 20 ms from DROP_AT seconds are never sent
(DROP_AT < 0: none), as a lost chunk would be. With PAUSE_AT, nothing at all is sent from
PAUSE_AT for 1.5 s (a sender that stalls), then sending resumes where it would be by then. Values are closed-form, so the receiver's file
can be checked sample by sample: emg(c, k) and imu(c, k) below.
"""
import json
import math
import sys
import time

import pylsl

FS_EMG, FS_IMU = 2000, 100
EMG = ["ES_L", "ES_R", "GM_L", "GM_R"]
IMU = ["ACC_X", "ACC_Y", "ACC_Z"]


def emg(c, k):
    return 0.5 * math.sin(2 * math.pi * (37 + 10 * c) * k / FS_EMG) + 0.2 * math.sin(2 * math.pi * 3 * k / FS_EMG + c)


def imu(c, k):
    return math.sin(2 * math.pi * 0.5 * k / FS_IMU + c)


def outlet(name, kind, labels, unit, fs):
    info = pylsl.StreamInfo(name, kind, len(labels), fs, "float32", f"test-{name}")
    channels = info.desc().append_child("channels")
    for label in labels:
        channel = channels.append_child("channel")
        channel.append_child_value("label", label)
        channel.append_child_value("unit", unit)
        channel.append_child_value("type", kind)
    return pylsl.StreamOutlet(info, chunk_size=int(fs * 0.02), max_buffered=60)


def main():
    name, seconds, drop_at = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    pause_at = float(sys.argv[4]) if len(sys.argv) > 4 else -1
    outlets = [(outlet(name, "EMG", EMG, "mV", FS_EMG), FS_EMG, emg, len(EMG)), (outlet(name + "-IMU", "IMU", IMU, "g", FS_IMU), FS_IMU, imu, len(IMU))]
    markers = pylsl.StreamOutlet(pylsl.StreamInfo(name + "-Markers", "Markers", 1, 0, "string", f"test-{name}-markers"))
    waited = time.time()
    # Until a receiver is on one of them, then a moment for one on the other.
    while not any(o.have_consumers() for o, *_ in outlets) and time.time() - waited < 20:
        time.sleep(0.01)
    first = time.time()
    while not all(o.have_consumers() for o, *_ in outlets) and time.time() - first < 0.5:
        time.sleep(0.01)
    t0 = pylsl.local_clock()
    print(json.dumps({"t0": t0}), flush=True)
    sent = [0, 0]
    marked = 0
    drop = range(int(drop_at * FS_EMG), int(drop_at * FS_EMG) + int(0.02 * FS_EMG)) if drop_at >= 0 else range(0)
    while True:
        now = pylsl.local_clock() - t0
        if now > seconds:
            break
        if pause_at >= 0 and pause_at <= now < pause_at + 1.5:
            sent = [int(now * fs) + 1 for _, fs, _, _ in outlets]
            time.sleep(0.02)
            continue
        for index, (o, fs, f, width) in enumerate(outlets):
            due = min(int(now * fs) + 1, int(seconds * fs))
            ks = [k for k in range(sent[index], due) if not (index == 0 and k in drop)]
            if ks:
                o.push_chunk([[f(c, k) for c in range(width)] for k in ks], [t0 + k / fs for k in ks])
            sent[index] = max(sent[index], due)
        while marked / 2 <= now:
            markers.push_sample([f"marker {marked}"], t0 + marked / 2)
            marked += 1
        time.sleep(0.02)
    time.sleep(0.5)


if __name__ == "__main__":
    main()
