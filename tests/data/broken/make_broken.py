"""Writes the broken stores of tests/data/broken (see README.md there).

Each store is a small global EPSG:4326 dataset (tas: 18 x 36 cells of 10 degrees, values 0..647 in C order) with one
thing wrong. Zarr v2 stores are written by zarr-python 2.13 and then damaged by editing their JSON; the Zarr v3
stores are written by this script (JSON by hand, chunk and shard bytes with numpy), because zarr-python 2.13 writes
no v3. Nothing here is written by the tile server's own code.

Run with Debian's python (apt-get install -y python3-zarr python3-numpy):
    cd tests/data/broken && /usr/bin/python3 make_broken.py
"""

import json
import os
import shutil

import numpy as np
import zarr

HERE = os.path.dirname(os.path.abspath(__file__))
NY, NX = 18, 36
TAS = np.arange(NY * NX, dtype="<f4").reshape(NY, NX)
X = np.linspace(-175.0, 175.0, NX)
Y = np.linspace(85.0, -85.0, NY)
GEOTRANSFORM = "-180.0 10.0 0.0 90.0 0.0 -10.0"


def fresh(name):
    path = os.path.join(HERE, name)
    if os.path.exists(path):
        shutil.rmtree(path)
    return path


def read_json(path):
    with open(path) as f:
        return json.load(f)


def write_json(path, doc):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=True)
        f.write("\n")


# ---- Zarr v2 (zarr-python 2.13) ----

def write_v2(name, x=X, y=Y, tas=TAS, tas_dims=("y", "x"), geotransform=GEOTRANSFORM):
    """The good v2 dataset, consolidated, uncompressed so every chunk is plain little-endian values."""
    path = fresh(name)
    root = zarr.open_group(zarr.DirectoryStore(path), mode="w")
    root.attrs["title"] = "tests/data/broken/" + name
    a = root.create_dataset("tas", data=tas, chunks=(9, 12), compressor=None, fill_value=float("nan"))
    a.attrs.update({"_ARRAY_DIMENSIONS": list(tas_dims), "grid_mapping": "spatial_ref", "units": "K"})
    xa = root.create_dataset("x", data=x, compressor=None)
    xa.attrs.update({"_ARRAY_DIMENSIONS": ["x"], "standard_name": "longitude", "units": "degrees_east", "axis": "X"})
    ya = root.create_dataset("y", data=y, compressor=None)
    ya.attrs.update({"_ARRAY_DIMENSIONS": ["y"], "standard_name": "latitude", "units": "degrees_north", "axis": "Y"})
    sr = root.create_dataset("spatial_ref", data=np.array(0, dtype="<i4"), compressor=None)
    sr.attrs.update({"_ARRAY_DIMENSIONS": [], "grid_mapping_name": "latitude_longitude", "GeoTransform": geotransform})
    zarr.consolidate_metadata(zarr.DirectoryStore(path))
    return path


def edit_v2(path, array, change, consolidated_too=True):
    """Applies change(doc) to <array>/.zarray and, unless told otherwise, to its copy in .zmetadata."""
    zarray = os.path.join(path, array, ".zarray")
    doc = read_json(zarray)
    change(doc)
    write_json(zarray, doc)
    if consolidated_too:
        zmeta = os.path.join(path, ".zmetadata")
        meta = read_json(zmeta)
        change(meta["metadata"][array + "/.zarray"])
        write_json(zmeta, meta)


def set_key(key, value):
    def change(doc):
        doc[key] = value
    return change


def v2_stores():
    write_v2("good.zarr")

    path = write_v2("absurd-shape.zarr")
    edit_v2(path, "tas", set_key("shape", [10_000_000_000, 10_000_000_000]))

    path = write_v2("negative-shape.zarr")
    edit_v2(path, "tas", set_key("shape", [-18, 36]))

    path = write_v2("oversized-grid.zarr")
    edit_v2(path, "tas", set_key("shape", [18, 3_000_000_000]))

    path = write_v2("overflowing-chunk-size.zarr")
    edit_v2(path, "tas", set_key("chunks", [2_147_483_647, 2_147_483_647]))

    # x rewritten with one value less after consolidation, as when a store is rewritten and not re-consolidated.
    path = write_v2("stale-consolidated.zarr")
    group = zarr.open_group(zarr.DirectoryStore(path), mode="r+")
    xa = group.create_dataset("x", data=X[:-1], compressor=None, overwrite=True)
    xa.attrs.update({"_ARRAY_DIMENSIONS": ["x"], "standard_name": "longitude", "units": "degrees_east", "axis": "X"})

    # Consistent metadata, but the x coordinate is one value short of tas's x dimension.
    write_v2("short-coordinate.zarr", x=X[:-1])

    # tas is stored (y, x) but its _ARRAY_DIMENSIONS say (x, y).
    write_v2("swapped-dimension-names.zarr", tas_dims=("x", "y"))

    # The GeoTransform puts the grid at -180..180; the x coordinate says 0..360.
    write_v2("coordinates-disagree-with-transform.zarr", x=X + 180.0)

    # 1e400 is beyond float64: a parser reads it as infinity.
    write_v2("nonfinite-transform.zarr", geotransform="-180.0 1e400 0.0 90.0 0.0 -10.0")

    # .zmetadata names "shape" twice in tas's entry (valid tokens, not a valid Zarr document).
    path = write_v2("duplicate-keys.zarr")
    zmeta = os.path.join(path, ".zmetadata")
    with open(zmeta) as f:
        text = f.read()
    marker = '"shape": ['
    at = text.index(marker, text.index('"tas/.zarray"'))
    with open(zmeta, "w") as f:
        f.write(text[:at] + '"shape": [1, 1],\n            ' + text[at:])


