#!/usr/bin/python3
"""OWSLib's WebMapTileService against a running tile server's WMTS.

Usage: /usr/bin/python3 tests/interop/owslib_wmts.py BASE [--tiles N] [--out DIR]

For the RESTful capabilities and the KVP GetCapabilities:
  - OWSLib parses the document: service identification (OGC WMTS 1.0.0), GetTile in the operations metadata,
    layers and tile matrix sets; every set has matrices of positive size with decreasing scale denominators, and
    WebMercatorQuad (when declared) has the well-known first matrix;
  - for the first three layers: a valid WGS84BoundingBox, image formats, links only to declared sets;
  - on up to two linked sets, N tiles chosen inside the layer's TileMatrixSetLimits, fetched with OWSLib's gettile
    (KVP) and through the REST ResourceURL template (dimensions filled with their Default): 200, an image type,
    bytes that Pillow decodes to the matrix's tile size;
  - a tile outside the matrix is refused with a 4xx, never a tile or a 5xx.
OWSLib 0.27 (Debian 12) does not parse <Dimension>, so dimension defaults are read from the XML.
"""
import argparse
import io
import os
import random
import re
import sys
import xml.etree.ElementTree as ET

from checks import Tally, http_get, missing_module

try:
    from owslib.wmts import WebMapTileService
except ImportError:
    missing_module("owslib", "python3-owslib")
try:
    from PIL import Image
except ImportError:
    missing_module("PIL", "python3-pil")

NS = {"wmts": "http://www.opengis.net/wmts/1.0", "ows": "http://www.opengis.net/ows/1.1"}
WEB_MERCATOR_Z0_SCALE = 559082264.0287178
tally = Tally()


def decodes(data, size):
    """(ok, description): the bytes are an image of the given size."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # noqa: BLE001 - any decoder failure is the finding
        return False, f"not an image ({error})"
    description = f"{image.format} {image.size[0]}x{image.size[1]} {image.mode}"
    return tuple(image.size) == tuple(size), description


def dimension_defaults(xml, layer_id):
    root = ET.fromstring(xml)
    for layer in root.findall("wmts:Contents/wmts:Layer", NS):
        if layer.findtext("ows:Identifier", namespaces=NS) == layer_id:
            return {d.findtext("ows:Identifier", namespaces=NS): d.findtext("wmts:Default", namespaces=NS)
                    for d in layer.findall("wmts:Dimension", NS)}
    return {}


def tiles_inside(layer, tms_id, tms, count, rng):
    """(matrix, row, col) picks inside the layer's limits, over the coarsest six matrices."""
    limits = getattr(layer.tilematrixsetlinks[tms_id], "tilematrixlimits", {}) or {}
    matrices = sorted(tms.tilematrix.values(), key=lambda m: -m.scaledenominator)[:6]
    picks = []
    for i in range(count):
        matrix = matrices[i % len(matrices)]
        limit = limits.get(matrix.identifier)
        if limit is None:
            rows, cols = (0, matrix.matrixheight - 1), (0, matrix.matrixwidth - 1)
        else:
            rows, cols = (limit.mintilerow, limit.maxtilerow), (limit.mintilecol, limit.maxtilecol)
        picks.append((matrix, rng.randint(*rows), rng.randint(*cols)))
    return picks


