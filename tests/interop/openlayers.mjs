#!/usr/bin/env node
// OpenLayers' WMTS client in headless Chromium against a running tile server.
//
// Usage: node tests/interop/openlayers.mjs BASE [--layer ID] [--out shot.png] [--timeout-ms 90000]
//
// In a page using OpenLayers' full build (ol/dist/ol.js): fetch BASE/wmts/1.0.0/WMTSCapabilities.xml (so CORS is
// needed, as for any web client) and parse it with ol.format.WMTSCapabilities (layers and matrix sets found). For
// the layer (--layer, else the first) on its EPSG:3857 set (else the first linked set), and for each encoding the
// capabilities offer (REST through ResourceURL, KVP through GetTile): optionsFromCapabilities gives options, a map
// with a WMTS layer reaches 'rendercomplete', tiles loaded with no tileloaderror, every tile response 200/204 with
// an image type, the composed canvas shows data (readable, so CORS on tiles too), no console or page errors.
// Nothing may be requested outside the machine. Closes with 'N passed, N failed'.
import path from 'node:path';
import { INSTALL_HINT, Tally, canvasSummary, launch, parseArgs, serve } from './browser.mjs';

const { positional, options } = parseArgs(process.argv.slice(2));
if (positional.length < 1) {
  console.log('usage: node tests/interop/openlayers.mjs BASE [--layer ID] [--out shot.png] [--timeout-ms N]');
  process.exit(2);
}
const BASE = positional[0].replace(/\/+$/, '');
const CAPABILITIES = `${BASE}/wmts/1.0.0/WMTSCapabilities.xml`;
const OUT = options.out ? path.resolve(options.out) : '';
const TIMEOUT = Number(options['timeout-ms'] || 90000);
const tally = new Tally();

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="/node_modules/ol/ol.css">
<style>html, body { margin: 0; } #map { width: 1024px; height: 768px; }</style></head>
<body><div id="map"></div><script src="/node_modules/ol/dist/ol.js"></script><script>
window.readCapabilities = async (url) => {
  const response = await fetch(url);
  window.capabilities = new ol.format.WMTSCapabilities().read(await response.text());
  const contents = window.capabilities.Contents;
  let kvp = false;
  try { kvp = JSON.stringify(window.capabilities.OperationsMetadata.GetTile).includes('KVP'); } catch { kvp = false; }
  return {
    status: response.status, kvp, version: ol.util.VERSION,
    layers: (contents.Layer || []).map((l) => ({ id: l.Identifier, sets: (l.TileMatrixSetLink || []).map((s) => s.TileMatrixSet),
      rest: (l.ResourceURL || []).length > 0 })),
    sets: (contents.TileMatrixSet || []).map((s) => ({ id: s.Identifier, crs: s.SupportedCRS })),
  };
};
window.render = (layer, matrixSet, requestEncoding, timeout) => new Promise((resolve) => {
  const options = ol.source.WMTS.optionsFromCapabilities(window.capabilities, { layer, matrixSet, requestEncoding });
  if (!options) { resolve({ noOptions: true }); return; }
  options.crossOrigin = 'anonymous';
  const source = new ol.source.WMTS(options);
  const state = { started: 0, loaded: 0, errors: 0, projection: options.projection.getCode(), dimensions: options.dimensions };
  source.on('tileloadstart', () => state.started++);
  source.on('tileloadend', () => state.loaded++);
  source.on('tileloaderror', () => state.errors++);
  document.getElementById('map').replaceChildren();
  const view = new ol.View({ projection: options.projection });
  const map = new ol.Map({ target: 'map', layers: [new ol.layer.Tile({ source })], view });
  view.fit(options.tileGrid.getExtent() || options.projection.getExtent(), { size: [1024, 768] });
  const timer = setTimeout(() => resolve({ ...state, timedOut: true }), timeout);
  map.once('rendercomplete', () => { clearTimeout(timer); resolve(state); });
});
</script></body></html>`;

async function main() {
  let browser;
  try {
    browser = await launch(TIMEOUT);
  } catch (error) {
    const reason = error.message.split('\n')[0];
    tally.check(false, 'Chromium starts', reason.includes(INSTALL_HINT) ? reason : `${reason} (${INSTALL_HINT})`);
    return;
  }
  const { page, log } = browser;
  const { server, origin } = await serve({ '/': PAGE });
  try {
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    tally.check(await page.evaluate(() => typeof ol === 'object').catch(() => false), 'OpenLayers loaded (ol/dist/ol.js)', log.pageErrors.join(' | '));
    let caps;
    try {
      caps = await page.evaluate((url) => window.readCapabilities(url), CAPABILITIES);
    } catch (error) {
      tally.check(false, `the page fetches and parses ${CAPABILITIES}`, `${String(error).slice(0, 300)} (no CORS header?)`);
      return;
    }
    console.log(`OpenLayers ${caps.version} in ${browser.version} against ${BASE}`);
    console.log(`  layers ${JSON.stringify(caps.layers.slice(0, 4))}\n  sets ${JSON.stringify(caps.sets)}`);
    tally.check(caps.status === 200, `capabilities fetched from the page (${caps.status})`);
    tally.check(log.responses.some((r) => r.url === CAPABILITIES && r.cors), 'capabilities answer with Access-Control-Allow-Origin');
    tally.check(caps.layers.length > 0, 'WMTSCapabilities found layers');
    tally.check(caps.sets.length > 0, 'WMTSCapabilities found tile matrix sets');
    if (caps.layers.length === 0) return;
    const layer = caps.layers.find((l) => l.id === options.layer) || caps.layers[0];
    const crsOf = (id) => caps.sets.find((s) => s.id === id)?.crs || '';
    const matrixSet = layer.sets.find((s) => /3857|900913/.test(crsOf(s))) || layer.sets[0];
    const encodings = [...(layer.rest ? ['REST'] : []), ...(caps.kvp ? ['KVP'] : [])];
    tally.check(encodings.length > 0, `layer ${layer.id} offers REST and/or KVP (${encodings.join(', ')})`);
    for (const encoding of encodings) {
      for (const list of [log.responses, log.console, log.pageErrors]) list.length = 0;
      const tag = `${encoding} ${layer.id}/${matrixSet}`;
      const state = await page.evaluate(([l, m, e, t]) => window.render(l, m, e, t), [layer.id, matrixSet, encoding, TIMEOUT]);
      console.log(`  ${tag}: ${JSON.stringify(state)}`);
      if (!tally.check(!state.noOptions, `${tag}: optionsFromCapabilities gave options (${state.projection}, dimensions ${JSON.stringify(state.dimensions || {})})`)) continue;
      tally.check(!state.timedOut, `${tag}: the map reached 'rendercomplete'`);
      tally.check(state.loaded > 0, `${tag}: tiles loaded (${state.loaded} of ${state.started})`);
      tally.check(state.errors === 0, `${tag}: no tileloaderror`, `${state.errors} errors`);
      const tiles = log.responses.filter((r) => r.url.startsWith(BASE) && !/WMTSCapabilities|GetCapabilities/i.test(r.url));
      const bad = tiles.filter((r) => !(r.status === 204 || (r.status === 200 && r.type.startsWith('image/'))));
      console.log(`  ${tag}: ${tiles.length} tile responses, e.g. ${tiles.slice(0, 2).map((r) => `${r.url} ${r.status}`).join(', ')}`);
      tally.check(tiles.length > 0 && bad.length === 0, `${tag}: every tile 200/204 with an image type`,
        bad.slice(0, 3).map((r) => `${r.status} ${r.type} ${r.url}`).join('; '));
      const canvas = await canvasSummary(page, '#map canvas').catch((e) => ({ share: 0, colours: 0, error: `${e} (tiles without CORS taint the canvas)` }));
      tally.check(canvas.share > 0.05 && canvas.colours > 1,
        `${tag}: the canvas shows data (${(100 * canvas.share).toFixed(1)}% visible, ${canvas.colours} colours)`, canvas.error || '');
      tally.check(log.console.length === 0, `${tag}: no console errors`, log.console.slice(0, 3).join(' | '));
      tally.check(log.pageErrors.length === 0, `${tag}: no page errors`, log.pageErrors.slice(0, 3).join(' | '));
      if (OUT) await page.screenshot({ path: encoding === encodings[0] ? OUT : OUT.replace(/(\.png)?$/, `-${encoding.toLowerCase()}.png`) });
    }
    tally.check(log.blocked.length === 0, 'nothing requested outside the machine', log.blocked.slice(0, 3).join(' '));
  } finally {
    server.close();
    await browser.close();
  }
}

main().catch((error) => tally.check(false, 'the run completed', String(error?.stack || error))).finally(() => tally.close());