# ---- Zarr v3 (written here: JSON by hand, bytes by numpy) ----

BYTES_LE = {"name": "bytes", "configuration": {"endian": "little"}}
V3_ROOT_ATTRS = {
    "proj:code": "EPSG:4326",
    "spatial:dimensions": ["y", "x"],
    "spatial:transform": [10.0, 0.0, -180.0, 0.0, -10.0, 90.0],
}


def v3_array(shape, dtype, chunks, codecs, dims, attrs, fill=0):
    return {
        "zarr_format": 3,
        "node_type": "array",
        "shape": list(shape),
        "data_type": dtype,
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": list(chunks)}},
        "chunk_key_encoding": {"name": "default", "configuration": {"separator": "/"}},
        "fill_value": fill,
        "codecs": codecs,
        "dimension_names": list(dims),
        "attributes": attrs,
    }


def write_v3(name, tas_doc, tas_chunks):
    """A v3 dataset with consolidated metadata in the root zarr.json; tas_chunks maps chunk key -> bytes."""
    path = fresh(name)
    arrays = {
        "tas": tas_doc,
        "x": v3_array([NX], "float64", [NX], [BYTES_LE], ["x"], {"standard_name": "longitude", "units": "degrees_east"}),
        "y": v3_array([NY], "float64", [NY], [BYTES_LE], ["y"], {"standard_name": "latitude", "units": "degrees_north"}),
    }
    root = {
        "zarr_format": 3,
        "node_type": "group",
        "attributes": dict(V3_ROOT_ATTRS, title="tests/data/broken/" + name),
        "consolidated_metadata": {"kind": "inline", "must_understand": False, "metadata": arrays},
    }
    write_json(os.path.join(path, "zarr.json"), root)
    for array, doc in arrays.items():
        write_json(os.path.join(path, array, "zarr.json"), doc)
    for key, data in [("x/c/0", X.astype("<f8").tobytes()), ("y/c/0", Y.astype("<f8").tobytes())] + [
        ("tas/" + k, v) for k, v in tas_chunks.items()
    ]:
        target = os.path.join(path, *key.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(data)
    return path


TAS_ATTRS = {"units": "K"}
INNER = (3, 6)  # 30 x 60 degrees per inner chunk: 6 x 6 inner chunks in the one shard


def sharded_tas_doc(shard_shape, inner_shape):
    sharding = {
        "name": "sharding_indexed",
        "configuration": {
            "chunk_shape": list(inner_shape),
            "codecs": [BYTES_LE],
            "index_codecs": [BYTES_LE],
            "index_location": "end",
        },
    }
    return v3_array([NY, NX], "float32", shard_shape, [sharding], ["y", "x"], TAS_ATTRS, fill="NaN")


def one_shard(bad_entries):
    """The whole tas grid as one shard of 6 x 6 inner chunks, raw little-endian, index at the end.

    bad_entries maps an inner chunk number (C order over the 6 x 6 inner grid) to the (offset, length) its index
    entry is overwritten with; the chunk bytes stay where they are."""
    per_y, per_x = NY // INNER[0], NX // INNER[1]
    body = bytearray()
    index = np.zeros((per_y * per_x, 2), dtype="<u8")
    for cy in range(per_y):
        for cx in range(per_x):
            n = cy * per_x + cx
            block = TAS[cy * INNER[0]:(cy + 1) * INNER[0], cx * INNER[1]:(cx + 1) * INNER[1]]
            data = np.ascontiguousarray(block).tobytes()
            index[n] = (len(body), len(data))
            body += data
    for n, (offset, length) in bad_entries.items():
        index[n] = (offset, length)
    return bytes(body) + index.tobytes()


def v3_stores():
    # Inner chunk 1 (rows 0-2, cols 6-11: lat 60..90, lon -120..-60): offset beyond any possible object.
    # Inner chunk 34 (rows 15-17, cols 24-29: lat -90..-60, lon 60..120): a length of 1 TiB.
    # Both keep clear of the antimeridian, where a reader's margin wraps to the other edge of this global grid.
    path = write_v3("bad-shard-entry.zarr", sharded_tas_doc([NY, NX], INNER),
                    {"c/0/0": one_shard({1: (0xFFFF_FFFF_FFFF_0000, 72), 34: (34 * 72, 1 << 40)})})
    np.save(os.path.join(path, "expected_tas.npy"), TAS)

    # A shard shape of 2^31-1 squared with 1 x 1 inner chunks: 2^62 index entries.
    write_v3("overflowing-shard-grid.zarr", sharded_tas_doc([2_147_483_647, 2_147_483_647], [1, 1]), {})

    # dimension_names has one name for a 2-D array.
    tas = v3_array([NY, NX], "float32", [NY, NX], [BYTES_LE], ["y"], TAS_ATTRS, fill="NaN")
    write_v3("dimension-names-count.zarr", tas, {"c/0/0": TAS.tobytes()})


if __name__ == "__main__":
    v2_stores()
    v3_stores()
    with open(os.path.join(HERE, "versions.txt"), "w") as f:
        f.write(f"zarr {zarr.__version__}\nnumpy {np.__version__}\n")
