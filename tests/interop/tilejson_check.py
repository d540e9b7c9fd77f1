#!/usr/bin/python3
"""A running server's TileJSON documents against the TileJSON 3.0.0 specification, then tiles from their template.

Usage: /usr/bin/python3 tests/interop/tilejson_check.py BASE DATASET [--out DIR]

For BASE/tiles/DATASET/tilejson.json and BASE/tiles/DATASET/WebMercatorQuad/tilejson.json:
  - 200, a JSON content type and Access-Control-Allow-Origin (web maps fetch it cross-origin);
  - the members the specification requires (tilejson "3.x.y", tiles: a non-empty array of absolute http(s) URLs
    with {z}, {x}, {y}) and the types and ranges of the optional ones (name, description, version, attribution,
    template, legend, scheme, minzoom/maxzoom, bounds, center, fillzoom, vector_layers, grids, data);
  - tiles from the template at minzoom and at the middle zoom (the tile under the centre and its east and south
    neighbours inside the bounds): 200 (204 = empty), a content type that matches the bytes, decoding (Pillow)
    to a square of the tile size (or a multiple), and the minzoom centre tile not fully transparent;
  - a query given to the TileJSON (rescale=0,10) is carried into its tiles template;
  - an unknown dataset's TileJSON is a 404.
"""
import argparse
import io
import json
import math
import os
import re
import sys
import urllib.parse

from checks import Tally, http_get, missing_module

try:
    from PIL import Image
except ImportError:
    missing_module("PIL", "python3-pil")

ORIGIN = {"Origin": "http://localhost"}
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
tally = Tally()


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate(doc, label):
    """Checks the members of a TileJSON 3.0.0 document; returns its first tiles URL or None."""
    if not tally.check(isinstance(doc, dict), f"{label}: a JSON object"):
        return None
    version = doc.get("tilejson")
    tally.check(isinstance(version, str) and re.fullmatch(r"3\.\d+\.\d+", version) is not None, f"{label}: tilejson '{version}' is 3.x.y")
    tiles = doc.get("tiles")
    tiles_ok = isinstance(tiles, list) and len(tiles) > 0 and all(isinstance(t, str) for t in tiles)
    tally.check(tiles_ok, f"{label}: tiles is a non-empty array of strings", repr(tiles)[:200])
    if tiles_ok:
        tally.check(all(t.startswith(("http://", "https://")) for t in tiles), f"{label}: tiles are absolute http(s) URLs")
        tally.check(all(all(p in t for p in ("{z}", "{x}", "{y}")) for t in tiles), f"{label}: tiles carry {{z}}, {{x}}, {{y}}")
    for key in ("name", "description", "version", "attribution", "template", "legend"):
        if key in doc:
            tally.check(isinstance(doc[key], str), f"{label}: {key} is a string")
    if isinstance(doc.get("version"), str):
        tally.check(re.fullmatch(r"\d+\.\d+\.\d+.*", doc["version"]) is not None, f"{label}: version '{doc['version']}' is semver")
    if "scheme" in doc:
        tally.check(doc["scheme"] in ("xyz", "tms"), f"{label}: scheme '{doc['scheme']}' is xyz or tms")
    minzoom, maxzoom = doc.get("minzoom", 0), doc.get("maxzoom", 30)
    tally.check(is_int(minzoom) and 0 <= minzoom <= 30, f"{label}: minzoom {minzoom} is an integer in 0..30")
    tally.check(is_int(maxzoom) and 0 <= maxzoom <= 30, f"{label}: maxzoom {maxzoom} is an integer in 0..30")
    if is_int(minzoom) and is_int(maxzoom):
        tally.check(minzoom <= maxzoom, f"{label}: minzoom <= maxzoom")
    bounds = doc.get("bounds", [-180, -85.05112877980659, 180, 85.0511287798066])
    bounds_ok = isinstance(bounds, list) and len(bounds) == 4 and all(is_number(v) for v in bounds)
    tally.check(bounds_ok, f"{label}: bounds {bounds} are four numbers")
    if bounds_ok:
        w, s, e, n = bounds
        tally.check(-180 <= w <= 180 and -180 <= e <= 180 and -90 <= s < n <= 90, f"{label}: bounds in range, south < north")
    if "center" in doc:
        center = doc["center"]
        center_ok = isinstance(center, list) and len(center) == 3 and all(is_number(v) for v in center)
        tally.check(center_ok, f"{label}: center {center} is [lon, lat, zoom]")
        if center_ok and bounds_ok:
            w, s, e, n = bounds
            lon_inside = w <= center[0] <= e if w <= e else (center[0] >= w or center[0] <= e)
            tally.check(lon_inside and s <= center[1] <= n, f"{label}: center inside bounds")
            if is_int(minzoom) and is_int(maxzoom):
                tally.check(minzoom <= center[2] <= maxzoom, f"{label}: center zoom within minzoom..maxzoom")
    if "fillzoom" in doc:
        tally.check(is_int(doc["fillzoom"]) and 0 <= doc["fillzoom"] <= 30, f"{label}: fillzoom is an integer in 0..30")
    for key in ("vector_layers", "grids", "data"):
        if key in doc:
            tally.check(isinstance(doc[key], list), f"{label}: {key} is an array")
    if isinstance(doc.get("vector_layers"), list):
        tally.check(all(isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("fields"), dict)
                        for v in doc["vector_layers"]), f"{label}: vector_layers entries have id and fields")
    return tiles[0] if tiles_ok else None


