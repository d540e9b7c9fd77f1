#!/usr/bin/python3
"""Regenerate the embedded colormap tables (one JSON file per map, 256 RGBA entries).

Sources (Debian packages, see SOURCES.md):
  * matplotlib maps from python3-matplotlib (apt-get install -y python3-matplotlib)
  * cmocean maps from the GMT CPT copies in gmt-common (apt-get install -y gmt-common),
    /usr/share/gmt/cpt/cmocean/*.cpt: 256 constant-colour slices each, 8-bit RGB.

Usage: /usr/bin/python3 make_colormaps.py [--cmocean-dir DIR] [--out DIR]
Run it with Debian's python (a pyenv python3 does not see Debian's matplotlib).
"""
import argparse
import json
import os
import re

import matplotlib
import numpy as np

# matplotlib name -> our lowercase name
MATPLOTLIB_MAPS = {
    "viridis": "viridis", "plasma": "plasma", "inferno": "inferno", "magma": "magma",
    "cividis": "cividis", "turbo": "turbo", "gray": "gray", "Greys": "greys",
    "terrain": "terrain", "coolwarm": "coolwarm", "RdBu": "rdbu", "RdYlBu": "rdylbu",
    "Spectral": "spectral", "BrBG": "brbg", "PuOr": "puor", "YlGnBu": "ylgnbu",
    "Blues": "blues", "Reds": "reds", "Greens": "greens", "jet": "jet",
}

# cmocean's own "gray" would collide with matplotlib's; matplotlib's is the one TiTiler users expect.
CMOCEAN_SKIP = {"gray"}

ENTRY = re.compile(r"^\s*([0-9.eE+-]+)\s+(\d+)/(\d+)/(\d+)\s+([0-9.eE+-]+)\s+(\d+)/(\d+)/(\d+)\s*$")


def hexes(rgba_bytes):
    return ["#%02x%02x%02x%02x" % tuple(int(v) for v in row) for row in rgba_bytes]


def matplotlib_table(mpl_name):
    cmap = matplotlib.colormaps[mpl_name].resampled(256)
    rgba = cmap(np.arange(256))
    # Round (not truncate as cmap(..., bytes=True) does) so endpoints match the published hex values,
    # e.g. viridis(1.0) = #fde725.
    return np.clip(np.round(rgba * 255.0), 0, 255).astype(np.uint8)


def cpt_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            m = ENTRY.match(line)
            if m is None:
                continue  # B/F/N lines (background, foreground, nan colours)
            rows.append((int(m.group(2)), int(m.group(3)), int(m.group(4)), 255))
    if len(rows) != 256:
        raise SystemExit(f"{path}: expected 256 slices, found {len(rows)}")
    return np.array(rows, dtype=np.uint8)


def write(out_dir, name, source, table):
    doc = {"name": name, "source": source, "colors": hexes(table)}
    with open(os.path.join(out_dir, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=0, separators=(",", ":"))
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--cmocean-dir", default="/usr/share/gmt/cpt/cmocean")
    ap.add_argument("--out", default=here)
    args = ap.parse_args()

    for mpl_name, name in MATPLOTLIB_MAPS.items():
        write(args.out, name, f"matplotlib {matplotlib.__version__} '{mpl_name}'", matplotlib_table(mpl_name))

    for fn in sorted(os.listdir(args.cmocean_dir)):
        if not fn.endswith(".cpt"):
            continue
        name = fn[:-4].lower()
        if name in CMOCEAN_SKIP:
            continue
        write(args.out, name, f"cmocean via GMT 6.4 cpt/cmocean/{fn}", cpt_table(os.path.join(args.cmocean_dir, fn)))


if __name__ == "__main__":
    main()
