#!/usr/bin/python3
"""A synthetic global float32 field for the load benchmark's scientific workload, written twice with the same values:
a tiled GeoTIFF for the GDAL baseline and a Zarr v2 store (xarray/CF layout: lat/lon coordinates, grid_mapping) for
our server.

Usage: /usr/bin/python3 bench/load/make_field.py OUT_DIR [--width 3600] [--height 1800] [--chunk 512]
Writes OUT_DIR/field.tif and OUT_DIR/field.zarr (variable `field`). Values are a smooth pattern between about -5 and
35 (a sea-surface-temperature-like range) with a NaN hole where there is no data; deterministic, no randomness.
"""
import argparse
import json
import os
import sys

import numpy as np
from osgeo import gdal

gdal.UseExceptions()

WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
             'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
             'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]')


def field(width, height):
    lon = -180 + (np.arange(width) + 0.5) * 360.0 / width
    lat = 90 - (np.arange(height) + 0.5) * 180.0 / height
    lo, la = np.meshgrid(np.radians(lon), np.radians(lat))
    values = (15 + 18 * np.cos(la) ** 2 - 8 * np.sin(3 * lo) * np.cos(2 * la) + 2 * np.sin(17 * lo + 11 * la)).astype(np.float32)
    # A hole without data (a "continent"): the tiles must mask it, as real SST grids do.
    values[(np.abs(np.degrees(la) - 20) < 25) & (np.abs(np.degrees(lo) + 100) < 30)] = np.nan
    return lon, lat, values


def write_json(path, document):
    with open(path, "w") as f:
        json.dump(document, f, indent=1)


def write_array(root, name, data, chunks, dims, attrs, fill):
    folder = os.path.join(root, name)
    os.makedirs(folder, exist_ok=True)
    write_json(os.path.join(folder, ".zarray"), {
        "zarr_format": 2, "shape": list(data.shape), "chunks": list(chunks), "dtype": data.dtype.str,
        "compressor": None, "fill_value": fill, "order": "C", "filters": None})
    write_json(os.path.join(folder, ".zattrs"), {"_ARRAY_DIMENSIONS": dims, **attrs})
    if data.ndim == 0:
        with open(os.path.join(folder, "0"), "wb") as f:
            f.write(data.tobytes())
        return
    grid = [range(0, s, c) for s, c in zip(data.shape, chunks)]
    for index in np.ndindex(*[len(g) for g in grid]):
        starts = [g[i] for g, i in zip(grid, index)]
        block = np.full(chunks, np.nan if data.dtype.kind == "f" else 0, dtype=data.dtype)
        part = data[tuple(slice(s, s + c) for s, c in zip(starts, chunks))]
        block[tuple(slice(0, n) for n in part.shape)] = part
        with open(os.path.join(folder, ".".join(str(i) for i in index)), "wb") as f:
            f.write(block.tobytes())


def consolidate(root):
    # .zmetadata, as xarray's to_zarr(consolidated=True) writes it: the server reads a v2 hierarchy from it.
    metadata = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if name in (".zgroup", ".zarray", ".zattrs"):
                key = os.path.relpath(os.path.join(folder, name), root)
                with open(os.path.join(folder, name)) as f:
                    metadata[key] = json.load(f)
    write_json(os.path.join(root, ".zmetadata"), {"zarr_consolidated_format": 1, "metadata": metadata})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--width", type=int, default=3600)
    parser.add_argument("--height", type=int, default=1800)
    parser.add_argument("--chunk", type=int, default=512)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    lon, lat, values = field(args.width, args.height)

    tif = gdal.GetDriverByName("GTiff").Create(os.path.join(args.out, "field.tif"), args.width, args.height, 1,
                                               gdal.GDT_Float32, ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256"])
    tif.SetGeoTransform((-180, 360.0 / args.width, 0, 90, 0, -180.0 / args.height))
    tif.SetProjection(WGS84_WKT)
    band = tif.GetRasterBand(1)
    band.SetNoDataValue(float("nan"))
    band.WriteArray(values)
    tif = None

    root = os.path.join(args.out, "field.zarr")
    os.makedirs(root, exist_ok=True)
    write_json(os.path.join(root, ".zgroup"), {"zarr_format": 2})
    write_json(os.path.join(root, ".zattrs"), {"title": "synthetic float32 field (bench/load/make_field.py)"})
    write_array(root, "lon", lon, (args.width,), ["lon"], {"standard_name": "longitude", "units": "degrees_east"}, "NaN")
    write_array(root, "lat", lat, (args.height,), ["lat"], {"standard_name": "latitude", "units": "degrees_north"}, "NaN")
    write_array(root, "spatial_ref", np.array(0, dtype="<i4"), (), [],
                {"crs_wkt": WGS84_WKT, "grid_mapping_name": "latitude_longitude"}, 0)
    write_array(root, "field", values, (args.chunk, args.chunk), ["lat", "lon"],
                {"grid_mapping": "spatial_ref", "units": "degree_C", "long_name": "synthetic field"}, "NaN")
    consolidate(root)
    print(f"wrote {args.out}/field.tif and {args.out}/field.zarr ({args.width}x{args.height} float32)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
