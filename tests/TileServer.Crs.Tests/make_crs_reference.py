#!/usr/bin/python3
"""Writes crs_reference.json: independent reference numbers for the CRS tests, computed by pyproj (PROJ).

Run from this folder: /usr/bin/python3 make_crs_reference.py   (Debian python3-pyproj)
For each case: the CRS as WKT1 (GDAL), WKT2 (2019), PROJJSON and CF grid-mapping attributes (pyproj's to_cf(),
without crs_wkt/spatial_ref so the parameter path is tested), and lon/lat -> x/y pairs from the CRS's own geodetic
CRS (so datum shifts do not enter: the registry treats WGS84-equivalent datums as one).
"""
import json

import pyproj
from pyproj import CRS, Transformer

LCC_KM = ('PROJCS["unnamed",GEOGCS["unknown",DATUM["unnamed",SPHEROID["Spheroid",6378137,298.257223563]],'
          'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]]],'
          'PROJECTION["Lambert_Conformal_Conic_2SP"],PARAMETER["latitude_of_origin",42.5],'
          'PARAMETER["central_meridian",-100],PARAMETER["standard_parallel_1",25],PARAMETER["standard_parallel_2",60],'
          'PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["kilometre",1000,AUTHORITY["EPSG","9036"]],'
          'AXIS["Easting",EAST],AXIS["Northing",NORTH]]')

CASES = [
    # name, crs definition, expected code in the registry (None = custom), lon/lat points
    ("EPSG:3857", "EPSG:3857", "EPSG:3857", [(0, 0), (2.35, 48.85), (-122.4, 37.8), (179.9, -85.0), (-179.9, 85.0), (139.7, 35.7)]),
    ("EPSG:3395", "EPSG:3395", "EPSG:3395", [(0, 0), (2.35, 48.85), (-70, -60), (150, 80)]),
    ("EPSG:32633", "EPSG:32633", "EPSG:32633", [(15, 0), (13.66, 47.85), (14.39, 47.74), (15.13, 46.87), (9.0, 60.0), (21.0, 80.0), (12.0, 30.0)]),
    ("EPSG:32601", "EPSG:32601", "EPSG:32601", [(-177, 10), (-179.5, 50), (-174.2, 65)]),
    ("EPSG:32760", "EPSG:32760", "EPSG:32760", [(177, -10), (179.5, -50), (174.2, -79)]),
    ("EPSG:31985", "EPSG:31985", "EPSG:31985", [(-34.871272316290465, -7.995375910877933), (-34.85, -8.0), (-33, -20), (-36, 0.5)]),
    ("EPSG:3035", "EPSG:3035", "EPSG:3035", [(10, 52), (2.35, 48.85), (-9.1, 38.7), (24.9, 60.2), (-25, 65), (30, 35)]),
    ("EPSG:3031", "EPSG:3031", "EPSG:3031", [(0, -90), (0, -71), (45, -75), (-120, -80), (170, -65), (-60, -60)]),
    ("EPSG:3413", "EPSG:3413", "EPSG:3413", [(0, 90), (-45, 70), (-40, 75), (100, 80), (-150, 65), (10, 55)]),
    ("EPSG:2154", "EPSG:2154", "EPSG:2154", [(3, 46.5), (2.35, 48.85), (-4.5, 48.4), (7.75, 48.58), (9.45, 42.0)]),
    ("EPSG:5070", "EPSG:5070", "EPSG:5070", [(-96, 23), (-105, 40), (-122.4, 37.8), (-70, 45), (-80.2, 25.8)]),
    ("EPSG:27700", "EPSG:27700", "EPSG:27700", [(-2, 49), (-0.1276, 51.5072), (-3.19, 55.95), (1.3, 52.6), (-6.3, 58.2)]),
    ("lcc-km", LCC_KM, None, [(-105, 40), (-106.5, 39), (-103, 37.5), (-108.5, 41), (-100, 38), (-75, 45)]),
    # Methods and options beyond the code table: variant A polar stereographic (UPS), LCC 1SP, Mercator 2SP,
    # Albers/LAEA via ProjNet, grads + Paris prime meridian (NTF), a sphere.
    ("UPS North (EPSG:32661)", "EPSG:32661", "EPSG:32661", [(0, 90), (10, 85), (-100, 84), (120, 87)]),
    ("LCC 1SP (EPSG:27572 NTF Paris grads)", "EPSG:27572", "EPSG:27572", [(2.35, 48.85), (-1.5, 47.2), (5.4, 43.3), (7.75, 48.58)]),
    ("Mercator 2SP", "+proj=merc +lat_ts=30 +lon_0=100 +x_0=1000 +y_0=2000 +ellps=WGS84 +units=m +no_defs +type=crs", None, [(100, 0), (120, 30), (80, -45)]),
    ("Albers custom", "+proj=aea +lat_0=-32 +lon_0=132 +lat_1=-18 +lat_2=-36 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs +type=crs", None, [(132, -32), (115.9, -31.9), (151.2, -33.9), (145, -15)]),
    ("LAEA polar", "+proj=laea +lat_0=90 +lon_0=0 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs +type=crs", None, [(0, 90), (30, 70), (-120, 60)]),
    ("Polar stereographic B south custom", "+proj=stere +lat_0=-90 +lat_ts=-60 +lon_0=30 +x_0=100 +y_0=-200 +ellps=WGS84 +units=m +no_defs +type=crs", None, [(30, -90), (0, -70), (100, -55)]),
    ("TM sphere km", "+proj=tmerc +lat_0=10 +lon_0=-60 +k=0.9999 +x_0=300 +y_0=50 +R=6371000 +units=km +no_defs +type=crs", None, [(-60, 10), (-57, 14), (-63.5, -5)]),
]


