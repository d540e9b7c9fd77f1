#!/usr/bin/python3
"""Writes a small NetCDF4 file and kerchunk references to its chunks, plus expected values.

Run with Debian's python (apt-get install -y python3-netcdf4 python3-h5py python3-numpy python3-xarray):
    cd tests/data/kerchunk && /usr/bin/python3 make_refs.py

Outputs (all small, committed):
  sample.nc          NetCDF4/HDF5: temperature float32 (time, lat, lon) deflate, no shuffle, edge chunks;
                     precip int16 (time, lat, lon) deflate + shuffle, scale_factor/add_offset;
                     lat, lon float64 contiguous coordinates; time int32 contiguous.
  refs_v1.json       kerchunk version 1: templates {"nc": "sample.nc"}, urls "{{nc}}" (relative to this
                     folder), .zarray/.zattrs as inline JSON strings, one chunk inline as "base64:".
  refs_v0.json       version 0 (flat object), urls "sample.nc" relative, every chunk by reference.
  chunks.json        for tests: each referenced key -> [offset, length] inside sample.nc, and the
                     inline base64 key with the file range its bytes were copied from.
  expected_*.npy     values as netCDF4 returns them without masking/scaling (raw stored values),
                     and expected_precip_decoded.npy as xarray decodes it (scale/offset applied).
Versions used are printed and recorded in versions.txt.
"""
import base64
import json
import os
import sys

import h5py
import netCDF4
import numpy as np
import xarray

HERE = os.path.dirname(os.path.abspath(__file__))
NC = os.path.join(HERE, "sample.nc")


def write_netcdf():
    if os.path.exists(NC):
        os.remove(NC)
    rng = np.random.default_rng(20261127)
    with netCDF4.Dataset(NC, "w", format="NETCDF4") as ds:
        ds.title = "kerchunk storage fixture"
        ds.Conventions = "CF-1.8"
        ds.createDimension("time", 2)
        ds.createDimension("lat", 16)
        ds.createDimension("lon", 30)
        t = ds.createVariable("time", "i4", ("time",))
        t.units = "days since 2000-01-01"
        t.standard_name = "time"
        t[:] = [0, 1]
        lat = ds.createVariable("lat", "f8", ("lat",))
        lat.units = "degrees_north"
        lat.standard_name = "latitude"
        lat[:] = np.linspace(37.5, -37.5, 16)
        lon = ds.createVariable("lon", "f8", ("lon",))
        lon.units = "degrees_east"
        lon.standard_name = "longitude"
        lon[:] = np.linspace(-72.5, 72.5, 30)

        temp = ds.createVariable("temperature", "f4", ("time", "lat", "lon"), zlib=True, complevel=4,
                                 shuffle=False, chunksizes=(1, 8, 16), fill_value=np.float32(-9999.0))
        temp.units = "K"
        temp.long_name = "air temperature"
        values = (280 + 10 * rng.standard_normal((2, 16, 30))).astype("f4")
        values[0, 0, 0] = -9999.0  # one fill value to decode as missing
        temp.set_auto_maskandscale(False)
        temp[:] = values

        precip = ds.createVariable("precip", "i2", ("time", "lat", "lon"), zlib=True, complevel=6,
                                   shuffle=True, chunksizes=(1, 16, 15), fill_value=np.int16(-32768))
        precip.units = "mm"
        precip.scale_factor = np.float32(0.01)
        precip.add_offset = np.float32(1.0)
        precip.set_auto_maskandscale(False)
        raw = rng.integers(0, 30000, size=(2, 16, 30)).astype("i2")
        raw[1, 15, 29] = -32768
        precip[:] = raw


def jsonable(value):
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value


def fill_json(value, dtype):
    if value is None:
        return None
    value = dtype.type(value)
    if dtype.kind == "f" and np.isnan(value):
        return "NaN"
    return jsonable(value)


