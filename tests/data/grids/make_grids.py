#!/usr/bin/python3
"""Writes the grid-kind fixtures of tests/data/grids and their reference tiles and points.

Run from this folder with Debian's Python: /usr/bin/python3 make_grids.py
Needs (Debian 12): python3-numpy python3-zarr python3-xarray python3-scipy python3-pyproj gdal-bin python3-gdal.

Four stores, written by xarray/zarr-python (Zarr v2, consolidated), each beside an expected.json and ref/*.npy:
  gaussian/      Gaussian latitudes (numpy leggauss, descending) x regular 0..360 longitudes: irregular rectilinear
  stretched/     both axes unevenly spaced, latitudes ascending, longitudes in -180..180: irregular rectilinear
  curvilinear/   2-D lat/lon of a stretched grid rotated over the North Pacific (crosses the antimeridian), land as
                 NaN, two pyramid levels each with its own coordinate arrays: curvilinear
  rotated-pole/  a CORDEX EUR-44-like grid on a CF rotated_latitude_longitude grid mapping, with 2-D lat/lon beside it
Reference tiles (WebMercatorQuad, 256 x 256 float32, NaN = no data, row 0 = north) are computed independently of the
server: numpy cell lookup (searchsorted on the cell bounds, the midpoints between coordinates) for the irregular
grids; scipy cKDTree nearest cell centre (on the unit sphere) for the curvilinear one; gdalwarp with PROJ's ob_tran
for the rotated pole. Points give the value stored in a cell (read back with zarr-python) at a place inside it.
"""
import json
import math
import os
import shlex
import shutil
import subprocess
import tempfile

import numpy as np
import pyproj
import scipy
import xarray as xr
import zarr
from osgeo import gdal
from pyproj import CRS, Transformer
from scipy.interpolate import griddata
from scipy.spatial import cKDTree

gdal.UseExceptions()
ORIGIN = 20037508.342789244
SIZE = 256
TO_LONLAT = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
VERSIONS = (f"numpy {np.__version__}, zarr-python {zarr.__version__}, xarray 2023.01 (Debian python3-xarray 2023.01.0), "
            f"scipy {scipy.__version__}, pyproj {pyproj.__version__} / PROJ {pyproj.proj_version_str}, GDAL {gdal.__version__}")


def tile_bounds(z, x, y):
    span = 2 * ORIGIN / 2 ** z
    return -ORIGIN + x * span, ORIGIN - (y + 1) * span, -ORIGIN + (x + 1) * span, ORIGIN - y * span


def pixel_lonlat(z, x, y):
    """Longitude/latitude of the 256 x 256 pixel centres of a tile (pyproj), row 0 north."""
    x0, y0, x1, y1 = tile_bounds(z, x, y)
    px = (x1 - x0) / SIZE
    xs = x0 + (np.arange(SIZE) + 0.5) * px
    ys = y1 - (np.arange(SIZE) + 0.5) * px
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = TO_LONLAT.transform(gx, gy)
    return np.asarray(lon), np.asarray(lat)


def save_ref(folder, name, arr):
    os.makedirs(os.path.join(folder, "ref"), exist_ok=True)
    np.save(os.path.join(folder, "ref", name), arr.astype("<f4"))
    return "ref/" + name


def write_json(folder, doc):
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- irregular (rectilinear) grids

def bounds_of(centres):
    """Cell bounds of ascending centres: midpoints, the outer cells as far out as towards their neighbour."""
    mid = (centres[1:] + centres[:-1]) / 2
    return np.concatenate([[centres[0] - (centres[1] - centres[0]) / 2], mid, [centres[-1] + (centres[-1] - centres[-2]) / 2]])


def continuous_index(centres, v):
    """Index with centre k at k + 0.5, linear between centres and beyond the ends (ascending centres)."""
    n = len(centres)
    u = np.interp(v, centres, np.arange(n) + 0.5)
    lo, hi = v < centres[0], v > centres[-1]
    u[lo] = 0.5 + (v[lo] - centres[0]) / (centres[1] - centres[0])
    u[hi] = n - 0.5 + (v[hi] - centres[-1]) / (centres[-1] - centres[-2])
    return u


