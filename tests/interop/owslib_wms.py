#!/usr/bin/python3
"""OWSLib's WebMapService against a running tile server's WMS 1.3.0.

Usage: /usr/bin/python3 tests/interop/owslib_wms.py BASE [--out DIR]

  - OWSLib parses the capabilities: service WMS 1.3.0, GetMap and GetFeatureInfo with their formats, layers with a
    valid WGS84 box, CRS:84/EPSG:4326/EPSG:3857 among their CRSs, a default style, queryable;
  - for the first three layers: getmap in CRS:84 (PNG, transparent) decodes at the requested size and shows data;
    the same area in EPSG:4326 (OWSLib writes the BBOX latitude first) gives the same pixels; JPEG and WebP decode;
  - the first layer whose time dimension has several values (OWSLib reads it into timepositions): the first and the
    last time give different maps; a second dimension (elevation) is passed through too;
  - getfeatureinfo (application/json) at a pixel answers the /point values at the longitude and latitude of that
    pixel's centre;
  - an unknown layer raises OWSLib's ServiceException carrying the LayerNotDefined report.
"""
import argparse
import io
import json
import os
import re
import sys

from checks import Tally, http_get, missing_module

try:
    from owslib.wms import WebMapService
    from owslib.util import ServiceException
except ImportError:
    missing_module("owslib", "python3-owslib")
try:
    import numpy as np
    from PIL import Image
except ImportError:
    missing_module("PIL/numpy", "python3-pil python3-numpy")

tally = Tally()


def decode(data):
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
        return image
    except Exception:  # noqa: BLE001 - any decoder failure is the finding
        return None


def shows_data(image):
    array = np.asarray(image.convert("RGBA"))
    visible = array[..., 3] > 0
    return visible.any() and len(np.unique(array[visible][:, :3], axis=0)) > 1


def getmap(wms, tag, out_dir, **kwargs):
    try:
        response = wms.getmap(**kwargs)
        data = response.read()
    except Exception as error:  # noqa: BLE001
        tally.check(False, f"{tag}: getmap", repr(error)[:300])
        return None
    image = decode(data)
    if image is not None and out_dir:
        image.save(os.path.join(out_dir, re.sub(r"[^A-Za-z0-9.-]+", "_", tag) + ".png"))
    return image


def check_layer(wms, name, out_dir):
    layer = wms.contents[name]
    west, south, east, north = layer.boundingBoxWGS84
    tally.check(-180 <= west < east <= 180 and -90 <= south < north <= 90, f"{name}: WGS84 box valid", str(layer.boundingBoxWGS84))
    tally.check({"CRS:84", "EPSG:4326", "EPSG:3857"} <= set(layer.crsOptions), f"{name}: CRS:84, EPSG:4326 and EPSG:3857 offered")
    tally.check("default" in layer.styles and layer.queryable == 1, f"{name}: a default style, queryable ({list(layer.styles)[:4]})")
    size = (240, 120)
    common = dict(layers=[name], styles=[""], size=size, transparent=True)
    crs84 = getmap(wms, f"{name} CRS:84", out_dir, srs="CRS:84", bbox=(west, south, east, north), format="image/png", **common)
    tally.check(crs84 is not None and crs84.size == size and shows_data(crs84), f"{name}: CRS:84 PNG {size[0]}x{size[1]} shows data")
    epsg4326 = getmap(wms, f"{name} EPSG:4326", out_dir, srs="EPSG:4326", bbox=(west, south, east, north), format="image/png", **common)
    same = crs84 is not None and epsg4326 is not None and np.array_equal(np.asarray(crs84.convert("RGBA")), np.asarray(epsg4326.convert("RGBA")))
    tally.check(same, f"{name}: EPSG:4326 (latitude-first BBOX) gives the CRS:84 pixels")
    for image_format in ("image/jpeg", "image/webp"):
        image = getmap(wms, f"{name} {image_format}", out_dir, srs="CRS:84", bbox=(west, south, east, north), format=image_format, **common)
        tally.check(image is not None and image.size == size, f"{name}: {image_format} decodes at {size[0]}x{size[1]}")


