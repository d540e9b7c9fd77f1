#!/usr/bin/env node
// MapLibre GL JS in headless Chromium against a running tile server, as a web map would use it.
//
// Usage: node tests/interop/maplibre.mjs BASE DATASET [--out shot.png] [--timeout-ms 90000]
//
// 1. A page with a raster source whose url is BASE/tiles/DATASET/tilejson.json, fitted to the TileJSON bounds:
//    the map reaches 'idle'; MapLibre fetched the TileJSON (200, CORS) and tiles from its template, every tile
//    200 or 204 with an image type and CORS; no map error events, console errors, page errors or failed tile
//    requests; no request leaves the machine; the WebGL canvas shows data (> 5 % visible pixels, > 1 colour).
// 2. The server's own viewer, BASE/datasets/DATASET/viewer: its map (window.map) requests and loads tiles, they come back
//    200, no console or page errors, and nothing is requested outside the machine (it works offline).
// Screenshots go to --out (and <out>-viewer.png). Closes with 'N passed, N failed'.
import path from 'node:path';
import { INSTALL_HINT, Tally, canvasSummary, launch, parseArgs, serve } from './browser.mjs';

const { positional, options } = parseArgs(process.argv.slice(2));
if (positional.length < 2) {
  console.log('usage: node tests/interop/maplibre.mjs BASE DATASET [--out shot.png] [--timeout-ms N]');
  process.exit(2);
}
const BASE = positional[0].replace(/\/+$/, '');
const DATASET = positional[1];
const OUT = options.out ? path.resolve(options.out) : '';
const TIMEOUT = Number(options['timeout-ms'] || 90000);
const tally = new Tally();

function templatePattern(template) {
  const escaped = template.split('?')[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[zxy]\\\}/g, '\\d+');
  return new RegExp(`^${escaped}(\\?.*)?$`);
}

function mapPage(tilejsonUrl, bounds) {
  const [w, s, e, n] = bounds;
  const fit = [[Math.max(w, -179.9), Math.max(s, -84)], [Math.min(e, 179.9), Math.min(n, 84)]];
  return `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/node_modules/maplibre-gl/dist/maplibre-gl.css">
<style>html, body, #map { margin: 0; width: 100%; height: 100%; }</style></head>
<body><div id="map"></div><script type="module">
import * as maplibregl from '/node_modules/maplibre-gl/dist/maplibre-gl.mjs';
window.mapErrors = [];
const map = new maplibregl.Map({
  container: 'map', bounds: ${JSON.stringify(fit)}, fadeDuration: 0, attributionControl: false,
  canvasContextAttributes: { preserveDrawingBuffer: true },
  style: { version: 8, sources: { data: { type: 'raster', url: ${JSON.stringify(tilejsonUrl)}, tileSize: 256 } },
           layers: [{ id: 'data', type: 'raster', source: 'data' }] },
});
map.on('error', (e) => window.mapErrors.push(String(e?.error?.message || e?.error || e)));
map.once('idle', () => { window.mapIdle = true; });
window.map = map;
window.mapVersion = maplibregl.getVersion();
</script></body></html>`;
}