class Axis:
    """A 1-D coordinate as stored (ascending or descending), looked up in ascending order."""

    def __init__(self, values, period=None):
        self.values = np.asarray(values, dtype="f8")
        self.desc = self.values[-1] < self.values[0]
        self.asc = self.values[::-1] if self.desc else self.values
        self.period = period
        self.bounds = bounds_of(self.asc)

    def prepare(self, v):
        if self.period is None:
            return v
        return self.bounds[0] + np.mod(v - self.bounds[0], self.period)

    def cell(self, v):
        """Stored index of the cell whose bounds hold v (searchsorted on the bounds); -1 outside."""
        v = self.prepare(v)
        k = np.searchsorted(self.bounds, v, side="right") - 1
        n = len(self.asc)
        k = np.where((k >= 0) & (k < n), k, -1)
        if self.period is not None:
            k = np.mod(k, n)
        return np.where(k < 0, -1, (n - 1 - k) if self.desc else k)

    def taps(self, v):
        """Bilinear neighbours (stored indices, -1 outside) and weights between centres."""
        v = self.prepare(v)
        n = len(self.asc)
        if self.period is not None:
            # Centres continue periodically: append the first one a period later.
            ext = np.concatenate([self.asc, [self.asc[0] + self.period]])
            x = np.interp(v, ext, np.arange(n + 1) + 0.5) - 0.5
            lo = v < ext[0]
            x[lo] = (v[lo] - ext[0]) / (ext[1] - ext[0])
        else:
            x = continuous_index(self.asc, v) - 0.5
        m = np.floor(x).astype(int)
        f = x - m
        out = []
        for k, w in ((m, 1 - f), (m + 1, f)):
            if self.period is not None:
                k = np.mod(k, n)
            k = np.where((k >= 0) & (k < n), k, -1)
            out.append((np.where(k < 0, -1, (n - 1 - k) if self.desc else k), w))
        return out


def irregular_refs(plane, ax_x, ax_y, lon, lat):
    """Nearest (cell lookup) and bilinear (renormalised over valid neighbours, mask of nearest) reference tiles."""
    ci, cj = ax_x.cell(lon), ax_y.cell(lat)
    inside = (ci >= 0) & (cj >= 0)
    near = np.full(lon.shape, np.nan, dtype="f8")
    near[inside] = plane[cj[inside], ci[inside]]
    num = np.zeros(lon.shape)
    den = np.zeros(lon.shape)
    for jj, wy in ax_y.taps(lat):
        for ii, wx in ax_x.taps(lon):
            ok = (ii >= 0) & (jj >= 0)
            val = np.full(lon.shape, np.nan)
            val[ok] = plane[jj[ok], ii[ok]]
            w = wx * wy
            good = ok & np.isfinite(val) & (w > 0)
            num[good] += val[good] * w[good]
            den[good] += w[good]
    bil = np.where(np.isfinite(near) & (den >= 1e-5), num / np.where(den > 0, den, 1), np.nan)
    return near.astype("f4"), bil.astype("f4")


