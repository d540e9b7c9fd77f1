#!/usr/bin/python3
"""Writes rescale_numpy.json: float32 values and the uint8 indices NumPy produces for them with
rio-tiler's linear rescale (clip, subtract min, divide by (max - min), times 255, astype uint8),
all in float32 as NumPy computes on float32 arrays. Run with Debian's /usr/bin/python3 (python3-numpy)."""
import json
import os

import numpy as np

CASES = [(0.0, 0.8), (-2.0, 32.0), (271.15, 305.65), (0.0, 10000.0)]


def main():
    rng = np.random.default_rng(20261127)
    cases = []
    for lo, hi in CASES:
        # values right at the 1/255 step boundaries, where float rounding decides the index, plus random ones
        steps = (lo + (hi - lo) * np.arange(256) / 255.0).astype(np.float32)
        near = np.concatenate([np.nextafter(steps, np.float32(-np.inf)), steps, np.nextafter(steps, np.float32(np.inf))])
        rand = rng.uniform(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo), 400).astype(np.float32)
        values = np.concatenate([near, rand]).astype(np.float32)
        img = np.clip(values, lo, hi) - lo
        img = img / float(hi - lo)
        img = img * 255
        assert img.dtype == np.float32
        expected = img.astype(np.uint8)
        cases.append({"min": lo, "max": hi,
                      "values": [float(v) for v in values],
                      "expected": [int(v) for v in expected]})
    doc = {"numpy": np.__version__, "cases": cases}
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rescale_numpy.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))


if __name__ == "__main__":
    main()
