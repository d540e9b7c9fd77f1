#!/usr/bin/python3
"""Writes rotated_pole_reference.json: CF rotated_latitude_longitude grid mappings and geographic -> rotated
coordinates computed by PROJ's ob_tran through pyproj, for the rotated-pole CRS tests.

Run from this folder: /usr/bin/python3 make_rotated_pole_reference.py   (Debian 12 python3-pyproj)
For each case: the CF attributes, the WKT2 pyproj writes for them (CRS.from_cf(...).to_wkt()), the ob_tran PROJ string
(+o_lat_p = pole latitude, +o_lon_p = north_pole_grid_longitude, +lon_0 = pole longitude + 180), and
[lon, lat, rotated lon, rotated lat] from EPSG:4326 through that PROJ string. The generator checks that pyproj's own
CF reading gives the same numbers, so the two forms describe one CRS.
"""
import json

import pyproj
from pyproj import CRS, Transformer

CASES = [
    ("EUR-CORDEX", 39.25, -162.0, 0.0),
    ("NAM-CORDEX", 42.5, 83.0, 0.0),
    ("COSMO-like", 40.0, -170.0, 0.0),
    ("south pole rotated", -30.0, 20.0, 0.0),
    ("grid longitude of the pole 30", 35.0, -160.0, 30.0),
    ("no rotation", 90.0, -180.0, 0.0),
]
POINTS = [(0, 0), (10, 50), (-9.1, 38.7), (24.9, 60.2), (179.5, 45), (-179.5, -45), (120, -30), (-60, 70), (45, 89), (-100, -85)]


def case(name, plat, plon, npgl):
    cf = {"grid_mapping_name": "rotated_latitude_longitude", "grid_north_pole_latitude": plat, "grid_north_pole_longitude": plon,
          "north_pole_grid_longitude": npgl}
    lon0 = plon + 180
    lon0 = lon0 - 360 if lon0 > 180 else lon0
    ob_tran = f"+proj=ob_tran +o_proj=longlat +o_lat_p={plat!r} +o_lon_p={npgl!r} +lon_0={lon0!r} +datum=WGS84 +no_defs +type=crs"
    by_string = Transformer.from_crs("EPSG:4326", CRS.from_proj4(ob_tran), always_xy=True)
    from_cf = CRS.from_cf(cf)
    by_cf = Transformer.from_crs("EPSG:4326", from_cf, always_xy=True)
    out = []
    for lon, lat in POINTS:
        rx, ry = by_string.transform(lon, lat)
        cx, cy = by_cf.transform(lon, lat)
        assert abs(((rx - cx + 180) % 360) - 180) < 1e-9 and abs(ry - cy) < 1e-9, (name, lon, lat, rx, ry, cx, cy)
        out.append([lon, lat, rx, ry])
    return {"name": name, "cf": cf, "wkt2": from_cf.to_wkt(), "ob_tran": ob_tran, "points": out}


def main():
    doc = {"generator": "make_rotated_pole_reference.py", "versions": f"pyproj {pyproj.__version__} / PROJ {pyproj.proj_version_str}",
           "cases": [case(*c) for c in CASES]}
    with open("rotated_pole_reference.json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