def gaussian():
    folder = "gaussian"
    x, _ = np.polynomial.legendre.leggauss(64)
    lat = np.degrees(np.arcsin(x))[::-1]  # north first, as ECMWF and CMIP write them
    lon = np.arange(128) * 2.8125
    time = np.array([0, 1])
    la, lo = np.meshgrid(np.radians(lat), np.radians(lon), indexing="ij")
    t2m = np.stack([250 + 40 * np.cos(la) + 6 * np.sin(2 * lo) * np.cos(la) + 3 * np.sin(4 * la) + 2 * t for t in time]).astype("f4")
    hole = (lat[:, None] >= 20) & (lat[:, None] <= 35) & (lon[None, :] >= 100) & (lon[None, :] <= 130)
    t2m[:, hole] = np.nan
    ds = xr.Dataset(
        {"t2m": (("time", "lat", "lon"), t2m, {"units": "K", "long_name": "2 metre temperature"})},
        coords={
            "time": ("time", time, {"units": "days since 2000-01-01", "standard_name": "time", "calendar": "standard"}),
            "lat": ("lat", lat, {"units": "degrees_north", "standard_name": "latitude", "axis": "Y"}),
            "lon": ("lon", lon, {"units": "degrees_east", "standard_name": "longitude", "axis": "X"}),
        },
        attrs={"title": "Gaussian grid N32 (synthetic)"},
    )
    store = os.path.join(folder, "gaussian.zarr")
    ds.to_zarr(store, mode="w", consolidated=True, encoding={"t2m": {"chunks": (1, 32, 64)}})
    stored = zarr.open(store, mode="r")["t2m"][:]
    ax_x, ax_y = Axis(lon, period=360.0), Axis(lat)
    tiles = [(0, 0, 0, "global, wraps"), (1, 0, 0, "west half: longitudes 180..360 of the grid"), (1, 1, 1, "south-east"),
             (3, 6, 3, "nodata block and uneven latitude spacing"), (3, 3, 0, "high latitudes, widest Gaussian gaps"),
             (4, 15, 7, "east of the antimeridian seam"), (5, 18, 11, "magnified, cells 11 px")]
    bilinear = {(3, 6, 3), (4, 15, 7), (5, 18, 11), (1, 0, 0)}
    refs = render_irregular(folder, stored[0], ax_x, ax_y, tiles, bilinear, "time 0")
    points = []
    for j, i in [(0, 0), (1, 127), (31, 64), (32, 64), (63, 5), (20, 40), (25, 38), (40, 100)]:
        for t in (0, 1):
            v = stored[t, j, i]
            # Odd columns asked in 0..360, even ones in -180..180 (the grid stores 0..360).
            points.append({"lon": float(lon[i] if i % 2 else lon[i] - 360 * (lon[i] > 180)), "lat": float(lat[j]), "time_index": t,
                           "row": j, "col": i, "value": None if np.isnan(v) else float(v), "where": "cell centre"})
        # 90 % of the way from the centre to the northern bound (the midpoint to the next latitude north).
        north = lat[j] + 0.45 * ((lat[j - 1] if j > 0 else 90.0) - lat[j])
        v = stored[0, j, i]
        points.append({"lon": float(lon[i] + 1.2), "lat": float(north), "time_index": 0, "row": j, "col": i,
                       "value": None if np.isnan(v) else float(v), "where": "inside the cell, 90 % of the way from its centre to its northern bound"})
    write_json(folder, {"generator": "make_grids.py", "versions": VERSIONS, "variable": "t2m", "store": "gaussian.zarr",
                        "reference": "numpy: np.searchsorted on the cell bounds (midpoints between coordinates), longitudes modulo 360",
                        "ref_tiles": refs, "points": points})


def stretched():
    folder = "stretched"
    lon = -25 + np.cumsum(0.2 + 0.02 * np.arange(60)) - 0.1
    lat = 30 + np.cumsum(0.5 + 0.3 * np.sin(np.arange(80) / 8.0))
    la, lo = np.meshgrid(np.radians(lat), np.radians(lon), indexing="ij")
    sst = (12 + 8 * np.cos(2 * la) + 4 * np.sin(3 * lo + la)).astype("f4")
    land = ((lat[:, None] - 52) ** 2 + ((lon[None, :] - 5) * 0.7) ** 2) < 30
    sst[land] = np.nan
    ds = xr.Dataset(
        {"sst": (("lat", "lon"), sst, {"units": "degC", "grid_mapping": "crs"}),
         "crs": ((), np.int32(0), {"grid_mapping_name": "latitude_longitude", "semi_major_axis": 6378137.0, "inverse_flattening": 298.257223563})},
        coords={
            "lat": ("lat", lat, {"units": "degrees_north", "standard_name": "latitude"}),
            "lon": ("lon", lon, {"units": "degrees_east", "standard_name": "longitude"}),
        },
        attrs={"title": "Stretched regional grid (synthetic)"},
    )
    store = os.path.join(folder, "stretched.zarr")
    ds.to_zarr(store, mode="w", consolidated=True, encoding={"sst": {"chunks": (40, 30)}})
    stored = zarr.open(store, mode="r")["sst"][:]
    ax_x, ax_y = Axis(lon), Axis(lat)
    tiles = [(2, 1, 1, "west edge of the grid"), (2, 2, 1, "east part, uneven columns"), (3, 3, 2, "north-west"),
             (4, 8, 5, "land (nodata) and coastline"), (5, 15, 10, "magnified, western cells"), (6, 27, 26, "south-west corner, magnified")]
    bilinear = {(3, 3, 2), (4, 8, 5), (5, 15, 10)}
    refs = render_irregular(folder, stored, ax_x, ax_y, tiles, bilinear, "")
    points = []
    for j, i in [(0, 0), (79, 59), (10, 30), (40, 20), (44, 41), (60, 2), (70, 55)]:
        v = stored[j, i]
        points.append({"lon": float(lon[i]), "lat": float(lat[j]), "row": j, "col": i, "value": None if np.isnan(v) else float(v), "where": "cell centre"})
        east = lon[i] + 0.45 * ((lon[i + 1] if i < 59 else lon[i] + (lon[i] - lon[i - 1])) - lon[i])
        points.append({"lon": float(east), "lat": float(lat[j]), "row": j, "col": i, "value": None if np.isnan(v) else float(v),
                       "where": "inside the cell, 90 % of the way from its centre to its eastern bound"})
    points.append({"lon": float(lon[-1] + 5), "lat": 50.0, "row": None, "col": None, "value": None, "where": "east of the grid"})
    write_json(folder, {"generator": "make_grids.py", "versions": VERSIONS, "variable": "sst", "store": "stretched.zarr",
                        "reference": "numpy: np.searchsorted on the cell bounds (midpoints between coordinates)",
                        "ref_tiles": refs, "points": points})


