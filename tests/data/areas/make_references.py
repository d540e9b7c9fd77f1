#!/usr/bin/python3
"""References for the area, statistics and expression tests, written by numpy, zarr-python and GDAL (never by the
server). Run from this folder with Debian's python: `/usr/bin/python3 make_references.py`. Deterministic.

Reads the repository's fixtures (tests/data/geozarr/global-4326, data/demo/landsat-L7_ETMs.zarr) with zarr-python,
writes the categorical fixture `landcover.zarr`, and computes every expected value with numpy (statistics, expression
results), GDAL's rasteriser (`gdal.RasterizeLayer`, pixel-centre rule, as `gdal_rasterize -burn 1`), OGR polygon
intersections (exact cell coverage) and `gdalwarp` (resampled boxes).
"""
import json
import os
import subprocess
import tempfile

import numpy as np
import zarr
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
GLOBAL = os.path.join(ROOT, "tests", "data", "geozarr", "global-4326", "global-4326.zarr")
LANDSAT = os.path.join(ROOT, "data", "demo", "landsat-L7_ETMs.zarr")
rng = np.random.default_rng(20261204)


def decode(arr):
    a = arr[...]
    attrs = arr.attrs
    fill = arr.fill_value
    # As xarray decodes CF packing with float64 attributes: in double precision, then stored as float32.
    out = a.astype(np.float64)
    if fill is not None:
        out[a == fill] = np.nan
    if "scale_factor" in attrs or "add_offset" in attrs:
        out = out * attrs.get("scale_factor", 1.0) + attrs.get("add_offset", 0.0)
    return out.astype(np.float32)


def save(name, array):
    np.save(os.path.join(HERE, name), array)


# ---------------------------------------------------------------- stored arrays the tests compare native windows with
tas = decode(zarr.open(GLOBAL, mode="r")["tas"])  # (time 4, lat 180, lon 360), north-up, lon -180..180
save("global4326_tas.npy", tas)
landsat = zarr.open(LANDSAT, mode="r")["0/L7_ETMs"][...]  # (band 6, y, x) uint8, north-up
save("landsat_level0.npy", landsat)
with np.errstate(all="ignore"):
    b3f, b4f = landsat[2].astype(np.float32), landsat[3].astype(np.float32)
    ndvi = (b4f - b3f) / (b4f + b3f)
ndvi[~np.isfinite(ndvi)] = np.nan
save("landsat_ndvi_level0.npy", ndvi)  # expression (b4-b3)/(b4+b3) over the stored bands, float32


# ---------------------------------------------------------------- expressions over random planes (numpy, float32)
planes = rng.normal(0, 3, size=(3, 32, 32)).astype(np.float32)
planes[0, :2, :] = np.nan
planes[1, :, :2] = 0
planes[2, 5:9, 5:9] = -np.abs(planes[2, 5:9, 5:9])
save("expression_inputs.npy", planes)
b1, b2, b3 = planes
f = np.float32


def nan_cmp(r, a, b):
    r = r.astype(np.float32)
    r[np.isnan(a) | np.isnan(b)] = np.nan
    return r


def where(c, a, b):
    r = np.where(c != 0, a, b).astype(np.float32)
    r[np.isnan(c)] = np.nan
    return r


with np.errstate(all="ignore"):
    cases = {
        "(b1-b2)/(b1+b2)": (b1 - b2) / (b1 + b2),
        "b1*2.5+b2**2-3": b1 * f(2.5) + b2 ** f(2) - f(3),
        "-b3**2": -(b3 ** f(2)),
        "sqrt(abs(b1))+log(b3)": np.sqrt(np.abs(b1)) + np.log(b3),
        "exp(b2/10)": np.exp(b2 / f(10)),
        "min(b1,b2,b3)": np.minimum(np.minimum(b1, b2), b3),
        "max(b1,0)": np.maximum(b1, f(0)),
        "b1>b2": nan_cmp(b1 > b2, b1, b2),
        "b1<=0": nan_cmp(b1 <= f(0), b1, b1),
        "b2==0": nan_cmp(b2 == f(0), b2, b2),
        "b2!=0": nan_cmp(b2 != f(0), b2, b2),
        "where(b1>=b3,b1-b3,b3*-1)": where(nan_cmp(b1 >= b3, b1, b3), b1 - b3, b3 * f(-1)),
        "b1/b2": b1 / b2,
        "2**3*b3": f(8) * b3,
    }
expected = {}
for k, (expr, value) in enumerate(cases.items()):
    value = np.asarray(value, dtype=np.float32)
    value[~np.isfinite(value)] = np.nan
    save(f"expression_{k}.npy", value)
    expected[expr] = f"expression_{k}.npy"