def check_time(wms, out_dir):
    timed = [n for n, l in wms.contents.items() if len(l.timepositions or []) > 1]
    if not timed:
        print("  no layer has a time dimension with several values: nothing to switch")
        return
    name = timed[0]
    layer = wms.contents[name]
    first, last = layer.timepositions[0], layer.timepositions[-1]
    extra = {}
    dimensions = getattr(layer, "dimensions", {}) or {}
    if "elevation" in dimensions:
        extra["elevation"] = dimensions["elevation"]["values"][-1]
    images = [getmap(wms, f"{name} time {t}", out_dir, layers=[name], styles=[""], srs="CRS:84", bbox=layer.boundingBoxWGS84, size=(90, 90),
                     format="image/png", transparent=True, time=t, **extra) for t in (first, last)]
    tally.check(all(i is not None and shows_data(i) for i in images), f"{name}: maps at TIME={first} and {last} {extra} show data")
    tally.check(images[0] is not None and images[1] is not None and not np.array_equal(np.asarray(images[0]), np.asarray(images[1])),
                f"{name}: the two times give different maps")


def check_feature_info(wms, base, name):
    layer = wms.contents[name]
    west, south, east, north = layer.boundingBoxWGS84
    width, height, i, j = 200, 100, 137, 41
    try:
        response = wms.getfeatureinfo(layers=[name], styles=[""], srs="CRS:84", bbox=(west, south, east, north), size=(width, height), format="image/png",
                                      query_layers=[name], xy=(i, j), info_format="application/json")
        info = json.loads(response.read())
    except Exception as error:  # noqa: BLE001
        tally.check(False, f"{name}: getfeatureinfo", repr(error)[:300])
        return
    lon, lat = west + (i + 0.5) * (east - west) / width, north - (j + 0.5) * (north - south) / height
    tally.check(abs(info["lon"] - lon) < 1e-9 and abs(info["lat"] - lat) < 1e-9, f"{name}: feature info at the pixel centre ({lon:.6f}, {lat:.6f})",
                f"{info['lon']}, {info['lat']}")
    dataset, variable = name.split(".", 1)
    shared = {k: v for k, v in info["values"][0]["dims"].items() if all(e["dims"].get(k) == v for e in info["values"])} if info["values"] else {}
    sel = "".join(f"&sel={k}={v}" for k, v in shared.items())
    status, _, body = http_get(f"{base}/datasets/{dataset}/point?lon={info['lon']!r}&lat={info['lat']!r}&variable={variable}{sel}")
    point = json.loads(body) if status == 200 else {}
    tally.check(bool(info["values"]) and point.get("values") == info["values"], f"{name}: feature info values equal /point's", f"{info['values']} vs {point}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--out", help="folder for the maps fetched")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    import owslib
    print(f"OWSLib {owslib.__version__} WebMapService against {base}/wms")
    try:
        wms = WebMapService(f"{base}/wms", version="1.3.0", timeout=60)
    except Exception as error:  # noqa: BLE001
        tally.check(False, "OWSLib parses the capabilities", repr(error))
        return tally.close()
    tally.check(wms.identification.type == "WMS" and wms.identification.version == "1.3.0", "service is WMS 1.3.0",
                f"{wms.identification.type} {wms.identification.version}")
    operations = {op.name: op for op in wms.operations}
    tally.check({"GetMap", "GetFeatureInfo"} <= set(operations), f"operations {list(operations)}")
    tally.check("image/png" in operations["GetMap"].formatOptions, f"GetMap formats {operations['GetMap'].formatOptions}")
    tally.check("application/json" in operations["GetFeatureInfo"].formatOptions, f"GetFeatureInfo formats {operations['GetFeatureInfo'].formatOptions}")
    names = [n for n, l in wms.contents.items() if l.name]
    if tally.check(len(names) > 0, f"{len(names)} named layers"):
        for name in names[:3]:
            check_layer(wms, name, args.out)
        check_time(wms, args.out)
        check_feature_info(wms, base, names[0])
    try:
        wms.getmap(layers=["no-such.layer"], styles=[""], srs="CRS:84", bbox=(-10, -10, 10, 10), size=(64, 64), format="image/png")
        tally.check(False, "an unknown layer is refused", "a map came back")
    except ServiceException as error:
        tally.check("LayerNotDefined" in str(error), "an unknown layer raises ServiceException with LayerNotDefined", str(error)[:200])
    except Exception as error:  # noqa: BLE001
        tally.check(False, "an unknown layer raises ServiceException", repr(error)[:200])
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