def render_irregular(folder, plane, ax_x, ax_y, tiles, bilinear, label):
    refs = []
    for z, x, y, why in tiles:
        lon, lat = pixel_lonlat(z, x, y)
        near, bil = irregular_refs(plane, ax_x, ax_y, lon, lat)
        for method, arr in (("near", near), ("bilinear", bil)):
            if method == "bilinear" and (z, x, y) not in bilinear:
                continue
            refs.append({"file": save_ref(folder, f"{z}_{x}_{y}_{method}.npy", arr), "z": z, "x": x, "y": y, "method": method,
                         "level": "", "valid": int(np.isfinite(arr).sum()), "why": why + (f" ({label})" if label else "")})
    return refs


# ---------------------------------------------------------------- curvilinear grid

POLE = {"grid_mapping_name": "rotated_latitude_longitude", "grid_north_pole_latitude": 50.0, "grid_north_pole_longitude": 0.0}


def curvilinear_level(rlon, rlat):
    """2-D lon/lat (pyproj, -180..180) of a rotated rectilinear grid: (0, 0) of the rotated frame is at 180E, 40N."""
    rotated = CRS.from_cf(POLE)
    to_geo = Transformer.from_crs(rotated, "EPSG:4326", always_xy=True)
    grlon, grlat = np.meshgrid(rlon, rlat)
    lon, lat = to_geo.transform(grlon, grlat)
    return np.asarray(lon), np.asarray(lat)


def curvilinear_field(lon, lat, t):
    la, lo = np.radians(lat), np.radians(lon)
    v = 8 + 14 * np.cos(la) ** 2 + 3 * np.sin(2 * lo) * np.cos(la) + 1.5 * t
    island = ((np.mod(lon, 360) - 195) * np.cos(la)) ** 2 + (lat - 45) ** 2 < 16
    return np.where(island, np.nan, v).astype("f4")


