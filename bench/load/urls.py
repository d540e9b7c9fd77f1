#!/usr/bin/python3
"""Writes up to N distinct WebMercatorQuad tile paths of a dataset for the load scripts, one per line, in random order.

Usage: /usr/bin/python3 bench/load/urls.py --dataset ID -n N --zooms 1-6 --bounds W,S,E,N [--seed 42] [-o FILE]

Tiles are drawn without repetition from those that intersect the bounds (lon/lat degrees), spread evenly over the
zooms; a zoom with fewer tiles than its share gives all it has and the rest goes to the other zooms. The same
arguments always give the same file. Paths look like /tiles/ID/z/x/y.png.
"""
import argparse
import math
import random
import sys

MAX_LAT = 85.0511287798066


def tile_range(west, south, east, north, z):
    """Inclusive column and row ranges of the zoom-z tiles that intersect the box."""
    n = 2 ** z

    def col(lon):
        return min(n - 1, max(0, int((lon + 180) / 360 * n)))

    def row(lat):
        lat = max(-MAX_LAT, min(MAX_LAT, lat))
        return min(n - 1, max(0, int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)))

    return (col(west), col(east)), (row(north), row(south))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", required=True)
    parser.add_argument("-n", type=int, required=True)
    parser.add_argument("--zooms", required=True, help="first-last, e.g. 1-6")
    parser.add_argument("--bounds", required=True, help="west,south,east,north in degrees")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    first, last = (int(v) for v in args.zooms.split("-"))
    west, south, east, north = (float(v) for v in args.bounds.split(","))
    rng = random.Random(args.seed)

    sizes = {}
    for z in range(first, last + 1):
        (c0, c1), (r0, r1) = tile_range(west, south, east, north, z)
        sizes[z] = (c0, c1, r0, r1, (c1 - c0 + 1) * (r1 - r0 + 1))
    share = dict.fromkeys(sizes, 0)
    left = args.n
    while left > 0:
        open_zooms = [z for z in sizes if share[z] < sizes[z][4]]
        if not open_zooms:
            break
        each = max(1, left // len(open_zooms))
        for z in open_zooms:
            take = min(each, sizes[z][4] - share[z], left)
            share[z] += take
            left -= take

    paths = []
    for z, count in share.items():
        c0, c1, r0, r1, total = sizes[z]
        for index in rng.sample(range(total), count):
            x, y = c0 + index % (c1 - c0 + 1), r0 + index // (c1 - c0 + 1)
            paths.append(f"/tiles/{args.dataset}/{z}/{x}/{y}.png")
    rng.shuffle(paths)
    out = open(args.output, "w", encoding="ascii") if args.output else sys.stdout
    out.write("".join(p + "\n" for p in paths))
    if args.output:
        out.close()
    note = "" if len(paths) == args.n else f" (only {len(paths)} distinct tiles intersect the bounds at these zooms)"
    print(f"{len(paths)} paths{note}: " + " ".join(f"z{z}:{c}" for z, c in share.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
