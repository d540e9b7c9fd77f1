#!/usr/bin/python3
"""GDAL's OGCAPI driver against a running tile server's OGC API - Tiles.

Usage: /usr/bin/python3 tests/interop/gdal_ogcapi.py BASE COLLECTION [--out DIR]

  - OGCAPI:BASE follows the landing page to /collections and lists the collections as subdatasets, COLLECTION
    among them;
  - the collection opens with the tile matrix set GDAL picks itself, and again with each map tileset listed at
    /collections/COLLECTION/map/tiles (open option TILEMATRIXSET). GDAL 3.6 cannot project a bounding box that
    reaches the Web Mercator limit (+-85.0511 degrees) or beyond, so for a Web Mercator tileset the bbox clamped
    and projected is passed as MINX/MINY/MAXX/MAXY, as a GDAL user would;
  - each opened dataset has a sane georeferencing (CRS, north-up, extent inside the CRS's world) and RGB(A) bands,
    and a 256 px wide overview and a 256x256 full-resolution window at its centre show data.
GDAL 3.6 reads only OGC TMS 1.0 tiling-scheme documents; the server adds those members to its TMS 2.0 JSON.
"""
import argparse
import json
import math
import os
import re
import sys
import tempfile

from checks import MERCATOR_HALF_WORLD, Tally, extent_inside, http_get, missing_module, pixel_summary, read_window, shows_data

try:
    from osgeo import gdal
except ImportError:
    missing_module("osgeo.gdal", "python3-gdal")

MERCATOR_MAX_LAT = 85.0511287798066
tally = Tally()


def mercator_y(lat):
    lat = max(-MERCATOR_MAX_LAT, min(MERCATOR_MAX_LAT, lat))
    return math.log(math.tan(math.radians(90 + lat) / 2)) * MERCATOR_HALF_WORLD / math.pi


def read_and_check(tag, dataset, out_dir):
    sane, description = extent_inside(dataset)
    print(f"  {tag}: {description}")
    tally.check(sane, f"{tag}: georeferencing sane")
    tally.check(dataset.RasterCount in (3, 4), f"{tag}: RGB(A) bands ({dataset.RasterCount})")
    for mode in ("overview", "centre"):
        try:
            pixels = read_window(dataset, mode)
        except RuntimeError as error:
            tally.check(False, f"{tag}: {mode} read", str(error))
            continue
        share, colours, _ = pixel_summary(pixels)
        if out_dir:
            path = os.path.join(out_dir, re.sub(r"[^A-Za-z0-9]+", "_", f"{tag}_{mode}") + ".tif")
            gdal.GetDriverByName("GTiff").Create(path, pixels.shape[-1], pixels.shape[-2], pixels.shape[0], gdal.GDT_Byte).WriteRaster(
                0, 0, pixels.shape[-1], pixels.shape[-2], pixels.tobytes())
        tally.check(shows_data(pixels), f"{tag}: {mode} read shows data ({100 * share:.0f}% visible, {colours} colours)")


def open_collection(tag, name, options, out_dir):
    try:
        dataset = gdal.OpenEx(name, gdal.OF_RASTER, open_options=options)
    except RuntimeError as error:
        hint = " (GDAL 3.6 needs OGC TMS 1.0 members in the tiling scheme)" if "tiling matrix set" in str(error) else ""
        tally.check(False, f"{tag}: GDAL opens the collection", str(error) + hint)
        return
    tally.check(True, f"{tag}: GDAL opens the collection {' '.join(options)}".rstrip())
    read_and_check(tag, dataset, out_dir)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("collection")
    parser.add_argument("--out", help="folder for the images read")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    gdal.UseExceptions()
    print(f"GDAL {gdal.__version__} OGCAPI driver against {base}, collection {args.collection}")
    with tempfile.TemporaryDirectory(prefix="gdal-ogcapi-") as folder:
        gdal.SetConfigOption("GDAL_DEFAULT_WMS_CACHE_PATH", os.path.join(folder, "cache"))
        gdal.SetConfigOption("GDAL_HTTP_TIMEOUT", "60")
        try:
            landing = gdal.Open(f"OGCAPI:{base}")
            names = [v for k, v in landing.GetMetadata("SUBDATASETS").items() if k.endswith("_NAME")]
        except RuntimeError as error:
            names = []
            print(f"  {error}")
        for name in names:
            print(f"  {name}")
        tally.check(len(names) > 0, f"landing page: {len(names)} collection(s) listed as subdatasets")
        name = next((n for n in names if n.endswith(f"/collections/{args.collection}")), None)
        tally.check(name is not None, f"collection {args.collection} listed")
        name = name or f"OGCAPI:{base}/collections/{args.collection}"

        open_collection(f"{args.collection} (GDAL's choice)", name, [], args.out)

        status, _, body = http_get(f"{base}/collections/{args.collection}/map/tiles", {"Accept": "application/json"})
        tilesets = json.loads(body).get("tilesets", []) if status == 200 else []
        tally.check(len(tilesets) > 0, f"{len(tilesets)} tileset(s) listed at /collections/{args.collection}/map/tiles", str(status))
        status, _, body = http_get(f"{base}/collections/{args.collection}", {"Accept": "application/json"})
        west, south, east, north = json.loads(body)["extent"]["spatial"]["bbox"][0][:4] if status == 200 else (-180, -90, 180, 90)
        for tileset in tilesets:
            tms = (tileset.get("tileMatrixSetURI") or "").rstrip("/").split("/")[-1] or next(
                (link["href"].rstrip("/").split("/")[-1] for link in tileset.get("links", [])
                 if link.get("rel", "").endswith("tiling-scheme")), "")
            if tileset.get("dataType") != "map" or not tms:
                print(f"  tileset {tms or '?'} ({tileset.get('dataType')}): not a map tileset")
                continue
            options = [f"TILEMATRIXSET={tms}"]
            crs = json.dumps(tileset.get("crs", ""))
            if ("3857" in crs or "WebMercator" in tms) and max(abs(south), abs(north)) >= 85.0511:
                options += [f"MINX={west * MERCATOR_HALF_WORLD / 180}", f"MINY={mercator_y(south)}",
                            f"MAXX={east * MERCATOR_HALF_WORLD / 180}", f"MAXY={mercator_y(north)}"]
                print(f"  {tms}: bbox {west},{south},{east},{north} clamped to +-{MERCATOR_MAX_LAT:.4f} as MINX/MINY/MAXX/MAXY")
            open_collection(f"{args.collection} {tms}", name, options, args.out)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
