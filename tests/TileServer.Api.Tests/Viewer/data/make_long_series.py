# Writes long-series.zarr: a tiny CF/GeoZarr cube with 10001 time steps, to check the /point entry bound.
# Run with Debian's python: /usr/bin/python3 make_long_series.py  (xarray, zarr 2.13, numpy)
import numpy as np
import xarray as xr

n = 10001
values = (np.arange(n, dtype="float32")[:, None, None] * np.ones((1, 2, 2), dtype="float32"))
ds = xr.Dataset(
    {"v": (("time", "lat", "lon"), values, {"units": "1", "grid_mapping": "crs"})},
    coords={
        "time": ("time", np.arange(n, dtype="int32"), {"units": "hours since 2000-01-01", "calendar": "standard"}),
        "lat": ("lat", np.array([10.5, 9.5]), {"units": "degrees_north", "standard_name": "latitude"}),
        "lon": ("lon", np.array([20.5, 21.5]), {"units": "degrees_east", "standard_name": "longitude"}),
    },
)
ds["crs"] = xr.DataArray(np.int32(0), attrs={"grid_mapping_name": "latitude_longitude", "epsg_code": "EPSG:4326"})
enc = {"v": {"chunks": (n, 2, 2)}, "time": {"dtype": "int32"}}
ds.to_zarr("long-series.zarr", mode="w", consolidated=True, encoding=enc)