def tile_of(lon, lat, z):
    lat = max(-85.0511287798, min(85.0511287798, lat))
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(n - 1, max(0, x)), min(n - 1, max(0, y))


def fetch_tile(template, z, x, y, scheme, size, label, must_show, out_dir):
    row = 2 ** z - 1 - y if scheme == "tms" else y
    url = template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(row))
    status, headers, data = http_get(url, ORIGIN)
    tag = f"{label} tile {z}/{x}/{y}"
    if status == 204:
        tally.check(not must_show, f"{tag}: 204 (empty tile)", url)
        return
    if not tally.check(status == 200, f"{tag}: 200", f"{status} {url} {data[:200]!r}"):
        return
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # noqa: BLE001
        tally.check(False, f"{tag}: decodes as an image", repr(error))
        return
    content_type = headers.get("Content-Type", "").split(";")[0].strip()
    tally.check(content_type == CONTENT_TYPES.get(image.format), f"{tag}: Content-Type {content_type} matches the {image.format} bytes")
    width, height = image.size
    tally.check(width == height and width in (size, 2 * size, 3 * size, 4 * size), f"{tag}: {width}x{height} {image.mode}")
    if must_show:
        tally.check(image.convert("RGBA").getchannel("A").getextrema()[1] > 0, f"{tag}: not fully transparent")
    if out_dir:
        with open(os.path.join(out_dir, f"{label.replace(' ', '_')}_{z}_{x}_{y}.{image.format.lower()}"), "wb") as f:
            f.write(data)


def check_document(url, label, query, out_dir):
    print(f"== {label}: {url}")
    status, headers, body = http_get(url, ORIGIN)
    if not tally.check(status == 200, f"{label}: 200", f"{status} {body[:200]!r}"):
        return
    tally.check("json" in headers.get("Content-Type", ""), f"{label}: JSON content type ({headers.get('Content-Type')})")
    tally.check(headers.get("Access-Control-Allow-Origin") in ("*", ORIGIN["Origin"]), f"{label}: Access-Control-Allow-Origin set")
    try:
        doc = json.loads(body)
    except ValueError as error:
        tally.check(False, f"{label}: parses as JSON", repr(error))
        return
    print("  " + json.dumps({k: doc.get(k) for k in ("tilejson", "tiles", "minzoom", "maxzoom", "bounds", "center")})[:400])
    template = validate(doc, label)
    if not template:
        return
    scheme = doc.get("scheme", "xyz")
    size = int(doc.get("tileSize", 256))
    minzoom, maxzoom = doc.get("minzoom", 0), doc.get("maxzoom", 22)
    w, s, e, n = doc.get("bounds", [-180, -85.0511, 180, 85.0511])
    center = doc.get("center") or [(w + e) / 2, (s + n) / 2, minzoom]
    for z in sorted({minzoom, (minzoom + maxzoom) // 2}):
        x, y = tile_of(center[0], center[1], z)
        (x_min, y_max), (x_max, y_min) = tile_of(w, s, z), tile_of(e, n, z)
        fetch_tile(template, z, x, y, scheme, size, label, z == minzoom, out_dir)
        for nx, ny in ((x + 1, y), (x, y + 1)):
            if x_min <= nx <= x_max and y_min <= ny <= y_max:
                fetch_tile(template, z, nx, ny, scheme, size, label, False, out_dir)
    if query:
        status, _, body = http_get(url + ("&" if "?" in url else "?") + query, ORIGIN)
        carried = json.loads(body)["tiles"][0] if status == 200 else ""
        wanted = urllib.parse.parse_qsl(query)
        got = urllib.parse.parse_qsl(urllib.parse.urlsplit(carried).query)
        tally.check(all(p in got for p in wanted), f"{label}: ?{query} is carried into the tiles template", carried)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("dataset")
    parser.add_argument("--out", help="folder for the tiles fetched")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    print(f"TileJSON 3.0.0 check against {base}, dataset {args.dataset}")
    check_document(f"{base}/tiles/{args.dataset}/tilejson.json", "tilejson", "rescale=0,10", args.out)
    check_document(f"{base}/tiles/{args.dataset}/WebMercatorQuad/tilejson.json", "tilejson WebMercatorQuad", "", args.out)
    status, _, _ = http_get(f"{base}/tiles/no-such-dataset/tilejson.json")
    tally.check(status == 404, f"an unknown dataset's TileJSON is a 404 ({status})")
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
