"""Helpers shared by the Python interop drivers: a pass/fail tally, HTTP GET, and pixel statistics.

Every driver prints one 'PASS: ...' or 'FAIL: ...' line per check and closes with 'N passed, N failed'
(exit status 1 when anything failed), which check_all.sh reads.
"""
import sys
import urllib.error
import urllib.request

MERCATOR_HALF_WORLD = 20037508.342789244
INSTALL_HINT = "run tests/run.sh (installs gdal-bin, python3-gdal, python3-owslib, python3-numpy, python3-pil)"


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS: {what}")
        else:
            self.failed += 1
            print(f"FAIL: {what}" + (f" -- {detail}" if detail else ""))
        return bool(ok)

    def close(self):
        print(f"{self.passed} passed, {self.failed} failed")
        return 0 if self.failed == 0 and self.passed > 0 else 1


def missing_module(name, package):
    """Prints the failure for a Python module that is not installed and exits."""
    print(f"FAIL: /usr/bin/python3 cannot import {name}: {INSTALL_HINT} (needs {package})")
    print("0 passed, 1 failed")
    sys.exit(1)


def http_get(url, headers=None, timeout=60):
    """(status, headers, body) of a GET; HTTP errors are answers too, other failures give status 0."""
    request = urllib.request.Request(url, headers={"User-Agent": "tileserver-interop", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except OSError as error:
        return 0, {}, repr(error).encode()


def pixel_summary(array):
    """(visible share, distinct colours, any non-zero colour) of a (bands, rows, cols) array.

    Alpha is the last band of a 2- or 4-band image; without alpha a pixel is visible when any band is non-zero.
    """
    import numpy as np

    if array.ndim == 2:
        array = array[None]
    bands = array.shape[0]
    if bands in (2, 4):
        visible = array[-1] > 0
        colour = array[:-1]
    else:
        colour = array
        visible = np.any(colour != 0, axis=0)
    pixels = colour.reshape(colour.shape[0], -1).T[visible.ravel()]
    distinct = len(np.unique(pixels, axis=0)) if len(pixels) else 0
    return float(visible.mean()), distinct, bool(np.any(pixels != 0))


def shows_data(array):
    """True when an image has visible pixels that are not all one black colour."""
    share, distinct, nonzero = pixel_summary(array)
    return share > 0 and (distinct > 1 or nonzero)


def extent_inside(dataset):
    """(inside, description) of a GDAL dataset's extent against its CRS's world (degrees or Web Mercator metres)."""
    gt = dataset.GetGeoTransform()
    xs = (gt[0], gt[0] + gt[1] * dataset.RasterXSize)
    ys = (gt[3], gt[3] + gt[5] * dataset.RasterYSize)
    srs = dataset.GetSpatialRef()
    geographic = srs is not None and srs.IsGeographic()
    x_limit = 180.0001 if geographic else MERCATOR_HALF_WORLD * 1.0001
    y_limit = 90.0001 if geographic else x_limit
    inside = (srs is not None and gt[1] > 0 and gt[5] < 0 and all(-x_limit <= x <= x_limit for x in xs)
              and all(-y_limit <= y <= y_limit for y in ys))
    crs = "geographic" if geographic else (srs.GetName() if srs else "no CRS")
    return inside, (f"{dataset.RasterXSize}x{dataset.RasterYSize} px, {dataset.RasterCount} bands, {crs}, "
                    f"x {xs[0]:.6g}..{xs[1]:.6g}, y {ys[1]:.6g}..{ys[0]:.6g}")


def read_window(dataset, mode):
    """Through GDAL: a 256x256 full-resolution window at the centre ('centre'), or a 256 px wide 'overview'."""
    width, height = dataset.RasterXSize, dataset.RasterYSize
    if mode == "centre":
        x0, y0 = max(0, width // 2 - 128), max(0, height // 2 - 128)
        return dataset.ReadAsArray(x0, y0, min(256, width - x0), min(256, height - y0))
    return dataset.ReadAsArray(0, 0, width, height, buf_xsize=256, buf_ysize=max(1, round(256 * height / width)))
