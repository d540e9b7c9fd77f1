"""Cold-path benchmark: the same tiles read cold over HTTP (with added latency) and cold from local disk.

Serves the store (bench/coldpath/make_store.py) with a small threaded HTTP/1.1 server of its own that waits
LATENCY ms before each answer and counts GETs, bytes and reads in flight; starts the tile server (the published
TileServer.Api.dll) with the store twice, as ``remote`` (that server) and ``local`` (the folder), chunk cache off so
that every tile is cold; then, per latency:
  * the first tile of ``remote`` with no rescale and no configured stretch (the default stretch comes from statistics);
  * N tiles that need three or more reads, each read from ``remote`` and from ``local`` (alternated, ROUNDS times,
    medians), reporting per tile remote minus local, GETs, bytes and peak reads in flight.
Page cache: the local files are in the OS page cache (dropping it needs root), so "local cold" means no chunk cache.

Usage: /usr/bin/python3 bench/coldpath/run.py --app DIR --store STORE.zarr [--latencies 0,20,50] [--tiles 30] [--rounds 3]
"""
import argparse
import math
import os
import re
import socket
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EXTENT = 22.5


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.in_flight, self.peak, self.gets, self.bytes = 0, 0, 0, 0


def static_server(root, latency_s, counters):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm on, the body waits for the client's delayed
        # ACK (40 ms on Linux) on every kept-alive connection, a delay of this script, not of an object store.
        disable_nagle_algorithm = True

        def do_GET(self):
            path = urllib.request.url2pathname(self.path.split("?")[0]).lstrip("/")
            file = os.path.realpath(os.path.join(root, path))
            if not file.startswith(root + os.sep) or not os.path.isfile(file):
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with counters.lock:
                counters.in_flight += 1
                counters.gets += 1
                counters.peak = max(counters.peak, counters.in_flight)
            try:
                if latency_s > 0:
                    time.sleep(latency_s)
                with open(file, "rb") as f:
                    data = f.read()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                with counters.lock:
                    counters.bytes += len(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up on this read: a hedged read whose twin answered first
            finally:
                with counters.lock:
                    counters.in_flight -= 1

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 512

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tile_of(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def inner_tiles(z):
    """Tiles of zoom z wholly inside the store's extent."""
    x0, y1 = tile_of(0, 0, z)
    x1, y0 = tile_of(EXTENT, EXTENT, z)
    return [(z, x, y) for x in range(x0 + 1, x1) for y in range(y0 + 1, y1)]


def get(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        body = r.read()
        timing = r.headers.get("Server-Timing", "")
    return (time.perf_counter() - t) * 1000, len(body), timing


def store_requests(timing):
    m = re.search(r'store-requests;desc="(\d+) ', timing)
    return int(m.group(1)) if m else -1


def chunks_decoded(timing):
    m = re.search(r'chunks;desc="(\d+) decoded', timing)
    return int(m.group(1)) if m else -1


def extra_reads(timing):
    """Retries and hedges the tile reports: GETs beyond one per chunk that the server sent on purpose."""
    m = re.search(r'(\d+) retried, (\d+) hedged', timing)
    return int(m.group(1)) + int(m.group(2)) if m else 0


def start_server(app, port, store, remote_url, log):
    args = ["dotnet", os.path.join(app, "TileServer.Api.dll"), "--urls", f"http://127.0.0.1:{port}",
            "--Serilog:MinimumLevel:Default=Warning", "--TileServer:IncludeDemoDatasets=false",
            "--TileServer:Cache:ChunkCacheBytes=0",
            f"--TileServer:Datasets:remote:Path={remote_url}", f"--TileServer:Datasets:local:Path={store}"]
    proc = subprocess.Popen(args, cwd=app, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the tile server did not start; see its log")


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def run(args, latency_ms):
    counters = Counters()
    store = os.path.realpath(args.store)
    static = static_server(store, latency_ms / 1000, counters)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(os.path.join(args.out, f"server-{latency_ms}ms.log"), "w") as log:
        proc = start_server(args.app, port, store, f"http://127.0.0.1:{static.server_port}/", log)
        try:
            # The first tile of the remote dataset: opened at startup, no rescale, default stretch from statistics.
            t = time.perf_counter()
            _, _, first_timing = get(f"{base}/tiles/remote/6/{tile_of(EXTENT / 2, EXTENT / 2, 6)[0]}/{tile_of(EXTENT / 2, EXTENT / 2, 6)[1]}.png")
            first_ms = (time.perf_counter() - t) * 1000
            stretch = re.search(r'stretch;desc="([^"]*)"', first_timing)
            print(f"  first tile (z6, ~64 chunks, no rescale): {first_ms:.0f} ms, stretch: {stretch.group(1) if stretch else '?'}")

            candidates = inner_tiles(7) + inner_tiles(8)
            step = max(1, len(candidates) // args.tiles)
            tiles = candidates[::step][:args.tiles]
            rows = []
            for z, x, y in tiles:
                remote, local, gets, nbytes, peaks, reported, chunks, extra = [], [], [], [], [], [], [], []
                for _ in range(args.rounds):
                    counters.reset()
                    ms, _, timing = get(f"{base}/tiles/remote/{z}/{x}/{y}.png?rescale=-45,85")
                    remote.append(ms)
                    gets.append(counters.gets)
                    nbytes.append(counters.bytes)
                    peaks.append(counters.peak)
                    reported.append(store_requests(timing))
                    chunks.append(chunks_decoded(timing))
                    extra.append(extra_reads(timing))
                    ms, _, _ = get(f"{base}/tiles/local/{z}/{x}/{y}.png?rescale=-45,85")
                    local.append(ms)
                rows.append(dict(tile=f"{z}/{x}/{y}", remote=statistics.median(remote), local=statistics.median(local),
                                 gets=statistics.median(gets), bytes=statistics.median(nbytes), peak=max(peaks),
                                 reported=statistics.median(reported),
                                 first_gets=gets[0], first_chunks=chunks[0], first_extra=extra[0]))
            rows = [r for r in rows if r["gets"] >= 3]
            diffs = [r["remote"] - r["local"] for r in rows]
            ok = sum(1 for d in diffs if d <= 2 * latency_ms + 10)
            print(f"  {len(rows)} tiles with >= 3 reads: remote-local median {statistics.median(diffs):.1f} ms, "
                  f"p90 {pct(diffs, 90):.1f} ms, max {max(diffs):.1f} ms; within 2 x {latency_ms} + 10 ms: {ok}/{len(rows)}")
            print(f"  per tile: GETs median {statistics.median(r['gets'] for r in rows):.0f} "
                  f"(min {min(r['gets'] for r in rows):.0f}, max {max(r['gets'] for r in rows):.0f}; "
                  f"GETs = chunks reported by the tile: {sum(1 for r in rows if r['gets'] == r['reported'])}/{len(rows)}; "
                  f"GETs = chunks decoded: {sum(1 for r in rows if r['first_gets'] == r['first_chunks'])}/{len(rows)}, "
                  f"= chunks decoded + retries + hedges: {sum(1 for r in rows if r['first_gets'] == r['first_chunks'] + r['first_extra'])}/{len(rows)}), "
                  f"bytes median {statistics.median(r['bytes'] for r in rows) / 1024:.0f} KiB, "
                  f"peak reads in flight median {statistics.median(r['peak'] for r in rows):.0f} (max {max(r['peak'] for r in rows)}); "
                  f"remote median {statistics.median(r['remote'] for r in rows):.1f} ms, local median {statistics.median(r['local'] for r in rows):.1f} ms")
            with open(os.path.join(args.out, f"tiles-{latency_ms}ms.tsv"), "w") as f:
                f.write("tile\tremote_ms\tlocal_ms\tgets\tbytes\tpeak_in_flight\n")
                for r in rows:
                    f.write(f"{r['tile']}\t{r['remote']:.1f}\t{r['local']:.1f}\t{r['gets']:.0f}\t{r['bytes']:.0f}\t{r['peak']}\n")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            static.shutdown()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--app", required=True, help="folder holding TileServer.Api.dll")
    p.add_argument("--store", required=True)
    p.add_argument("--latencies", default="0,20,50")
    p.add_argument("--tiles", type=int, default=30)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", default="/tmp/tileserver-coldpath")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for latency in [int(v) for v in args.latencies.split(",")]:
        print(f"== {latency} ms added per store answer")
        run(args, latency)


if __name__ == "__main__":
    main()
