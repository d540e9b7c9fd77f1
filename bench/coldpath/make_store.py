"""Writes the cold-path benchmark store with zarr-python 2 (Debian's python3-zarr, 2.13).

A 4096 x 4096 float32 array ``value`` in 128 x 128 chunks (1,024 chunks, zlib level 1), with 1-D ``lat``/``lon``
coordinates over 0-22.5 degrees east and north, no pyramid, no valid range and no configured stretch, consolidated.
A zoom-6 WebMercatorQuad tile of it needs about 64 chunks, a zoom-7 tile about 16, a zoom-8 tile 4 or more.

Usage: /usr/bin/python3 bench/coldpath/make_store.py OUT.zarr
"""
import sys

import numcodecs
import numpy as np
import zarr

N, CHUNK, EXTENT = 4096, 128, 22.5


def main(path):
    root = zarr.open_group(zarr.DirectoryStore(path), mode="w")
    root.attrs.update({"Conventions": "CF-1.8", "title": "cold-path benchmark store"})
    step = EXTENT / N
    lat = root.create_dataset("lat", data=EXTENT - (np.arange(N) + 0.5) * step, chunks=(N,), compressor=None)
    lat.attrs.update({"_ARRAY_DIMENSIONS": ["lat"], "axis": "Y", "standard_name": "latitude", "units": "degrees_north"})
    lon = root.create_dataset("lon", data=(np.arange(N) + 0.5) * step, chunks=(N,), compressor=None)
    lon.attrs.update({"_ARRAY_DIMENSIONS": ["lon"], "axis": "X", "standard_name": "longitude", "units": "degrees_east"})
    value = root.create_dataset("value", shape=(N, N), chunks=(CHUNK, CHUNK), dtype="<f4",
                                compressor=numcodecs.Zlib(level=1), fill_value=float("nan"))
    value.attrs.update({"_ARRAY_DIMENSIONS": ["lat", "lon"], "long_name": "synthetic field", "units": "1"})
    rng = np.random.default_rng(16)
    cols = np.arange(N, dtype=np.float32)
    for r0 in range(0, N, CHUNK):
        rows = np.arange(r0, r0 + CHUNK, dtype=np.float32)[:, None]
        block = np.sin(rows / 97.0) * np.cos(cols[None, :] / 131.0) * 40 + rows * 0.01
        value[r0:r0 + CHUNK, :] = block + rng.normal(0, 0.5, block.shape).astype(np.float32)
    zarr.consolidate_metadata(zarr.DirectoryStore(path))


if __name__ == "__main__":
    main(sys.argv[1])