def curvilinear():
    folder = "curvilinear"
    # Uneven spacing in both rotated axes (finer towards the middle), as ocean models refine their grids.
    s = np.linspace(-1, 1, 160)
    rlon = 40 * (0.7 * s + 0.3 * s ** 3)
    s = np.linspace(-1, 1, 120)
    rlat = 30 * (0.8 * s + 0.2 * s ** 3)
    levels = []
    store = os.path.join(folder, "curvilinear.zarr")
    shutil.rmtree(store, ignore_errors=True)  # levels are appended group by group: start from nothing
    for k, (rl, rt) in enumerate([(rlon, rlat), ((rlon[0::2] + rlon[1::2]) / 2, (rlat[0::2] + rlat[1::2]) / 2)]):
        lon, lat = curvilinear_level(rl, rt)
        temp = np.stack([curvilinear_field(lon, lat, t) for t in (0, 1)])
        ds = xr.Dataset(
            {"temp": (("time", "nj", "ni"), temp, {"units": "degC", "long_name": "sea surface temperature"})},
            coords={
                "time": ("time", np.array([0, 1]), {"units": "days since 2001-01-01", "standard_name": "time"}),
                "lat": (("nj", "ni"), lat, {"units": "degrees_north", "standard_name": "latitude"}),
                "lon": (("nj", "ni"), lon, {"units": "degrees_east", "standard_name": "longitude"}),
            },
        )
        ds.to_zarr(store, group=str(k), mode="w" if k == 0 else "a", consolidated=False, encoding={"temp": {"chunks": (1, 60, 80)}})
        levels.append((lon, lat))
    root = zarr.open_group(store, mode="a")
    root.attrs["multiscales"] = [{"datasets": [{"path": "0"}, {"path": "1"}], "type": "reduce"}]
    root.attrs["title"] = "Curvilinear ocean-like grid (synthetic)"
    zarr.consolidate_metadata(store)
    stored = [zarr.open(store, mode="r")[f"{k}/temp"][:] for k in (0, 1)]
    # Level choice the server documents: the coarsest level whose cell size (median spacing between centres, in
    # degrees, the coarser axis) is at most the tile's cell size in degrees (the smaller axis at the tile centre).
    sizes = [max(median_spacing(lo, la, 0), median_spacing(lo, la, 1)) for lo, la in levels]
    tiles = [(0, 0, 0, "whole grid, from level 1"), (1, 1, 0, "west of the antimeridian"), (1, 0, 0, "east of the antimeridian"),
             (3, 7, 2, "north-west part"), (3, 0, 3, "south-east part, grid edge"), (4, 15, 5, "the antimeridian at a tile edge"),
             (5, 1, 11, "the island (nodata)"), (6, 57, 31, "grid corner, magnified")]
    bilinear = {(3, 7, 2), (4, 15, 5), (5, 1, 11), (6, 57, 31)}
    refs = []
    for z, x, y, why in tiles:
        cell = tile_cell_degrees(z, x, y)
        level = max([k for k in (0, 1) if sizes[k] <= cell * (1 + 1e-9)], key=lambda k: sizes[k], default=0)
        lon, lat = levels[level]
        plane = stored[level][0]
        plon, plat = pixel_lonlat(z, x, y)
        inside = inside_grid(lon, lat, plon, plat)
        tree = cKDTree(unit(lon.ravel(), lat.ravel()))
        _, nearest = tree.query(unit(plon.ravel(), plat.ravel()).reshape(-1, 3))
        near = np.where(inside, plane.ravel()[nearest].reshape(plon.shape), np.nan).astype("f4")
        refs.append({"file": save_ref(folder, f"{z}_{x}_{y}_near.npy", near), "z": z, "x": x, "y": y, "method": "near", "level": str(level),
                     "valid": int(np.isfinite(near).sum()), "why": why})
        if (z, x, y) in bilinear:
            # The outer cells reach half a cell beyond the outer centres; there the value is held from the edge: a ring
            # of centres extrapolated from the outer two, with the values of the outer centres, joins the triangulation.
            # (Without it, Delaunay triangles across the concave sides of the grid's outline would interpolate between
            # far-apart edge centres.)
            elon, elat, eplane = extend(np.mod(lon, 360)), extend(lat), np.pad(plane, 1, mode="edge")
            ok = np.isfinite(eplane.ravel())
            fx, fy = np.mod(elon.ravel()[ok] - 90, 360), elat.ravel()[ok]
            bil = griddata((fx, fy), eplane.ravel()[ok], (np.mod(plon - 90, 360), plat), method="linear")
            bil = np.where(np.isfinite(bil), bil, near)  # outside the centres' hull: the nearest value
            bil = np.where(np.isfinite(near), bil, np.nan).astype("f4")
            refs.append({"file": save_ref(folder, f"{z}_{x}_{y}_bilinear.npy", bil), "z": z, "x": x, "y": y, "method": "bilinear",
                         "level": str(level), "valid": int(np.isfinite(bil).sum()), "why": why})
    lon, lat = levels[0]
    points = []
    for j, i in [(0, 0), (119, 159), (60, 80), (60, 81), (30, 140), (75, 110), (100, 20), (5, 150)]:
        for t in (0, 1):
            v = stored[0][t, j, i]
            points.append({"lon": float(lon[j, i]), "lat": float(lat[j, i]), "time_index": t, "row": j, "col": i,
                           "value": None if np.isnan(v) else float(v), "where": "cell centre (level 0)"})
    points.append({"lon": -100.0, "lat": 40.0, "time_index": 0, "row": None, "col": None, "value": None, "where": "far outside the grid"})
    write_json(folder, {"generator": "make_grids.py", "versions": VERSIONS, "variable": "temp", "store": "curvilinear.zarr",
                        "level_cell_sizes_degrees": sizes,
                        "reference": "scipy cKDTree on unit-sphere vectors: the nearest cell centre; outside = beyond the polygon of the outer "
                                     "cell edges (half a cell beyond the outer centres); bilinear: scipy griddata (linear, Delaunay on the valid "
                                     "centres in 0..360 longitudes plus a ring extrapolated beyond the outer centres holding "
                                     "the outer values) where the nearest reference has data",
                        "ref_tiles": refs, "points": points})


