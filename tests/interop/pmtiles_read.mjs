#!/usr/bin/env node
// Reads a PMTiles archive with the pmtiles package (Protomaps' JavaScript reader, pinned in tests/tools) and prints
// one JSON document: the header as the package decodes it, the metadata, and every tile it finds by asking for each
// z/x/y of the header's zoom range (so root and leaf directories are walked by the package's own lookup).
//   node tests/interop/pmtiles_read.mjs FILE > tiles.json
// Tiles are {"z", "x", "y", "base64"}; the archive is read through a Source over the local file.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tools');
const file = process.argv[2];
if (!file) {
  console.error('usage: node pmtiles_read.mjs FILE');
  process.exit(2);
}

let pmtiles;
try {
  pmtiles = createRequire(path.join(TOOLS, 'package.json'))('pmtiles');
} catch (e) {
  console.error(`pmtiles is not installed in ${TOOLS}/node_modules: run tests/run.sh (npm ci --prefix tests/tools): ${e.message}`);
  process.exit(2);
}

/** The package's Source interface over a file on disk (its own FileSource takes a browser File). */
class LocalFileSource {
  constructor(name) {
    this.name = name;
    this.handle = fs.promises.open(name, 'r');
  }

  getKey() {
    return this.name;
  }

  async getBytes(offset, length) {
    const handle = await this.handle;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) };
  }
}

const source = new LocalFileSource(file);
const archive = new pmtiles.PMTiles(source);
const header = await archive.getHeader();
const metadata = await archive.getMetadata();
const tiles = [];
for (let z = header.minZoom; z <= header.maxZoom; z++) {
  for (let x = 0; x < 2 ** z; x++) {
    for (let y = 0; y < 2 ** z; y++) {
      const tile = await archive.getZxy(z, x, y);
      if (tile) {
        tiles.push({ z, x, y, base64: Buffer.from(tile.data).toString('base64') });
      }
    }
  }
}

(await source.handle).close();
process.stdout.write(JSON.stringify({ header, metadata, tiles }));