# ---------------------------------------------------------------- geometry helpers (GDAL/OGR)
def polygon(rings):
    g = ogr.Geometry(ogr.wkbPolygon)
    for ring in rings:
        r = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ring:
            r.AddPoint_2D(float(x), float(y))
        g.AddGeometry(r)
    return g


def window(gt, env, width):
    """Cells of a north-up grid touched by an envelope (minx, miny, maxx, maxy)."""
    c0 = int(np.floor((env[0] - gt[0]) / gt[1] + 1e-9))
    c1 = int(np.ceil((env[2] - gt[0]) / gt[1] - 1e-9))
    r0 = int(np.floor((env[3] - gt[3]) / gt[5] + 1e-9))
    r1 = int(np.ceil((env[1] - gt[3]) / gt[5] - 1e-9))
    return max(r0, 0), max(c0, 0), r1 - max(r0, 0), min(c1, width) - max(c0, 0)


def centre_mask(geom, gt, rows, cols, srs_wkt=None):
    drv = gdal.GetDriverByName("MEM")
    ds = drv.Create("", cols, rows, 1, gdal.GDT_Byte)
    ds.SetGeoTransform(gt)
    if srs_wkt:
        ds.SetProjection(srs_wkt)
    mem = ogr.GetDriverByName("Memory").CreateDataSource("m")
    layer = mem.CreateLayer("p", geom_type=ogr.wkbPolygon)
    feat = ogr.Feature(layer.GetLayerDefn())
    feat.SetGeometry(geom)
    layer.CreateFeature(feat)
    gdal.RasterizeLayer(ds, [1], layer, burn_values=[1])  # pixel-centre rule (ALL_TOUCHED off)
    return ds.ReadAsArray().astype(bool)


def coverage(geom, gt, rows, cols):
    cov = np.zeros((rows, cols))
    cell = abs(gt[1] * gt[5])
    for r in range(rows):
        for c in range(cols):
            x0 = gt[0] + c * gt[1]
            y0 = gt[3] + r * gt[5]
            box = polygon([[(x0, y0), (x0 + gt[1], y0), (x0 + gt[1], y0 + gt[5]), (x0, y0 + gt[5]), (x0, y0)]])
            cov[r, c] = box.Intersection(geom).GetArea() / cell
    return cov


def statistics(values, weights, categorical=False, categories=None, percentiles=(2, 98), bins=10, hrange=None):
    """TiTiler's statistics (rio-tiler get_array_statistics), in float64, over the cells with weight > 0."""
    sel = weights > 0
    v = values[sel].astype(np.float64)
    w = weights[sel].astype(np.float64)
    ok = ~np.isnan(v)
    vv, ww = v[ok], w[ok]
    out = {"valid_pixels": int(ok.sum()), "masked_pixels": int((~ok).sum()),
           "valid_percent": round(ok.sum() / max(sel.sum(), 1) * 100, 2)}
    if vv.size == 0:
        return out
    order = np.argsort(vv, kind="stable")
    cum = np.cumsum(ww[order])

    def q(p):
        return float(vv[order][min(np.searchsorted(cum, p * cum[-1]), vv.size - 1)])

    keys, counts = np.unique(vv, return_counts=True)
    count = ww.sum()
    mean = (vv * ww).sum() / count
    out.update({
        "min": float(vv.min()), "max": float(vv.max()), "mean": float(mean), "count": float(count),
        "sum": float((vv * ww).sum()), "std": float(np.sqrt(np.average((vv - mean) ** 2, weights=ww))),
        "median": q(0.5), "majority": float(keys[np.argmax(counts)]), "minority": float(keys[np.argmin(counts)]),
        "unique": int(keys.size),
    })
    for p in sorted(set(percentiles) | {2, 98}):
        out[f"percentile_{p:g}"] = q(p / 100.0)
    if categorical:
        k = list(categories) if categories else keys.tolist()
        lookup = dict(zip(keys.tolist(), counts.tolist()))
        out["histogram"] = [[lookup.get(float(x), 0) for x in k], [float(x) for x in k]]
    else:
        h, e = np.histogram(vv, bins=bins, range=hrange)
        out["histogram"] = [h.tolist(), e.tolist()]
    return out


GT = (-180.0, 1.0, 0.0, 90.0, 0.0, -1.0)