async function checkMap(page, log) {
  const tilejsonUrl = `${BASE}/tiles/${encodeURIComponent(DATASET)}/tilejson.json`;
  const response = await fetch(tilejsonUrl);
  if (!tally.check(response.status === 200, `TileJSON ${tilejsonUrl} answers 200`, String(response.status))) return;
  const tilejson = await response.json();
  const tilePattern = templatePattern(tilejson.tiles[0]);
  const { server, origin } = await serve({ '/': mapPage(tilejsonUrl, tilejson.bounds || [-180, -85, 180, 85]) });
  try {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    const idle = await page.waitForFunction(() => window.mapIdle === true, null, { timeout: TIMEOUT, polling: 100 }).then(() => true, () => false);
    console.log(`MapLibre GL JS ${await page.evaluate(() => window.mapVersion).catch(() => '?')} against ${BASE} (${DATASET})`);
    tally.check(idle, `the map reached 'idle' within ${TIMEOUT} ms`);
    const tj = log.responses.find((r) => r.url === tilejsonUrl);
    tally.check(tj?.status === 200 && tj.cors, 'MapLibre fetched the TileJSON: 200 with Access-Control-Allow-Origin', JSON.stringify(tj));
    const tiles = log.responses.filter((r) => tilePattern.test(r.url));
    const ok = tiles.filter((r) => r.status === 200 || r.status === 204);
    console.log(`  ${tiles.length} tile responses, e.g. ${tiles.slice(0, 2).map((r) => `${r.url} ${r.status}`).join(', ')}`);
    tally.check(ok.some((r) => r.status === 200), `tiles loaded with 200 (${ok.length})`);
    tally.check(ok.length === tiles.length, 'no tile answered with an error status',
      tiles.filter((r) => !ok.includes(r)).slice(0, 3).map((r) => `${r.status} ${r.url}`).join('; '));
    tally.check(ok.every((r) => r.status === 204 || r.type.startsWith('image/')), 'every tile has an image content type');
    tally.check(ok.every((r) => r.cors), 'every tile has Access-Control-Allow-Origin');
    const mapErrors = await page.evaluate(() => window.mapErrors).catch(() => ['the map script did not run']);
    tally.check(mapErrors.length === 0, 'no map error events', mapErrors.slice(0, 3).join(' | '));
    tally.check(log.console.length === 0, 'no console errors', log.console.slice(0, 3).join(' | '));
    tally.check(log.pageErrors.length === 0, 'no page errors', log.pageErrors.slice(0, 3).join(' | '));
    const failedTiles = log.failed.filter((f) => tilePattern.test(f.split(' ')[0]));
    tally.check(failedTiles.length === 0, 'no tile request failed on the network', failedTiles.slice(0, 3).join(' | '));
    const canvas = await canvasSummary(page, '#map canvas').catch((e) => ({ share: 0, colours: 0, error: String(e) }));
    tally.check(canvas.share > 0.05 && canvas.colours > 1,
      `the WebGL canvas shows data (${(100 * canvas.share).toFixed(1)}% visible, ${canvas.colours} colours)`, canvas.error || '');
    if (OUT) await page.screenshot({ path: OUT });
  } finally {
    server.close();
  }
}

async function checkViewer(page, log) {
  const viewerUrl = `${BASE}/datasets/${encodeURIComponent(DATASET)}/viewer`;
  for (const list of Object.values(log)) list.length = 0;
  // The viewer adds its data source once the map has loaded, so wait for a data tile before waiting for 'idle'.
  const firstTile = page.waitForResponse((r) => r.url().startsWith(`${BASE}/tiles/${encodeURIComponent(DATASET)}/`) && !r.url().includes('tilejson'),
    { timeout: TIMEOUT }).then(() => true, () => false);
  const response = await page.goto(viewerUrl, { waitUntil: 'load' });
  if (!tally.check(response?.status() === 200, `viewer ${viewerUrl} answers 200`, String(response?.status()))) return;
  tally.check(await firstTile, 'viewer: the map requested a tile of the dataset');
  const idle = await page.waitForFunction(() => window.map?.loaded() && window.map.areTilesLoaded(), null, { timeout: TIMEOUT, polling: 100 })
    .then(() => true, () => false);
  tally.check(idle, 'viewer: window.map loaded its tiles');
  const tiles = log.responses.filter((r) => r.url.startsWith(`${BASE}/tiles/`) && !r.url.includes('tilejson'));
  tally.check(tiles.some((r) => r.status === 200), `viewer: tiles fetched with 200 (${tiles.length})`);
  tally.check(tiles.every((r) => r.status === 200 || r.status === 204), 'viewer: no tile error status',
    tiles.filter((r) => r.status !== 200 && r.status !== 204).slice(0, 3).map((r) => `${r.status} ${r.url}`).join('; '));
  tally.check(log.console.length === 0, 'viewer: no console errors', log.console.slice(0, 3).join(' | '));
  tally.check(log.pageErrors.length === 0, 'viewer: no page errors', log.pageErrors.slice(0, 3).join(' | '));
  tally.check(log.blocked.length === 0, 'viewer: nothing requested outside the machine (works offline)', log.blocked.slice(0, 3).join(' '));
  if (OUT) await page.screenshot({ path: OUT.replace(/(\.png)?$/, '-viewer.png') });
}

async function main() {
  let browser;
  try {
    browser = await launch(TIMEOUT);
  } catch (error) {
    const reason = error.message.split('\n')[0];
    tally.check(false, 'Chromium starts', reason.includes(INSTALL_HINT) ? reason : `${reason} (${INSTALL_HINT})`);
    return;
  }
  try {
    console.log(`${browser.version}`);
    await checkMap(browser.page, browser.log);
    tally.check(browser.log.blocked.length === 0, 'nothing requested outside the machine', browser.log.blocked.slice(0, 3).join(' '));
    await checkViewer(browser.page, browser.log);
  } finally {
    await browser.close();
  }
}

main().catch((error) => tally.check(false, 'the run completed', String(error?.stack || error))).finally(() => tally.close());
