#!/usr/bin/python3
"""The load benchmark's baseline: a tile server that warps every tile with GDAL, as TiTiler / rio-tiler do.

Usage: /usr/bin/python3 bench/load/gdal_tile_server.py --dataset ID=RASTER [--dataset ...] [--port 8081]
                        [--resampling nearest|bilinear|cubic|average] [--gdal-cache-mb 256] [--quiet]
                        [--rescale MIN,MAX [--colormap viridis|gray]]

RASTER is anything GDAL opens (a GeoTIFF here). Routes, bound to 127.0.0.1:
  GET /tiles/{id}/{z}/{x}/{y}.png   a 256x256 WebMercatorQuad tile: gdal.Warp of the tile's bounds into an in-memory
                                    dataset (all bands, alpha where there is no data), encoded by GDAL's PNG driver.
                                    With --rescale (scientific data, as rio-tiler renders it): a one-band
                                    raster warped as float32, rescaled to 0-255 and colour-mapped with NumPy into RGBA, transparent
                                    where there is no data, then encoded by GDAL's PNG driver
  GET /readyz                       200 once the datasets opened
Nothing is cached between requests but the open dataset (one handle per thread: GDAL handles are not thread-safe)
and GDAL's block cache. Run with Debian's /usr/bin/python3 (python3-gdal). Stop it with SIGTERM or Ctrl-C.
"""
import argparse
import re
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from osgeo import gdal

gdal.UseExceptions()

HALF_WORLD = 20037508.342789244
TILE = re.compile(r"^/tiles/([^/]+)/(\d+)/(\d+)/(\d+)\.png$")


def tile_bounds(z, x, y):
    size = 2 * HALF_WORLD / 2 ** z
    return (-HALF_WORLD + x * size, HALF_WORLD - (y + 1) * size, -HALF_WORLD + (x + 1) * size, HALF_WORLD - y * size)


class Datasets:
    def __init__(self, paths, resampling, rescale=None, colormap=None):
        self.paths = paths
        self.resampling = resampling
        self.rescale = rescale
        self.colormap = colormap
        self.local = threading.local()
        for path in paths.values():
            gdal.Open(path)  # fail at start-up, not on the first request

    def handle(self, dataset_id):
        handles = self.local.__dict__.setdefault("handles", {})
        if dataset_id not in handles:
            handles[dataset_id] = gdal.Open(self.paths[dataset_id])
        return handles[dataset_id]

    def render(self, dataset_id, z, x, y):
        # The per-tile work being measured: warp the tile's window, then encode it.
        if self.rescale is not None:
            warped = self.colour_mapped(dataset_id, z, x, y)
        else:
            warped = gdal.Warp("", self.handle(dataset_id), format="MEM", outputBounds=tile_bounds(z, x, y), width=256,
                               height=256, dstSRS="EPSG:3857", resampleAlg=self.resampling, dstAlpha=True,
                               multithread=False)
        name = f"/vsimem/{uuid.uuid4().hex}.png"
        try:
            gdal.GetDriverByName("PNG").CreateCopy(name, warped, 0, ["WORLDFILE=NO"])
            handle = gdal.VSIFOpenL(name, "rb")
            try:
                gdal.VSIFSeekL(handle, 0, 2)
                length = gdal.VSIFTellL(handle)
                gdal.VSIFSeekL(handle, 0, 0)
                return gdal.VSIFReadL(1, length, handle)
            finally:
                gdal.VSIFCloseL(handle)
        finally:
            gdal.Unlink(name)


    def colour_mapped(self, dataset_id, z, x, y):
        warped = gdal.Warp("", self.handle(dataset_id), format="MEM", outputBounds=tile_bounds(z, x, y), width=256,
                           height=256, dstSRS="EPSG:3857", resampleAlg=self.resampling,
                           outputType=gdal.GDT_Float32, dstNodata=float("nan"), multithread=False)
        values = warped.GetRasterBand(1).ReadAsArray()
        low, high = self.rescale
        valid = np.isfinite(values)
        index = np.clip((np.nan_to_num(values, nan=low) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
        rgba = self.colormap[index]
        rgba[..., 3] = np.where(valid, rgba[..., 3], 0)
        out = gdal.GetDriverByName("MEM").Create("", 256, 256, 4, gdal.GDT_Byte)
        for band in range(4):
            out.GetRasterBand(band + 1).WriteArray(rgba[..., band])
        return out


def colormap_table(name):
    """A 256-entry RGBA lookup table: viridis from its published anchor colours (every 32nd entry, interpolated), or
    gray. What matters for the benchmark is the work per pixel, which is the same for any table."""
    if name == "gray":
        ramp = np.arange(256, dtype=np.uint8)
        return np.stack([ramp, ramp, ramp, np.full(256, 255, np.uint8)], axis=1)
    anchors = np.array([[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129],
                        [92, 200, 99], [170, 220, 50], [253, 231, 37]], dtype=np.float64)
    positions = np.linspace(0, 255, len(anchors))
    table = np.stack([np.interp(np.arange(256), positions, anchors[:, c]) for c in range(3)], axis=1)
    return np.concatenate([np.round(table).astype(np.uint8), np.full((256, 1), 255, np.uint8)], axis=1)


def handler_for(datasets, quiet):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the client's
        # delayed ACK add ~40 ms to every keep-alive response.
        disable_nagle_algorithm = True

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == "/readyz":
                return self.answer(200, "text/plain", b"ok")
            match = TILE.match(path)
            if not match:
                return self.answer(404, "text/plain", b"not found")
            dataset_id, z, x, y = match.group(1), *map(int, match.groups()[1:])
            if dataset_id not in datasets.paths or z > 24 or x >= 2 ** z or y >= 2 ** z:
                return self.answer(404, "text/plain", b"no such tile")
            try:
                body = datasets.render(dataset_id, z, x, y)
            except RuntimeError as error:
                return self.answer(500, "text/plain", str(error).encode())
            return self.answer(200, "image/png", body)

        def answer(self, status, content_type, body):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, fmt, *args):
            if not quiet:
                sys.stderr.write("%s %s\n" % (self.address_string(), fmt % args))

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", action="append", required=True, help="ID=RASTER")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--resampling", default="nearest", choices=["nearest", "bilinear", "cubic", "average"])
    parser.add_argument("--gdal-cache-mb", type=int, default=256)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--rescale", help="MIN,MAX: render band 1 colour-mapped, as scientific data is")
    parser.add_argument("--colormap", default="viridis", choices=["viridis", "gray"])
    args = parser.parse_args()
    rescale = tuple(float(v) for v in args.rescale.split(",")) if args.rescale else None
    gdal.SetCacheMax(args.gdal_cache_mb * 1024 * 1024)
    paths = dict(d.split("=", 1) for d in args.dataset)
    datasets = Datasets(paths, "near" if args.resampling == "nearest" else args.resampling, rescale,
                        colormap_table(args.colormap) if rescale else None)
    server = ThreadingHTTPServer((args.host, args.port), handler_for(datasets, args.quiet))
    server.daemon_threads = True
    print(f"GDAL {gdal.__version__} warp-per-tile server on http://{args.host}:{args.port} ({', '.join(paths)})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
