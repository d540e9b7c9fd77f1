#!/usr/bin/python3
"""GDAL's WMS driver (and the gdal_translate command) against a running tile server's WMS 1.3.0.

Usage: /usr/bin/python3 tests/interop/gdal_wms.py BASE [--out DIR]

  - GDAL opens BASE/wms?SERVICE=WMS&REQUEST=GetCapabilities and lists one subdataset per named layer of the
    capabilities (read here with ElementTree);
  - for the first three subdatasets (CRS:84): the extent is the layer's EX_GeographicBoundingBox, and a 256 px wide
    overview read (GDAL sends GetMap) shows data;
  - axis order: the first layer opened again with CRS=EPSG:4326 and a latitude-first BBOX (GDAL swaps it) gives the
    same PNG pixels as the CRS:84 read of the same area; with EPSG:3857 and the layer's EPSG:3857 BoundingBox it
    shows data;
  - `gdal_translate -outsize 512 256` writes a PNG map of the first layer that reads back at that size with data;
  - GetFeatureInfo through GDAL's LocationInfo (WMS_INFO_FORMAT=application/json; GDAL 3.6 sends the pixel as x/y)
    answers the /point values at the longitude and latitude it reports, which lie within one pixel of the one asked.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from checks import Tally, http_get, missing_module, pixel_summary, read_window, shows_data

try:
    from osgeo import gdal
except ImportError:
    missing_module("osgeo.gdal", "python3-gdal")

NS = {"wms": "http://www.opengis.net/wms"}
tally = Tally()


def capabilities(base):
    status, _, body = http_get(f"{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities")
    if not tally.check(status == 200, f"capabilities fetched ({status})"):
        return None
    return ET.fromstring(body)


def named_layers(root):
    return [layer for layer in root.iter("{http://www.opengis.net/wms}Layer") if layer.find("wms:Name", NS) is not None]


def geographic_box(layer):
    box = layer.find("wms:EX_GeographicBoundingBox", NS)
    return [float(box.findtext(f"wms:{k}", namespaces=NS)) for k in ("westBoundLongitude", "southBoundLatitude", "eastBoundLongitude", "northBoundLatitude")]


def extent(dataset):
    gt = dataset.GetGeoTransform()
    return [gt[0], gt[3] + gt[5] * dataset.RasterYSize, gt[0] + gt[1] * dataset.RasterXSize, gt[3]]


def close(a, b, tolerance):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def save(array, out_dir, name):
    if out_dir and array is not None:
        mem = gdal.GetDriverByName("MEM").Create("", array.shape[-1], array.shape[-2], 1 if array.ndim == 2 else array.shape[0], gdal.GDT_Byte)
        for b in range(mem.RasterCount):
            mem.GetRasterBand(b + 1).WriteArray(array if array.ndim == 2 else array[b])
        gdal.GetDriverByName("PNG").CreateCopy(os.path.join(out_dir, name + ".png"), mem)


def check_layers(base, root, out_dir):
    names = [l.findtext("wms:Name", namespaces=NS) for l in named_layers(root)]
    source = f"WMS:{base}/wms?SERVICE=WMS&REQUEST=GetCapabilities"
    try:
        service = gdal.Open(source)
    except RuntimeError as error:
        tally.check(False, "GDAL opens the WMS capabilities", str(error))
        return []
    subdatasets = [v for k, v in service.GetMetadata("SUBDATASETS").items() if k.endswith("_NAME")]
    listed = [re.search(r"LAYERS=([^&]+)", s).group(1) for s in subdatasets]
    tally.check(sorted(listed) == sorted(names), f"GDAL lists one subdataset per named layer ({len(listed)} of {len(names)})", f"{listed} vs {names}")
    boxes = {l.findtext("wms:Name", namespaces=NS): geographic_box(l) for l in named_layers(root)}
    for name in subdatasets[:3]:
        layer = re.search(r"LAYERS=([^&]+)", name).group(1)
        try:
            dataset = gdal.Open(name + "&FORMAT=image/png")
        except RuntimeError as error:
            tally.check(False, f"{layer}: opens", str(error))
            continue
        tally.check(close(extent(dataset), boxes[layer], 1e-6), f"{layer}: extent is the layer's geographic box", f"{extent(dataset)} vs {boxes[layer]}")
        pixels = read_window(dataset, "overview")
        share, colours, _ = pixel_summary(pixels)
        save(pixels, out_dir, f"gdal_wms_{layer}")
        tally.check(shows_data(pixels), f"{layer}: overview read shows data ({100 * share:.0f}% visible, {colours} colours)")
    return subdatasets


def check_axis_order(base, root, first, out_dir):
    layer = re.search(r"LAYERS=([^&]+)", first).group(1)
    west, south, east, north = [float(v) for v in re.search(r"BBOX=([^&]+)", first).group(1).split(",")]
    crs84 = gdal.Open(first + "&FORMAT=image/png")
    epsg4326 = gdal.Open(f"WMS:{base}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={layer}&CRS=EPSG:4326&BBOX={south!r},{west!r},{north!r},{east!r}&FORMAT=image/png")
    tally.check(close(extent(epsg4326), extent(crs84), 1e-6), f"{layer}: EPSG:4326 (latitude-first BBOX) has the CRS:84 extent", f"{extent(epsg4326)} vs {extent(crs84)}")
    a, b = read_window(crs84, "overview"), read_window(epsg4326, "overview")
    tally.check(a.shape == b.shape and (a == b).all() and shows_data(a), f"{layer}: EPSG:4326 and CRS:84 reads give the same pixels")
    element = next(l for l in named_layers(root) if l.findtext("wms:Name", namespaces=NS) == layer)
    mercator = next((bb for bb in element.findall("wms:BoundingBox", NS) if bb.get("CRS") == "EPSG:3857"), None)
    if tally.check(mercator is not None, f"{layer}: an EPSG:3857 BoundingBox"):
        bbox = ",".join(mercator.get(k) for k in ("minx", "miny", "maxx", "maxy"))
        dataset = gdal.Open(f"WMS:{base}/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={layer}&CRS=EPSG:3857&BBOX={bbox}&FORMAT=image/png")
        pixels = read_window(dataset, "overview")
        save(pixels, out_dir, f"gdal_wms_{layer}_3857")
        tally.check(dataset.GetSpatialRef().GetAuthorityCode(None) == "3857" and shows_data(pixels), f"{layer}: EPSG:3857 read shows data")


def check_translate(first, folder):
    out = os.path.join(folder, "map.png")
    result = subprocess.run(["gdal_translate", "-q", "-of", "PNG", "-outsize", "512", "256", first + "&FORMAT=image/png", out],
                            capture_output=True, text=True, timeout=300)
    if not tally.check(result.returncode == 0, "gdal_translate writes a PNG map", result.stderr.strip()[-300:]):
        return
    png = gdal.Open(out)
    pixels = png.ReadAsArray()
    tally.check((png.RasterXSize, png.RasterYSize) == (512, 256) and shows_data(pixels), f"the PNG is 512x256 and shows data ({png.RasterCount} bands)")


def check_location_info(base, first):
    layer = re.search(r"LAYERS=([^&]+)", first).group(1)
    gdal.SetConfigOption("WMS_INFO_FORMAT", "application/json")
    dataset = gdal.Open(first)
    gt = dataset.GetGeoTransform()
    x, y = dataset.RasterXSize // 3, dataset.RasterYSize // 2
    lon, lat = gt[0] + (x + 0.5) * gt[1], gt[3] + (y + 0.5) * gt[5]
    text = dataset.GetRasterBand(1).GetMetadataItem(f"Pixel_{x}_{y}", "LocationInfo") or ""
    match = re.search(r"<LocationInfo>(.*)</LocationInfo>", text, re.S)
    try:
        info = json.loads(match.group(1)) if match else None
    except ValueError:
        info = None
    if not tally.check(info is not None and info.get("values"), f"{layer}: GDAL LocationInfo gets GetFeatureInfo JSON", text[:300]):
        return
    # GDAL asks for a pixel of the block it would fetch: the answer is that pixel's centre, within one GDAL pixel.
    tally.check(abs(info["lon"] - lon) <= abs(gt[1]) * 1.01 and abs(info["lat"] - lat) <= abs(gt[5]) * 1.01,
                f"{layer}: the feature info location is the pixel asked for", f"{info['lon']},{info['lat']} vs {lon},{lat}")
    dataset_id, variable = layer.split(".", 1)
    # The dimension values every entry shares (the map's TIME etc.) narrow /point to the same entries.
    shared = {k: v for k, v in info["values"][0]["dims"].items() if all(e["dims"].get(k) == v for e in info["values"])}
    sel = "".join(f"&sel={k}={v}" for k, v in shared.items())
    status, _, body = http_get(f"{base}/datasets/{dataset_id}/point?lon={info['lon']!r}&lat={info['lat']!r}&variable={variable}{sel}")
    point = json.loads(body) if status == 200 else {}
    tally.check(point.get("values") == info["values"], f"{layer}: LocationInfo values equal /point's", f"{info['values']} vs {point}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--out", help="folder for the PNGs read")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    gdal.UseExceptions()
    print(f"GDAL {gdal.__version__} WMS driver against {base}")
    with tempfile.TemporaryDirectory(prefix="gdal-wms-") as folder:
        gdal.SetConfigOption("GDAL_DEFAULT_WMS_CACHE_PATH", os.path.join(folder, "cache"))
        gdal.SetConfigOption("GDAL_HTTP_TIMEOUT", "60")
        root = capabilities(base)
        if root is not None:
            subdatasets = check_layers(base, root, args.out)
            if tally.check(len(subdatasets) > 0, "at least one layer to read"):
                check_axis_order(base, root, subdatasets[0], args.out)
                check_translate(subdatasets[0], folder)
                check_location_info(base, subdatasets[0])
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