# The calculator alone: random values (with NaN and ties) and random weights (0 = not selected).
calc_values = np.round(rng.normal(10, 4, size=5000), 1).astype(np.float32)
calc_values[rng.random(5000) < 0.05] = np.nan
calc_weights = np.where(rng.random(5000) < 0.2, 0.0, rng.random(5000)).astype(np.float32)
save("calculator_values.npy", calc_values)
save("calculator_weights.npy", calc_weights)
calculator = {
    "centre": statistics(calc_values, (calc_weights > 0).astype(float), percentiles=(5, 50, 95)),
    "weighted": statistics(calc_values, calc_weights.astype(np.float64), percentiles=(5, 50, 95)),
    "bins": statistics(calc_values, (calc_weights > 0).astype(float), bins=7, hrange=(0, 14)),
    "categorical": statistics(np.round(calc_values / 5), (calc_weights > 0).astype(float), categorical=True),
}

P1 = [(-30.3, -20.2), (30.7, -25.4), (55.5, 18.4), (20.6, 25.3), (-25.2, 20.8), (-30.3, -20.2)]
P2_OUTER = [(100.2, -40.3), (140.7, -40.3), (140.7, -0.6), (100.2, -0.6), (100.2, -40.3)]
P2_HOLE = [(110.4, -30.5), (120.3, -30.5), (120.3, -20.2), (110.4, -20.2), (110.4, -30.5)]
shapes = {"p1": [P1], "p2": [P2_OUTER, P2_HOLE]}

stats_cases = [{"name": "bbox_get", "bbox": [-10, -5, 10, 5], "query": "", "band": "tas",
                "expected": statistics(tas[0, 85:95, 170:190], np.ones((10, 20)))}]
feature_cases = []
for name, rings in shapes.items():
    geom = polygon(rings)
    env = geom.GetEnvelope()  # minx, maxx, miny, maxy
    r0, c0, rows, cols = window(GT, (env[0], env[2], env[1], env[3]), 360)
    wgt = (GT[0] + c0 * GT[1], GT[1], 0.0, GT[3] + r0 * GT[5], 0.0, GT[5])
    mask = centre_mask(geom, wgt, rows, cols)
    cov = coverage(geom, wgt, rows, cols)
    bounds = [wgt[0], wgt[3] + rows * GT[5], wgt[0] + cols * GT[1], wgt[3]]
    t0 = tas[0, r0:r0 + rows, c0:c0 + cols]
    feature = np.where(mask, t0, np.nan).astype(np.float32)[None]
    save(f"feature_{name}.npy", feature)
    geojson = {"type": "Feature", "properties": {"name": name}, "geometry": json.loads(geom.ExportToJson())}
    feature_cases.append({"name": name, "feature": geojson, "bounds": bounds, "file": f"feature_{name}.npy"})
    with np.errstate(all="ignore"):
        stats_cases += [
            {"name": f"{name}_centre", "feature": geojson, "query": "", "band": "tas", "expected": statistics(t0, mask.astype(float))},
            {"name": f"{name}_cover", "feature": geojson, "query": "coverage_method=cover&p=50&p=10", "band": "tas",
             "expected": statistics(t0, cov, percentiles=(50, 10))},
            {"name": f"{name}_hist", "feature": geojson, "query": "histogram_bins=5&histogram_range=20,35", "band": "tas",
             "expected": statistics(t0, mask.astype(float), bins=5, hrange=(20, 35))},
            {"name": f"{name}_expression", "feature": geojson, "query": "expression=tas*2-10", "band": "tas*2-10",
             "expected": statistics((t0 * f(2) - f(10)).astype(np.float32), mask.astype(float))},
            {"name": f"{name}_t3", "feature": geojson, "query": "sel=time=2000-01-01&sel=time=2000-04-01", "band": "tas[time=2000-04-01]",
             "expected": statistics(tas[3, r0:r0 + rows, c0:c0 + cols], mask.astype(float))},
        ]

