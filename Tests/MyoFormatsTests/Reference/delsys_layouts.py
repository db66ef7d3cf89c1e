#!/usr/bin/env python3
"""Writes one small CSV per Delsys export layout, with closed-form samples, for DelsysLayoutTests.

    python3 Tests/MyoFormatsTests/Reference/delsys_layouts.py

The layouts (preamble lines, sensor and sensor-mode rows, channel cells, rate rows, separators,
link-device columns with '-1 Hz', empty cells where a slower channel has ended) follow public
exports of Trigno Discover 1.4.2, 1.5.0, 1.6.4 (basic, with link devices, EMG only) and 1.7.0,
and of EMGworks, as kept in the test fixtures of github.com/praneethnamburi/delsys. Only their
structure is reproduced; every value here is computed below, so the test can check each one:

    channel c of the file, sample n, rate fs:  value = round(A_c * sin(2 pi f_c n / fs) + B_c, 7)

with (A_c, f_c, B_c) from `wave(c)`. Each channel holds round(duration x fs) samples.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures", "delsys")
DURATION = 0.1  # seconds: 126 samples at 1259.2593 Hz, 15 at 148.1481 Hz, 7 at 74.0741 Hz

TRIGNO = {k: k * 1000 / 27 for k in (2, 4, 14, 34, 52, 58, 60)}  # Hz; 58 -> 2148.1481


def wave(c):
    return 0.5 + 0.1 * (c % 5), 7.0 + c, -0.02 * (c % 3)


def value(c, n, fs):
    a, f, b = wave(c)
    return round(a * math.sin(2 * math.pi * f * n / fs) + b, 7)


def count(fs):
    return int(round(DURATION * fs))


def hz(rate):
    return "-1 Hz" if rate == -1 else "%.4f Hz" % rate


def columns_of(channels):
    """channels: [(rate)] -> [[values]] per channel, each its own length."""
    return [[value(c, n, fs) for n in range(count(fs))] for c, fs in enumerate(channels)]


def number(x):
    text = ("%.7f" % x).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def write(name, lines, expect):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        f.write("\r\n".join(lines) + "\r\n")
    return {name: expect}


def rows(cols, sep, time_rates=None):
    """Data rows: a column's cells are empty once its samples end (as Delsys writes them).
    time_rates: when given, each value column is preceded by its time column."""
    length = max(len(c) for c in cols)
    out = []
    for n in range(length):
        cells = []
        for i, col in enumerate(cols):
            if time_rates is not None:
                fs = time_rates[i]
                cells.append(number(n / fs) if n < len(col) else "")
            cells.append(number(col[n]) if n < len(col) else "")
        out.append(sep.join(cells))
    return out


def spread(names, widths, sep):
    cells = []
    for name, width in zip(names, widths):
        cells += [name] + [""] * (width - 1)
    return sep.join(cells)


def discover_header(version, date, sensors, modes, widths):
    """A Discover export's first five lines: application, date, length, sensor row, mode row."""
    return ["Application:, Trigno Discover (%s)" % version, "Date/Time:, %s" % date, "Collection Length (seconds):, %.6f" % DURATION,
            spread(sensors, widths, ", "), spread(modes, widths, ", ")]


def as_written(rates):
    """Rates as a rate row writes them (four decimals)."""
    return [float("%.4f" % r) for r in rates]