def build_refs():
    """Returns (refs: key -> value in kerchunk form with url placeholder None, ranges: key -> (offset, length))."""
    refs = {}
    ranges = {}
    with h5py.File(NC, "r") as f, netCDF4.Dataset(NC) as nc:
        refs[".zgroup"] = json.dumps({"zarr_format": 2})
        refs[".zattrs"] = json.dumps({k: jsonable(nc.getncattr(k)) for k in nc.ncattrs()})
        for name, var in nc.variables.items():
            dset = f[name]
            dtype = dset.dtype
            attrs = {k: jsonable(var.getncattr(k)) for k in var.ncattrs() if k != "_FillValue"}
            attrs["_ARRAY_DIMENSIONS"] = list(var.dimensions)
            fill = var.getncattr("_FillValue") if "_FillValue" in var.ncattrs() else None
            if dset.chunks is None:
                chunks = list(dset.shape)
                compressor = None
                filters = None
            else:
                chunks = list(dset.chunks)
                compressor = None
                filters = []
                plist = dset.id.get_create_plist()
                for k in range(plist.get_nfilters()):
                    code, _flags, cd_values, _name = plist.get_filter(k)
                    if code == h5py.h5z.FILTER_DEFLATE:
                        # HDF5 deflate writes a zlib stream (RFC 1950): numcodecs "zlib".
                        compressor = {"id": "zlib", "level": int(cd_values[0])}
                    elif code == h5py.h5z.FILTER_SHUFFLE:
                        filters.append({"id": "shuffle", "elementsize": dtype.itemsize})
                    else:
                        sys.exit(f"{name}: unsupported HDF5 filter {code}")
                filters = filters or None
            zarray = {
                "zarr_format": 2, "shape": list(dset.shape), "chunks": chunks,
                "dtype": dtype.str, "fill_value": fill_json(fill, dtype), "order": "C",
                "compressor": compressor, "filters": filters,
            }
            refs[f"{name}/.zarray"] = json.dumps(zarray)
            refs[f"{name}/.zattrs"] = json.dumps(attrs)

            if dset.chunks is None:
                offset = dset.id.get_offset()
                length = dset.id.get_storage_size()
                key = f"{name}/" + ".".join("0" for _ in dset.shape)
                ranges[key] = (int(offset), int(length))
            else:
                for i in range(dset.id.get_num_chunks()):
                    info = dset.id.get_chunk_info(i)
                    if info.filter_mask != 0:
                        sys.exit(f"{name}: chunk {info.chunk_offset} skips filters (mask {info.filter_mask})")
                    index = [o // c for o, c in zip(info.chunk_offset, dset.chunks)]
                    key = f"{name}/" + ".".join(str(i) for i in index)
                    ranges[key] = (int(info.byte_offset), int(info.size))
    return refs, ranges


def main():
    write_netcdf()
    meta, ranges = build_refs()
    with open(NC, "rb") as f:
        nc_bytes = f.read()

    inline_key = "temperature/1.1.1"
    off, length = ranges[inline_key]

    v1_refs = dict(meta)
    for key, (o, n) in ranges.items():
        v1_refs[key] = ["{{nc}}", o, n]
    v1_refs[inline_key] = "base64:" + base64.b64encode(nc_bytes[off:off + length]).decode("ascii")
    v1 = {"version": 1, "templates": {"nc": "sample.nc"}, "refs": v1_refs}

    v0 = dict(meta)
    for key, (o, n) in ranges.items():
        v0[key] = ["sample.nc", o, n]

    with open(os.path.join(HERE, "refs_v1.json"), "w") as f:
        json.dump(v1, f, indent=1, sort_keys=True)
    with open(os.path.join(HERE, "refs_v0.json"), "w") as f:
        json.dump(v0, f, indent=1, sort_keys=True)
    with open(os.path.join(HERE, "chunks.json"), "w") as f:
        json.dump({"file": "sample.nc", "ranges": {k: list(v) for k, v in sorted(ranges.items())},
                   "inline_base64_key": inline_key}, f, indent=1)

    with netCDF4.Dataset(NC) as nc:
        for name, var in nc.variables.items():
            var.set_auto_maskandscale(False)
            np.save(os.path.join(HERE, f"expected_{name}.npy"), var[:])
    with xarray.open_dataset(NC) as ds:
        np.save(os.path.join(HERE, "expected_precip_decoded.npy"), ds["precip"].values)
        np.save(os.path.join(HERE, "expected_temperature_decoded.npy"), ds["temperature"].values)

    versions = (f"python {sys.version.split()[0]}, numpy {np.__version__}, netCDF4 {netCDF4.__version__}, "
                f"libnetcdf {netCDF4.__netcdf4libversion__}, h5py {h5py.__version__}, "
                f"libhdf5 {h5py.version.hdf5_version}, xarray {xarray.__version__}")
    with open(os.path.join(HERE, "versions.txt"), "w") as f:
        f.write(versions + "\n")
    print(versions)
    self_check()


def self_check():
    """Independent read of the references with fsspec + zarr-python, when they are installed."""
    try:
        import fsspec
        import zarr
    except ImportError:
        print("fsspec/zarr not installed: self-check skipped")
        return
    for refs_name in ("refs_v1.json", "refs_v0.json"):
        fs = fsspec.filesystem("reference", fo=os.path.join(HERE, refs_name), remote_protocol="file")
        group = zarr.open_group(fs.get_mapper(""), mode="r")
        for name in ("temperature", "precip", "lat", "lon", "time"):
            expected = np.load(os.path.join(HERE, f"expected_{name}.npy"))
            actual = group[name][:]
            if not np.array_equal(actual, expected):
                sys.exit(f"{refs_name}: {name} differs from netCDF4's values")
        print(f"{refs_name}: zarr-python {zarr.__version__} via fsspec {fsspec.__version__} reads all variables equal to netCDF4")


if __name__ == "__main__":
    main()
