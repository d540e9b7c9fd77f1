#!/usr/bin/python3
"""Writes N distinct WMS 1.3.0 GetMap paths for the load scripts, one per line.

Usage: /usr/bin/python3 bench/load/wms_urls.py --layer ID.VARIABLE -n N [--size 1024] [--crs EPSG:3857] [--seed 42] [-o FILE]

Each map is SIZE x SIZE pixels of PNG in Web Mercator (EPSG:3857) or CRS:84, centred at a random place within
±60° latitude, with a cell size drawn between those of WebMercatorQuad zooms 1 and 4 (so a z0-z3 pyramid answers
every map from one of its levels, mostly magnified). The same arguments always give the same file.
"""
import argparse
import math
import random
import sys

HALF = 20037508.342789244


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--layer", required=True)
    parser.add_argument("-n", type=int, required=True)
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--crs", default="EPSG:3857", choices=["EPSG:3857", "CRS:84"])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    paths = []
    for _ in range(args.n):
        zoom = rng.uniform(1, 4)
        cell = 2 * HALF / 256 / 2 ** zoom
        lon, lat = rng.uniform(-150, 150), rng.uniform(-60, 60)
        x, y = lon / 180 * HALF, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi * HALF
        half = cell * args.size / 2
        if args.crs == "EPSG:3857":
            box = (x - half, y - half, x + half, y + half)
        else:
            degrees = half / HALF * 180
            box = (lon - degrees, max(-90, lat - degrees / 2), lon + degrees, min(90, lat + degrees / 2))
        bbox = ",".join(f"{v:.3f}" for v in box)
        paths.append(f"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={args.layer}&STYLES=&CRS={args.crs}&BBOX={bbox}"
                     f"&WIDTH={args.size}&HEIGHT={args.size}&FORMAT=image/png&TRANSPARENT=TRUE")
    out = open(args.output, "w", encoding="ascii") if args.output else sys.stdout
    out.write("".join(p + "\n" for p in paths))
    if args.output:
        out.close()
    print(f"{len(paths)} GetMap paths, {args.size} px, {args.crs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