def expectation(names, units, rates, cols):
    return [{"name": n, "unit": u, "rate": r, "count": len(c), "first": c[0], "last": c[-1], "index": len(c) // 2, "at": c[len(c) // 2]}
            for n, u, r, c in zip(names, units, rates, cols)]


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    emg1259, acc148, emg1926, acc74 = TRIGNO[34], TRIGNO[4], TRIGNO[52], TRIGNO[2]

    # Discover 1.4.2: rates inside the channel cells, whole hertz, no units, ", " separators.
    rates = [emg1259, acc148, acc148, acc148, emg1259, acc148, acc148, acc148]
    cols = columns_of(rates)
    cells = ["EMG 1 (1259Hz)", "ACC X (148Hz)", "ACC Y (148Hz)", "ACC Z (148Hz)"] * 2
    lines = discover_header("1.4.2", "4/12/2022 5:23:09 PM", ["EMG 01 04498 (54717)", "EMG 02 04284 (55240)"], ["sensor mode: 55"] * 2, [4, 4]) \
        + [", ".join(cells)] + rows(cols, ", ")
    names = [f"EMG 0{s} {serial}: {ch}" for s, serial in ((1, "04498"), (2, "04284")) for ch in ("EMG 1", "ACC X", "ACC Y", "ACC Z")]
    expected.update(write("discover-1.4.2.csv", lines, expectation(names, ["", "", "", ""] * 2, rates, cols)))

    # Discover 1.5.0: units in the channel cells, a rate row, ", " separators, an analog input.
    rates = [emg1259, acc148, acc148, emg1259, TRIGNO[60] * 2]
    cols = columns_of(rates)
    lines = discover_header("1.5.0", "10/8/2022 9:03:20 AM", ["EMG 01 04498 (54717)", "EMG 02 04284 (55240)", "Analog 10 00125 (62202)"],
                   ["sensor mode: 55", "sensor mode: 55", "sensor mode: 423"], [3, 1, 1]) \
        + ["EMG 1 (mV), ACC X (G), ACC Y (G), EMG 1 (mV), Analog 1 (V)", ", ".join(hz(r) for r in rates)] + rows(cols, ", ")
    names = ["EMG 01 04498: EMG 1", "EMG 01 04498: ACC X", "EMG 01 04498: ACC Y", "EMG 02 04284: EMG 1", "Analog 10 00125: Analog 1"]
    expected.update(write("discover-1.5.0.csv", lines, expectation(names, ["mV", "g", "g", "mV", "V"], as_written(rates), cols)))

    # Discover 1.6.4 basic: "," separators, an FSR adapter in %.
    rates = [emg1926, acc74, TRIGNO[14], TRIGNO[14]]
    cols = columns_of(rates)
    lines = discover_header("1.6.4", "12/6/2024 12:37:52 PM", ["EMG 01 04498 (54717)", "FSR 21 00320 (62899)"], ["sensor mode: 45", "sensor mode: 244"], [2, 2]) \
        + ["EMG 1 (mV), ACC X (G), Analog 1 (%), Analog 2 (%)", ", ".join(hz(r) for r in rates)] + rows(cols, ",")
    names = ["EMG 01 04498: EMG 1", "EMG 01 04498: ACC X", "FSR 21 00320: Analog 1", "FSR 21 00320: Analog 2"]
    expected.update(write("discover-1.6.4-basic.csv", lines, expectation(names, ["mV", "g", "%", "%"], as_written(rates), cols)))

    # Discover 1.6.4 with link devices: a time column before each channel, rates ", 1925.9259 Hz",
    # link-device channels at '-1 Hz' with irregular times (left out by the reader).
    rates = [emg1926, acc74]
    cols = columns_of(rates)
    irregular_times = [4.194473, 7.371535, 11.26916]
    lines = discover_header("1.6.4", "12/6/2024 12:37:52 PM", ["EMG 01 04498 (54717)", "VO2 Master  (5)", "HR Strap  (6)"],
                   ["sensor mode: 45", "sensor mode: 0", "sensor mode: 0"], [4, 4, 2]) + [
             "EMG 1 Time Series (s), EMG 1 (mV), ACC X Time Series (s), ACC X (G), Resp. Rate Time Series (s), Resp. Rate (BrPM), Ambient Pressure Time Series (s), Ambient Pressure (), Heart Rate Time Series (s), Heart Rate (BPM)",
             ", " + ", , ".join(hz(r) for r in rates + [-1, -1, -1])]
    body = rows(cols, ", ", rates)
    for n, line in enumerate(body):
        link = ", ".join([number(irregular_times[n]), number(12 + n), "", "", number(0.027162 + n), str(76 + n)] if n < 3 else [""] * 6)
        body[n] = line + ", " + link
    names = ["EMG 01 04498: EMG 1", "EMG 01 04498: ACC X"]
    expected.update(write("discover-1.6.4-link.csv", lines + body, expectation(names, ["mV", "g"], as_written(rates), cols)))

    # Discover 1.6.4, EMG only (an MVC trial): 2148.1481 Hz, link-device columns all empty.
    rates = [TRIGNO[58], TRIGNO[58]]
    cols = columns_of(rates)
    lines = discover_header("1.6.4", "12/6/2024 10:58:32 AM", ["EMG 01 04498 (54717)", "EMG 02 04284 (55240)", "VO2 Master  (0)"],
                   ["sensor mode: 40", "sensor mode: 40", "sensor mode: 0"], [1, 1, 1]) + [
             "EMG 1 (mV), EMG 1 (mV), Calibration Progress (%), Breathing Cycle (Cycle(s))",
             ", ".join(hz(r) for r in rates) + ", -1 Hz, -1 Hz"] + [line + ", , " for line in rows(cols, ", ")]
    names = ["EMG 01 04498: EMG 1", "EMG 02 04284: EMG 1"]
    expected.update(write("discover-1.6.4-emg.csv", lines, expectation(names, ["mV", "mV"], as_written(rates), cols)))

    # Discover 1.7.0: a Quattro sensor (four EMG channels under one sensor name), gyroscopes.
    rates = [emg1259, acc148, acc148, TRIGNO[60], TRIGNO[60], TRIGNO[60], TRIGNO[60]]
    cols = columns_of(rates)
    lines = discover_header("1.7.0", "4/10/2026 12:13:39 PM", ["EMG 01 03558 (88016)", "Quattro 19 01639 (79082)"], ["sensor mode: 55", "sensor mode: 296"], [3, 4]) \
        + ["EMG 1 (mV), ACC X (G), GYRO X (deg/s), EMG 1 (mV), EMG 2 (mV), EMG 3 (mV), EMG 4 (mV)", ", ".join(hz(r) for r in rates)] + rows(cols, ", ")
    names = ["EMG 01 03558: EMG 1", "EMG 01 03558: ACC X", "EMG 01 03558: GYRO X"] + [f"Quattro 19 01639: EMG {k}" for k in range(1, 5)]
    expected.update(write("discover-1.7.0.csv", lines, expectation(names, ["mV", "g", "deg/s", "mV", "mV", "mV", "mV"], as_written(rates), cols)))

    # EMGworks: X[s] before every channel, quoted "SENSOR: CHANNEL" labels, no units, no preamble;
    # times with ten significant digits, as EMGworks writes them. Rates come from the time columns.
    rates = [emg1259, acc148, TRIGNO[60] / 20 * 20]
    cols = columns_of(rates)
    header = 'X[s],"Avanti sensor 1: EMG 1",X[s],"Avanti sensor 1: ACC.X 1",X[s],"Analog Input adapter 12: Analog 12"'
    body = []
    for n in range(max(len(c) for c in cols)):
        cells = []
        for col, fs in zip(cols, rates):
            cells += [("%.10g" % (n / fs)), number(col[n])] if n < len(col) else ["", ""]
        body.append(",".join(cells))
    names = ["Avanti sensor 1: EMG 1", "Avanti sensor 1: ACC.X 1", "Analog Input adapter 12: Analog 12"]
    expected.update(write("emgworks.csv", [header] + body, expectation(names, ["", "", ""], rates, cols)))

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
