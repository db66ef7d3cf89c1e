#!/usr/bin/env python3
"""Rewrites an EDF file as BDF+ (24-bit) with pyedflib, for the BDF benchmark in scripts/bench.

    scripts/edf-to-bdf.py IN.edf OUT.bdf

Each signal keeps its physical range; its digital range becomes the full 24-bit one.
"""
import sys

import pyedflib


def main(source, target):
    with pyedflib.EdfReader(source) as reader:
        headers = reader.getSignalHeaders()
        signals = [reader.readSignal(i) for i in range(reader.signals_in_file)]
    for header in headers:
        header["digital_min"], header["digital_max"] = -8388608, 8388607
    writer = pyedflib.EdfWriter(target, len(headers), file_type=pyedflib.FILETYPE_BDFPLUS)
    try:
        writer.setSignalHeaders(headers)
        writer.writeSamples(signals)
    finally:
        writer.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
