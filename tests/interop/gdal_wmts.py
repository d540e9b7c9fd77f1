#!/usr/bin/python3
"""GDAL's WMTS driver against a running tile server, as a GDAL or QGIS user would open it.

Usage: /usr/bin/python3 tests/interop/gdal_wmts.py BASE [--out DIR]

For the RESTful capabilities (BASE/wmts/1.0.0/WMTSCapabilities.xml), the KVP GetCapabilities, and a local copy of
the KVP capabilities without ResourceURL elements (GDAL prefers REST whenever a template exists, so only that copy
makes it send KVP GetTile requests):
  - GDAL opens the document and lists layers x tile matrix sets (x styles) as subdatasets;
  - every subdataset of the first layer opens with an extent inside its tile matrix set (a layer whose
    WGS84BoundingBox reaches +-90 without an EPSG:3857 ows:BoundingBox becomes a ~50,000 px tall raster);
  - a 256x256 window at full resolution at the centre and a 256 px wide overview of the whole layer show data.
For the first layer with a <Dimension> of several values (time), two copies of the capabilities whose <Default> is
the first and the last value are opened (the driver always requests the Default): both read, and their pixels
differ. GDAL's LocationInfo (gdallocationinfo) at the centre of the first layer sends GetFeatureInfo through the
FeatureInfo ResourceURL and gets the /point values of that place.
"""
import argparse
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET

from checks import Tally, extent_inside, http_get, missing_module, pixel_summary, read_window, shows_data

try:
    from osgeo import gdal
except ImportError:
    missing_module("osgeo.gdal", "python3-gdal")

NS = {"wmts": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}
tally = Tally()


def subdatasets(dataset):
    return [name for key, name in dataset.GetMetadata("SUBDATASETS").items() if key.endswith("_NAME")]


def option(name, key):
    match = re.search(rf",{key}=([^,]*)", name)
    return match.group(1) if match else ""


def save(array, out_dir, name):
    if out_dir and array is not None:
        driver = gdal.GetDriverByName("MEM")
        bands = 1 if array.ndim == 2 else array.shape[0]
        mem = driver.Create("", array.shape[-1], array.shape[-2], bands, gdal.GDT_Byte)
        for b in range(bands):
            mem.GetRasterBand(b + 1).WriteArray(array if array.ndim == 2 else array[b])
        gdal.GetDriverByName("PNG").CreateCopy(os.path.join(out_dir, name + ".png"), mem)


def check_document(label, source, out_dir):
    print(f"== {label}: WMTS:{source}")
    try:
        root = gdal.Open(f"WMTS:{source}")
    except RuntimeError as error:
        tally.check(False, f"{label}: GDAL opens the capabilities", str(error))
        return
    tally.check(root is not None, f"{label}: GDAL opens the capabilities")
    names = subdatasets(root) or [f"WMTS:{source}"]
    for name in names:
        print(f"  {name}")
    tally.check(len(names) > 0, f"{label}: {len(names)} layer/tile matrix set dataset(s)")
    layer = option(names[0], "layer")
    for name in [n for n in names if option(n, "layer") == layer]:
        tag = f"{label} {layer} {option(name, 'tilematrixset') or '-'} {option(name, 'style') or ''}".rstrip()
        try:
            dataset = gdal.Open(name)
        except RuntimeError as error:
            tally.check(False, f"{tag}: opens", str(error))
            continue
        inside, description = extent_inside(dataset)
        print(f"  {tag}: {description}, {dataset.GetRasterBand(1).GetOverviewCount()} overviews")
        tally.check(inside, f"{tag}: extent inside the tile matrix set", description)
        for mode in ("centre", "overview"):
            try:
                pixels = read_window(dataset, mode)
            except RuntimeError as error:
                tally.check(False, f"{tag}: {mode} read", str(error))
                continue
            share, colours, _ = pixel_summary(pixels)
            save(pixels, out_dir, re.sub(r"[^A-Za-z0-9]+", "_", f"{tag}_{mode}"))
            tally.check(shows_data(pixels), f"{tag}: {mode} read shows data ({100 * share:.0f}% visible, {colours} colours)")