def median_spacing(lon, lat, axis):
    dlon = np.diff(lon, axis=axis)
    dlon = (dlon + 180) % 360 - 180
    return float(np.median(np.hypot(dlon, np.diff(lat, axis=axis))))


def tile_cell_degrees(z, x, y):
    """Smaller of the longitude/latitude steps from the centre output pixel to its right and lower neighbours."""
    x0, y0, x1, y1 = tile_bounds(z, x, y)
    px = (x1 - x0) / SIZE
    cx, cy = x0 + (SIZE // 2 - 1 + 0.5) * px, y1 - (SIZE // 2 - 1 + 0.5) * px
    lon, lat = TO_LONLAT.transform([cx, cx + px, cx], [cy, cy, cy - px])
    return min(math.hypot(lon[1] - lon[0], lat[1] - lat[0]), math.hypot(lon[2] - lon[0], lat[2] - lat[0]))


def unit(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def extend(a):
    """A ring of centres around a 2-D coordinate array, extrapolated linearly from the outer two."""
    a = np.concatenate([2 * a[:, :1] - a[:, 1:2], a, 2 * a[:, -1:] - a[:, -2:-1]], axis=1)
    return np.concatenate([2 * a[:1] - a[1:2], a, 2 * a[-1:] - a[-2:-1]], axis=0)


def inside_grid(lon, lat, plon, plat):
    """Pixels inside the polygon of the grid's outer edges (0..360 longitudes): a ring of centres extrapolated linearly
    from the outer two, and the edge halfway between that ring and the outer centres."""
    ex, ey = extend(np.mod(lon, 360)), extend(lat)
    h, w = lat.shape
    ring = [(0, b) for b in range(w + 2)] + [(a, w + 1) for a in range(1, h + 1)] \
        + [(h + 1, b) for b in range(w + 1, -1, -1)] + [(a, 0) for a in range(h, 0, -1)]
    xs = np.array([(ex[a, b] + ex[min(max(a, 1), h), min(max(b, 1), w)]) / 2 for a, b in ring])
    ys = np.array([(ey[a, b] + ey[min(max(a, 1), h), min(max(b, 1), w)]) / 2 for a, b in ring])
    px, py = np.mod(plon, 360).ravel(), plat.ravel()
    inside = np.zeros(px.shape, dtype=bool)
    for x0, y0, x1, y1 in zip(xs, ys, np.roll(xs, -1), np.roll(ys, -1)):
        if y0 == y1:
            continue
        inside ^= ((y0 > py) != (y1 > py)) & (px < x0 + (py - y0) * (x1 - x0) / (y1 - y0))
    return inside.reshape(plon.shape)


# ---------------------------------------------------------------- rotated pole

def rotated_pole():
    folder = "rotated-pole"
    cf = {"grid_mapping_name": "rotated_latitude_longitude", "grid_north_pole_latitude": 39.25, "grid_north_pole_longitude": -162.0,
          "north_pole_grid_longitude": 0.0}
    crs = CRS.from_cf(cf)
    rlon = -28.375 + 0.44 * np.arange(106)
    rlat = -23.375 + 0.44 * np.arange(103)
    to_geo = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    grlon, grlat = np.meshgrid(rlon, rlat)
    lon, lat = (np.asarray(a) for a in to_geo.transform(grlon, grlat))
    la, lo = np.radians(lat), np.radians(lon)
    tas = (255 + 35 * np.cos(la) ** 2 + 4 * np.sin(3 * lo) + 0.05 * grlat * grlon).astype("f4")
    tas[(grlon > 5) & (grlon < 9) & (grlat > -3) & (grlat < 4)] = np.nan
    tas = tas[None]
    attrs = dict(cf)
    attrs["crs_wkt"] = crs.to_wkt()
    ds = xr.Dataset(
        {"tas": (("time", "rlat", "rlon"), tas, {"units": "K", "grid_mapping": "rotated_pole", "long_name": "near-surface air temperature"}),
         "rotated_pole": ((), np.array(b"", dtype="S1"), attrs)},
        coords={
            "time": ("time", np.array([0]), {"units": "days since 1991-01-01", "standard_name": "time"}),
            "rlat": ("rlat", rlat, {"units": "degrees", "standard_name": "grid_latitude", "axis": "Y"}),
            "rlon": ("rlon", rlon, {"units": "degrees", "standard_name": "grid_longitude", "axis": "X"}),
            "lat": (("rlat", "rlon"), lat, {"units": "degrees_north", "standard_name": "latitude"}),
            "lon": (("rlat", "rlon"), lon, {"units": "degrees_east", "standard_name": "longitude"}),
        },
        attrs={"title": "EUR-44-like rotated pole grid (synthetic)"},
    )
    store = os.path.join(folder, "rotated-pole.zarr")
    ds.to_zarr(store, mode="w", consolidated=True, encoding={"tas": {"chunks": (1, 52, 53)}})
    stored = zarr.open(store, mode="r")["tas"][:]
    ob_tran = "+proj=ob_tran +o_proj=longlat +o_lon_p=0 +o_lat_p=39.25 +lon_0=18 +datum=WGS84 +no_defs"
    refs = []
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "tas.tif")
        drv = gdal.GetDriverByName("GTiff")
        out = drv.Create(src, len(rlon), len(rlat), 1, gdal.GDT_Float32)
        out.SetGeoTransform([rlon[0] - 0.22, 0.44, 0, rlat[-1] + 0.22, 0, -0.44])
        band = out.GetRasterBand(1)
        band.SetNoDataValue(float("nan"))
        band.WriteArray(stored[0][::-1])
        out = None
        tiles = [(2, 2, 1, "whole domain"), (3, 4, 2, "central Europe"), (3, 3, 2, "western edge over the Atlantic"),
                 (4, 9, 5, "nodata patch"), (5, 18, 10, "magnified, cells 5 px, nodata patch"), (6, 43, 15, "north-east corner, magnified")]
        bilinear = {(3, 4, 2), (4, 9, 5), (5, 18, 10)}
        for z, x, y, why in tiles:
            x0, y0, x1, y1 = tile_bounds(z, x, y)
            for method in ("near", "bilinear"):
                if method == "bilinear" and (z, x, y) not in bilinear:
                    continue
                dst = os.path.join(tmp, "tile.tif")
                cmd = ["gdalwarp", "-q", "-overwrite", "-s_srs", ob_tran, "-t_srs", "EPSG:3857", "-te", repr(x0), repr(y0), repr(x1), repr(y1),
                       "-ts", "256", "256", "-r", method, "-et", "0", "-ot", "Float32", "-srcnodata", "nan", "-dstnodata", "nan", src, dst]
                subprocess.run(cmd, check=True)
                arr = gdal.Open(dst).ReadAsArray().astype("f4")
                refs.append({"file": save_ref(folder, f"{z}_{x}_{y}_{method}.npy", arr), "z": z, "x": x, "y": y, "method": method, "level": "",
                             "valid": int(np.isfinite(arr).sum()), "why": why,
                             "command": " ".join(shlex.quote(c) for c in cmd).replace(tmp, "$TMP")})
    points = []
    for j, i in [(0, 0), (102, 105), (51, 53), (60, 40), (55, 78), (20, 90), (90, 10)]:
        v = stored[0, j, i]
        points.append({"lon": float(lon[j, i]), "lat": float(lat[j, i]), "row": j, "col": i, "value": None if np.isnan(v) else float(v),
                       "where": "cell centre, from the 2-D lat/lon written beside the grid"})
    points.append({"lon": 60.0, "lat": 20.0, "row": None, "col": None, "value": None, "where": "outside the domain"})
    write_json(folder, {"generator": "make_grids.py", "versions": VERSIONS, "variable": "tas", "store": "rotated-pole.zarr",
                        "grid_mapping": cf, "ob_tran": ob_tran,
                        "reference": "gdalwarp from a GeoTIFF of the stored values (rotated degrees, north up) with -s_srs <ob_tran> -et 0",
                        "ref_tiles": refs, "points": points})


def main():
    gaussian()
    stretched()
    curvilinear()
    rotated_pole()


if __name__ == "__main__":
    main()