# ---------------------------------------------------------------- categorical fixture: landcover.zarr (zarr-python)
lc_path = os.path.join(HERE, "landcover.zarr")
if not os.path.exists(lc_path):
    yy, xx = np.mgrid[0:64, 0:64]
    classes = (1 + ((xx // 16) + (yy // 16) + (rng.random((64, 64)) < 0.1)) % 4).astype(np.uint8)
    classes[:6, :6] = 0  # fill
    root = zarr.open_group(lc_path, mode="w")
    root.attrs.update({"Conventions": "CF-1.8", "title": "categorical land cover fixture"})
    lc = root.create_dataset("landcover", data=classes, chunks=(32, 32), fill_value=0, compressor=None)
    lc.attrs.update({
        "_ARRAY_DIMENSIONS": ["lat", "lon"], "grid_mapping": "spatial_ref", "long_name": "land cover class",
        "flag_values": [1, 2, 3, 4], "flag_meanings": "water forest cropland urban",
        "flag_colors": "#1f78b4 #33a02c #ffff99 #e31a1c", "_FillValue": 0,
    })
    lat = root.create_dataset("lat", data=50 - 0.05 - 0.1 * np.arange(64), compressor=None)
    lat.attrs.update({"_ARRAY_DIMENSIONS": ["lat"], "standard_name": "latitude", "units": "degrees_north"})
    lon = root.create_dataset("lon", data=0.05 + 0.1 * np.arange(64), compressor=None)
    lon.attrs.update({"_ARRAY_DIMENSIONS": ["lon"], "standard_name": "longitude", "units": "degrees_east"})
    sr = root.create_dataset("spatial_ref", shape=(), dtype="i4", fill_value=0, compressor=None)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    sr.attrs.update({"_ARRAY_DIMENSIONS": [], "crs_wkt": srs.ExportToWkt(), "grid_mapping_name": "latitude_longitude",
                     "GeoTransform": "0.0 0.1 0.0 50.0 0.0 -0.1"})
    zarr.consolidate_metadata(lc_path)
landcover = zarr.open(lc_path, mode="r")["landcover"][...].astype(np.float32)
landcover[landcover == 0] = np.nan
LC_GT = (0.0, 0.1, 0.0, 50.0, 0.0, -0.1)
lc_poly = polygon([[(0.33, 44.07), (5.91, 44.52), (4.46, 49.66), (0.33, 44.07)]])
e = lc_poly.GetEnvelope()
r0, c0, rows, cols = window(LC_GT, (e[0], e[2], e[1], e[3]), 64)
wgt = (LC_GT[0] + c0 * LC_GT[1], LC_GT[1], 0.0, LC_GT[3] + r0 * LC_GT[5], 0.0, LC_GT[5])
lc_mask = centre_mask(lc_poly, wgt, rows, cols)
lc_geojson = {"type": "Feature", "properties": {}, "geometry": json.loads(lc_poly.ExportToJson())}
stats_cases.append({"name": "landcover_categorical", "dataset": "landcover", "feature": lc_geojson, "query": "", "band": "landcover",
                    "expected": statistics(landcover[r0:r0 + rows, c0:c0 + cols], lc_mask.astype(float), categorical=True, categories=[1, 2, 3, 4])})
stats_cases.append({"name": "landcover_c", "dataset": "landcover", "feature": lc_geojson, "query": "categorical=true&c=2&c=4&c=9", "band": "landcover",
                    "expected": statistics(landcover[r0:r0 + rows, c0:c0 + cols], lc_mask.astype(float), categorical=True, categories=[2, 4, 9])})

# ---------------------------------------------------------------- resampled box: gdalwarp from a GeoTIFF of the stored numbers
warp = {}
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "tas_t0.tif")
    ds = gdal.GetDriverByName("GTiff").Create(src, 360, 180, 1, gdal.GDT_Float32)
    ds.SetGeoTransform(GT)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).WriteArray(tas[0])
    ds.GetRasterBand(1).SetNoDataValue(float("nan"))
    ds = None
    te = [-2226389.8158654715, -1118889.9748579597, 3339584.723798207, 2273030.926987689]  # lon -20..30, lat -10..20
    out = os.path.join(tmp, "out.tif")
    cmd = ["gdalwarp", "-q", "-overwrite", "-t_srs", "EPSG:3857", "-te", *map(repr, te), "-ts", "64", "48", "-r", "near",
           "-et", "0", "-ot", "Float32", "-dstnodata", "nan", "-of", "GTiff", src, out]
    subprocess.run(cmd, check=True)
    arr = gdal.Open(out).ReadAsArray().astype(np.float32)[None]
    save("bbox_3857_64x48_near.npy", arr)
    warp = {"file": "bbox_3857_64x48_near.npy", "bbox": te, "crs": "EPSG:3857", "size": [64, 48],
            "command": " ".join(cmd[:-2] + ["tas_t0.tif", "out.tif"]) + "  (tas_t0.tif: time step 0 of global-4326.zarr as decoded float32, NaN = nodata)"}

with open(os.path.join(HERE, "references.json"), "w") as fh:
    json.dump({"expressions": expected, "calculator": calculator, "statistics": stats_cases, "features": feature_cases, "bbox_warp": warp,
               "written_with": {"numpy": np.__version__, "zarr": zarr.__version__, "gdal": gdal.__version__}}, fh, indent=1)
print("wrote", len(expected), "expression cases,", len(stats_cases), "statistics cases,", len(feature_cases), "features")