def case(name, definition, code, points):
    crs = CRS.from_user_input(definition)
    geod = crs.geodetic_crs
    fwd = Transformer.from_crs(geod, crs, always_xy=True)
    cf = crs.to_cf()
    for k in ("crs_wkt", "spatial_ref"):
        cf.pop(k, None)
    if "grads" in name:
        cf = {}  # pyproj's to_cf writes the grad values as if they were degrees (CF has no angular unit): not a reference
    out = []
    for lon, lat in points:
        x, y = fwd.transform(lon, lat)
        out.append([lon, lat, x, y])
    return {
        "name": name,
        "code": code,
        "wkt1": definition if definition.startswith("PROJCS") else crs.to_wkt("WKT1_GDAL"),
        "geodetic_wkt1": geod.to_wkt("WKT1_GDAL"),
        "wkt2": crs.to_wkt("WKT2_2019"),
        "projjson": json.loads(crs.to_json()),
        "cf": cf,
        "metres_per_unit": crs.axis_info[0].unit_conversion_factor,
        "points_lon_lat_x_y": out,
    }


# CRSs whose method only ProjNet computes (WKT1 only; WKT2/PROJJSON of these must fail clearly).
PROJNET_CASES = [
    ("Oblique stereographic (EPSG:28992)", "EPSG:28992", "EPSG:28992", [(5.38763888888889, 52.1561605555556), (4.9, 52.37), (6.57, 53.22), (5.7, 50.85)]),
]

# Datum shift through TOWGS84 (Helmert, position vector): EPSG:4326 lon/lat -> British National Grid with the
# EPSG:1314 parameters attached, as PROJ applies them when a CRS carries +towgs84.
HELMERT_TARGET = ("+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy "
                  "+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs +type=crs")
HELMERT_POINTS = [(-0.1276, 51.5072), (-3.19, 55.95), (1.3, 52.6), (-6.3, 58.2), (-5.7, 50.06)]


def helmert():
    crs = CRS.from_user_input(HELMERT_TARGET)
    t = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return {
        "target_wkt1": crs.to_wkt("WKT1_GDAL"),
        "points_lon_lat_x_y": [[lon, lat, *t.transform(lon, lat)] for lon, lat in HELMERT_POINTS],
    }


def main():
    cases = [case(*c) for c in CASES]
    projnet = [case(*c) for c in PROJNET_CASES]
    doc = {
        "generator": f"make_crs_reference.py with pyproj {pyproj.__version__} / PROJ {pyproj.proj_version_str}",
        "cases": cases,
        "projnet_cases": projnet,
        "helmert": helmert(),
    }
    with open("crs_reference.json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