def check_service(label, url, count, out_dir, rng):
    print(f"== {label}: {url}")
    try:
        wmts = WebMapTileService(url, timeout=60)
    except Exception as error:  # noqa: BLE001
        tally.check(False, f"{label}: OWSLib parses the capabilities", repr(error))
        return
    tally.check(True, f"{label}: OWSLib parses the capabilities")
    ident = wmts.identification
    tally.check("WMTS" in (ident.type or "").upper() and ident.version == "1.0.0",
                f"{label}: service is OGC WMTS 1.0.0", f"{ident.type} {ident.version}")
    tally.check("GetTile" in [op.name for op in wmts.operations], f"{label}: GetTile in the operations metadata")
    layers = list(wmts.contents)
    print(f"  layers {layers}; tile matrix sets {list(wmts.tilematrixsets)}")
    tally.check(len(layers) > 0, f"{label}: layers declared")
    tally.check(len(wmts.tilematrixsets) > 0, f"{label}: tile matrix sets declared")
    for tms_id, tms in wmts.tilematrixsets.items():
        matrices = list(tms.tilematrix.values())
        scales = [m.scaledenominator for m in matrices]
        well_formed = bool(matrices) and all(min(m.tilewidth, m.tileheight, m.matrixwidth, m.matrixheight) > 0 for m in matrices)
        tally.check(well_formed and all(a > b for a, b in zip(scales, scales[1:])),
                    f"{label}: {tms_id} ({len(matrices)} matrices) well-formed, scales decreasing")
        if tms_id == "WebMercatorQuad":
            first = matrices[0]
            tally.check(abs(first.scaledenominator / WEB_MERCATOR_Z0_SCALE - 1) < 1e-6 and first.matrixwidth == 1
                        and first.tilewidth == 256 and abs(first.topleftcorner[0] + 20037508.3427892) < 1
                        and abs(first.topleftcorner[1] - 20037508.3427892) < 1,
                        f"{label}: WebMercatorQuad matrix 0 is the well-known one",
                        f"scale {first.scaledenominator}, top-left {first.topleftcorner}")
    xml = wmts.getServiceXML()
    for layer_id in layers[:3]:
        layer = wmts.contents[layer_id]
        bbox = layer.boundingBoxWGS84
        tally.check(bbox is not None and -180.0001 <= bbox[0] < bbox[2] <= 180.0001 and -90.0001 <= bbox[1] < bbox[3] <= 90.0001,
                    f"{label} {layer_id}: WGS84BoundingBox valid", str(bbox))
        tally.check(any(f.startswith("image/") for f in layer.formats), f"{label} {layer_id}: image formats {layer.formats}")
        links = list(layer.tilematrixsetlinks)
        tally.check(bool(links) and all(t in wmts.tilematrixsets for t in links), f"{label} {layer_id}: links to declared sets {links}")
        style = next((name for name, s in layer.styles.items() if s.get("isDefault")), None) or next(iter(layer.styles), "default")
        image_format = "image/png" if "image/png" in layer.formats else layer.formats[0]
        dimensions = dimension_defaults(xml, layer_id)
        templates = [r["template"] for r in layer.resourceURLs or [] if r.get("resourceType") == "tile"]
        for tms_id in links[:2]:
            for matrix, row, col in tiles_inside(layer, tms_id, wmts.tilematrixsets[tms_id], count, rng):
                tag = f"{label} {layer_id} {tms_id} {matrix.identifier}/{row}/{col}"
                size = (matrix.tilewidth, matrix.tileheight)
                try:
                    response = wmts.gettile(layer=layer_id, tilematrixset=tms_id, tilematrix=matrix.identifier, row=row,
                                            column=col, format=image_format, style=style, **dimensions)
                    data = response.read()
                    content_type = response.info().get("Content-Type", "")
                    ok, description = decodes(data, size)
                    tally.check(ok and content_type.startswith("image/"), f"{tag}: KVP GetTile -> {content_type} {description}")
                    if ok and out_dir:
                        with open(os.path.join(out_dir, f"{label}_{layer_id}_{tms_id}_{matrix.identifier}_{row}_{col}.img"), "wb") as f:
                            f.write(data)
                except Exception as error:  # noqa: BLE001
                    tally.check(False, f"{tag}: KVP GetTile", repr(error)[:300])
                for template in templates[:1]:
                    tile_url = template
                    for key, value in {"TileMatrixSet": tms_id, "TileMatrix": matrix.identifier, "TileRow": str(row),
                                       "TileCol": str(col), "Style": style, **dimensions}.items():
                        tile_url = tile_url.replace("{" + key + "}", value)
                    status, headers, data = http_get(tile_url)
                    content_type = headers.get("Content-Type", "") if headers else ""
                    ok, description = decodes(data, size) if status == 200 else (False, data[:200])
                    tally.check(ok and content_type.startswith("image/"), f"{tag}: REST {status} {content_type} {description}", tile_url)
        matrix = list(wmts.tilematrixsets[links[0]].tilematrix.values())[0]
        try:
            wmts.gettile(layer=layer_id, tilematrixset=links[0], tilematrix=matrix.identifier, row=matrix.matrixheight + 5,
                         column=matrix.matrixwidth + 5, format=image_format, style=style, **dimensions)
            tally.check(False, f"{label} {layer_id}: a tile outside the matrix is refused", "a tile came back")
        except Exception as error:  # noqa: BLE001 - OWSLib raises on any error status
            text = str(error)
            tally.check(re.match(r"4\d\d\b", text) is not None, f"{label} {layer_id}: a tile outside the matrix is refused with a 4xx ({text[:60]})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--tiles", type=int, default=4, help="tiles per layer and tile matrix set")
    parser.add_argument("--out", help="folder for the tiles fetched")
    args = parser.parse_args()
    base = args.base.rstrip("/")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    import owslib
    print(f"OWSLib {owslib.__version__} against {base}")
    rng = random.Random(1)
    check_service("REST", f"{base}/wmts/1.0.0/WMTSCapabilities.xml", args.tiles, args.out, rng)
    check_service("KVP", f"{base}/wmts?SERVICE=WMTS&REQUEST=GetCapabilities", args.tiles, args.out, rng)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