def without_resource_urls(base, folder):
    status, _, body = http_get(f"{base}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities")
    if status != 200:
        return None
    text, count = re.subn(r"<ResourceURL\b[^>]*?(/>|>.*?</ResourceURL>)", "", body.decode("utf-8"), flags=re.S)
    print(f"  KVP copy: {count} ResourceURL element(s) removed")
    path = os.path.join(folder, "kvp-only.xml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def check_dimension(base, folder, out_dir):
    status, _, body = http_get(f"{base}/wmts/1.0.0/WMTSCapabilities.xml")
    if not tally.check(status == 200, f"capabilities fetched for the dimension check ({status})"):
        return
    text = body.decode("utf-8")
    found = [(layer, dimension) for layer in ET.fromstring(body).findall("wmts:Contents/wmts:Layer", NS)
             for dimension in layer.findall("wmts:Dimension", NS) if len(dimension.findall("wmts:Value", NS)) > 1]
    if not found:
        print("  no layer has a <Dimension> with several values: nothing to switch")
        return
    layer_element, dimension = found[0]
    ident = dimension.findtext("ows:Identifier", namespaces=NS)
    values = [v.text for v in dimension.findall("wmts:Value", NS)]
    layer = layer_element.findtext("ows:Identifier", namespaces=NS)
    print(f"  layer {layer}, dimension {ident}: {len(values)} values, {values[0]} .. {values[-1]}")
    images = []
    for i, value in enumerate((values[0], values[-1])):
        def set_default(block, value=value):
            if re.search(rf"<ows:Identifier>\s*{re.escape(ident)}\s*</ows:Identifier>", block.group(0)):
                return re.sub(r"<Default>.*?</Default>", f"<Default>{value}</Default>", block.group(0), flags=re.S)
            return block.group(0)
        path = os.path.join(folder, f"dimension-{i}.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(re.sub(r"<Dimension>.*?</Dimension>", set_default, text, flags=re.S))
        names = subdatasets(gdal.Open(f"WMTS:{path}"))
        name = next((n for n in names if option(n, "layer") == layer), f"WMTS:{path},layer={layer}")
        try:
            pixels = read_window(gdal.Open(name), "overview")
        except RuntimeError as error:
            tally.check(False, f"{ident}={value}: read", str(error))
            return
        save(pixels, out_dir, f"dimension_{i}")
        tally.check(shows_data(pixels), f"{ident}={value}: overview shows data")
        images.append(pixels)
    tally.check((images[0] != images[1]).any(), f"{ident}={values[0]} and {ident}={values[-1]} give different pixels")


def check_location_info(base):
    """GDAL's LocationInfo on a WMTS layer sends GetFeatureInfo (the FeatureInfo ResourceURL); the JSON is /point's."""
    import json
    dataset = gdal.Open(f"WMTS:{base}/wmts/1.0.0/WMTSCapabilities.xml")
    names = subdatasets(dataset) or [f"WMTS:{base}/wmts/1.0.0/WMTSCapabilities.xml"]
    layer = gdal.Open(names[0])
    gt = layer.GetGeoTransform()
    x, y = layer.RasterXSize // 2, layer.RasterYSize // 2
    text = layer.GetRasterBand(1).GetMetadataItem(f"Pixel_{x}_{y}", "LocationInfo") or ""
    match = re.search(r"<LocationInfo>(.*)</LocationInfo>", text, re.S)
    try:
        info = json.loads(match.group(1)) if match else None
    except ValueError:
        info = None
    if not tally.check(info is not None and info.get("values"), f"{option(names[0], 'layer')}: LocationInfo gets GetFeatureInfo JSON", text[:300]):
        return
    name = option(names[0], "layer")
    dataset_id, variable = name.split(".", 1)
    shared = {k: v for k, v in info["values"][0]["dims"].items() if all(e["dims"].get(k) == v for e in info["values"])}
    sel = "".join(f"&sel={k}={v}" for k, v in shared.items())
    status, _, body = http_get(f"{base}/datasets/{dataset_id}/point?lon={info['lon']!r}&lat={info['lat']!r}&variable={variable}{sel}")
    point = json.loads(body) if status == 200 else {}
    tally.check(point.get("values") == info["values"], f"{name}: LocationInfo values equal /point's at ({info['lon']:.5f}, {info['lat']:.5f})",
                f"{info['values']} vs {point}")
    print(f"  pixel {x},{y} of {layer.RasterXSize}x{layer.RasterYSize}, geotransform {gt}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--out", help="folder for the PNGs read")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    gdal.UseExceptions()
    print(f"GDAL {gdal.__version__} WMTS driver against {base}")
    with tempfile.TemporaryDirectory(prefix="gdal-wmts-") as folder:
        gdal.SetConfigOption("GDAL_DEFAULT_WMS_CACHE_PATH", os.path.join(folder, "cache"))
        gdal.SetConfigOption("GDAL_HTTP_TIMEOUT", "60")
        gdal.SetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none")
        check_document("REST", f"{base}/wmts/1.0.0/WMTSCapabilities.xml", args.out)
        check_document("KVP", f"{base}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", args.out)
        kvp_only = without_resource_urls(base, folder)
        if tally.check(kvp_only is not None, "KVP capabilities fetched for the GetTile-only copy"):
            check_document("KVP GetTile", kvp_only, args.out)
        check_dimension(base, folder, args.out)
        check_location_info(base)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
