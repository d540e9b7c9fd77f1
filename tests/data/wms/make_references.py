#!/usr/bin/python3
"""Reference maps for the WMS GetMap tests, made by GDAL and zarr-python from the repository's GeoZarr fixtures.

Usage: /usr/bin/python3 tests/data/wms/make_references.py      (from anywhere; rewrites ref/ and catalog.json here)
Needs (Debian 12): python3-zarr, python3-gdal, python3-numpy, gdal-bin (gdalwarp).

For each case the script
  1. reads the source level with zarr-python and decodes it as CF says (scale_factor/add_offset, _FillValue or the
     array's fill value -> NaN) into float32;
  2. writes that array into an uncompressed float32 GeoTIFF with the level's geotransform and CRS (a scratch file);
  3. warps it with `gdalwarp -t_srs <CRS> -te <GIS-order bounds> -ts W H -r <near|bilinear> -et 0 -ot Float32
     -dstnodata nan` into the requested map and saves the result as .npy (row 0 = north edge, NaN = nodata).
`-et 0` transforms every pixel exactly. The source level is the one a tile server must read for the map: the
coarsest level whose cell is no larger than the map's cell at its centre (the finest when none is), stated per case.
"native" cases need no warp: the map is an exact window of the stored grid, so the reference is that window as
zarr-python decodes it.
The WMS request of each case (BBOX in the axis order WMS 1.3.0 gives the CRS) and the exact gdalwarp command go
into catalog.json.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np
import zarr
from osgeo import gdal, osr

HERE = os.path.dirname(os.path.abspath(__file__))
GEOZARR = os.path.normpath(os.path.join(HERE, "..", "geozarr"))
MERCATOR = 20037508.342789244


def decoded(array, index):
    """CF-decoded float32 of array[index]: fill value -> NaN, then scale_factor/add_offset."""
    raw = array[index]
    fill = array.attrs.get("_FillValue", array.fill_value)
    values = raw.astype(np.float64)
    if fill is not None:
        values[raw == fill] = np.nan
    values = values * array.attrs.get("scale_factor", 1.0) + array.attrs.get("add_offset", 0.0)
    return values.astype(np.float32)


def sources():
    """Source levels: name -> (store path relative to tests/data, array path, index, EPSG code, geotransform)."""
    tas = ("geozarr/global-4326/global-4326.zarr", "tas")
    return {
        "tas_t0": (*tas, (0, slice(None), slice(None)), 4326, (-180.0, 1.0, 0.0, 90.0, 0.0, -1.0)),
        "tas_t3": (*tas, (3, slice(None), slice(None)), 4326, (-180.0, 1.0, 0.0, 90.0, 0.0, -1.0)),
        "utm_r200m": ("geozarr/utm-native-pyramid/utm-native-pyramid.zarr", "r200m/reflectance", (slice(None), slice(None)), 32633,
                      (399960.0, 200.0, 0.0, 5300040.0, 0.0, -200.0)),
        "pyramid_2": ("geozarr/webmercator-pyramid/pyramid-geozarr.zarr", "2/band", (slice(None), slice(None)), 3857,
                      (-MERCATOR, 2 * MERCATOR / 1024, 0.0, MERCATOR, 0.0, -2 * MERCATOR / 1024)),
        "pyramid_3": ("geozarr/webmercator-pyramid/pyramid-geozarr.zarr", "3/band", (slice(None), slice(None)), 3857,
                      (-MERCATOR, 2 * MERCATOR / 2048, 0.0, MERCATOR, 0.0, -2 * MERCATOR / 2048)),
    }


# name: layer, source level, WMS CRS, GIS-order bounds (xmin, ymin, xmax, ymax), width, height, method, extra query, why.
WARPED = [
    ("tas_4326_near", "global4326.tas", "tas_t0", "EPSG:4326", (-150, -60, 120, 75), 300, 150, "near", "",
     "EPSG:4326: BBOX in latitude, longitude order; the nodata block at 10..30N 40..70E"),
    ("tas_4326_t3_near", "global4326.tas", "tas_t3", "EPSG:4326", (-150, -60, 120, 75), 300, 150, "near", "TIME=2000-04-01T00:00:00Z",
     "TIME selects the fourth time step (all lat < -60 nodata there)"),
    ("tas_3857_near", "global4326.tas", "tas_t0", "EPSG:3857", (-15000000, -8000000, 15000000, 12000000), 300, 200, "near", "",
     "reprojection to Web Mercator, not square"),
    ("tas_3857_bilinear", "global4326.tas", "tas_t0", "EPSG:3857", (-15000000, -8000000, 15000000, 12000000), 300, 200, "bilinear", "resampling=bilinear",
     "bilinear through the tile parameter resampling=; map cells (100 km) finer than the source (1 degree)"),
    ("utm_3035_near", "utm.reflectance", "utm_r200m", "EPSG:3035", (4580000, 2680000, 4680000, 2760000), 320, 256, "near", "",
     "EPSG:3035 has northing first: BBOX is miny,minx,maxy,maxx; 312.5 m cells read level r200m; part of the map outside the scene"),
    ("pyramid_crs84_level2_near", "wmpyramid.band", "pyramid_2", "CRS:84", (-30, -40, 60, 70), 180, 220, "near", "",
     "CRS:84 (longitude first); 0.5 degree cells (55.7 km at the centre) read pyramid level 2 (39.1 km)"),
    ("pyramid_crs84_level3_near", "wmpyramid.band", "pyramid_3", "CRS:84", (0, -10, 30, 10), 300, 200, "near", "",
     "0.1 degree cells (11.1 km), finer than every level: the finest level 3 (19.6 km)"),
]

# name: layer, store, array, index, WMS CRS, row/col window, geotransform, why (values equal the stored ones).
NATIVE = [
    ("utm_native_window", "utm.reflectance", "geozarr/utm-native-pyramid/utm-native-pyramid.zarr", "r100m/reflectance", (), "EPSG:32633",
     (100, 300, 200, 456), (399960.0, 100.0, 5300040.0, -100.0), "the data's own CRS at its own resolution: rows 100-299, columns 200-455 of r100m"),
    ("tas_native_window", "global4326.tas", "geozarr/global-4326/global-4326.zarr", "tas", (0,), "CRS:84",
     (50, 110, 150, 230), (-180.0, 1.0, 90.0, -1.0), "CRS:84 at the grid's 1 degree: rows 50-109, columns 150-229 of time 0"),
]


def wms_bbox(crs, bounds):
    srs = osr.SpatialReference()
    srs.SetFromUserInput("OGC:CRS84" if crs == "CRS:84" else crs)
    xmin, ymin, xmax, ymax = bounds
    # WMS 1.3.0: the CRS's own axis order (EPSG:4326 and EPSG:3035 are northing first; CRS:84 and EPSG:3857 are not).
    if srs.EPSGTreatsAsLatLong() or srs.EPSGTreatsAsNorthingEasting():
        return [ymin, xmin, ymax, xmax]
    return [xmin, ymin, xmax, ymax]


def write_source(folder, name, spec):
    store, path, index, epsg, transform = spec
    values = decoded(zarr.open_group(os.path.join(HERE, "..", store), mode="r")[path], index)
    tif = os.path.join(folder, name + ".tif")
    dataset = gdal.GetDriverByName("GTiff").Create(tif, values.shape[1], values.shape[0], 1, gdal.GDT_Float32)
    dataset.SetGeoTransform(transform)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    dataset.SetProjection(srs.ExportToWkt())
    band = dataset.GetRasterBand(1)
    band.SetNoDataValue(float("nan"))
    band.WriteArray(values)
    dataset = None
    return tif, epsg


def main():
    gdal.UseExceptions()
    os.makedirs(os.path.join(HERE, "ref"), exist_ok=True)
    catalog = {
        "written_by": {"gdal": gdal.__version__, "zarr": zarr.__version__, "numpy": np.__version__, "python": sys.version.split()[0]},
        "script": "tests/data/wms/make_references.py",
        "cases": [],
    }
    with tempfile.TemporaryDirectory(prefix="wms-ref-") as folder:
        made = {name: write_source(folder, name, spec) for name, spec in sources().items()}
        for name, layer, source, crs, bounds, width, height, method, extra, why in WARPED:
            tif, epsg = made[source]
            out = os.path.join(folder, name + "_out.tif")
            target = "OGC:CRS84" if crs == "CRS:84" else crs
            command = ["gdalwarp", "-q", "-overwrite", "-t_srs", target, "-te", *[repr(float(b)) for b in bounds], "-ts", str(width), str(height),
                       "-r", method, "-et", "0", "-ot", "Float32", "-dstnodata", "nan", "-of", "GTiff", os.path.basename(tif), "out.tif"]
            subprocess.run(command[:-2] + [tif, out], check=True)
            values = gdal.Open(out).ReadAsArray().astype(np.float32)
            np.save(os.path.join(HERE, "ref", name + ".npy"), values)
            source_spec = sources()[source]
            catalog["cases"].append({
                "name": name, "file": f"ref/{name}.npy", "layer": layer, "crs": crs, "bbox": wms_bbox(crs, bounds), "bounds_gis_order": list(bounds),
                "width": width, "height": height, "method": method, "query": extra, "why": why,
                "source": {"store": source_spec[0], "array": source_spec[1], "index": str(source_spec[2]), "epsg": epsg, "geotransform": list(source_spec[4])},
                "command": " ".join(shlex.quote(c) for c in command), "valid": int(np.isfinite(values).sum()),
            })
        for name, layer, store, path, lead, crs, (r0, r1, c0, c1), (x0, dx, y0, dy), why in NATIVE:
            array = zarr.open_group(os.path.join(HERE, "..", store), mode="r")[path]
            values = decoded(array, (*lead, slice(r0, r1), slice(c0, c1)))
            np.save(os.path.join(HERE, "ref", name + ".npy"), values)
            bounds = (x0 + c0 * dx, y0 + r1 * dy, x0 + c1 * dx, y0 + r0 * dy)
            catalog["cases"].append({
                "name": name, "file": f"ref/{name}.npy", "layer": layer, "crs": crs, "bbox": wms_bbox(crs, bounds), "bounds_gis_order": list(bounds),
                "width": c1 - c0, "height": r1 - r0, "method": "native", "query": "", "why": why,
                "source": {"store": store, "array": path, "index": str((*lead, f"{r0}:{r1}", f"{c0}:{c1}"))},
                "command": f"zarr.open_group({store!r})[{path!r}][{', '.join(map(str, lead))}{', ' if lead else ''}{r0}:{r1}, {c0}:{c1}], CF-decoded to float32",
                "valid": int(np.isfinite(values).sum()),
            })
    with open(os.path.join(HERE, "catalog.json"), "w", encoding="utf-8") as f:
        json.dump(catalog, f, indent=1)
        f.write("\n")
    for case in catalog["cases"]:
        print(f"{case['name']}: {case['width']}x{case['height']} {case['crs']} bbox {case['bbox']}, {case['valid']} valid")


if __name__ == "__main__":
    main()
