// The tile server's map viewer: MapLibre GL JS (served by this server) over the dataset's TileJSON, with
// controls for variable, dimensions, colormap and rescale, a legend and click-to-read values (/point).
// Every URL is on this server, so the page works with no internet.
const cfg = JSON.parse(document.getElementById('viewer-config').textContent);
const maplibregl = await import(cfg.assetBase + '/maplibre-gl/maplibre-gl.mjs');
const api = cfg.apiBase;
const ds = encodeURIComponent(cfg.dataset);
const $ = (id) => document.getElementById(id);

const state = { variable: null, sel: {}, overrides: {}, info: null, bands: 1, expression: '' };

function status(text) { $('status').textContent = text || ''; }

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.detail || body.title || `${r.status} ${url}`);
  return body;
}

function variableInfo() { return state.info.variables.find((v) => v.name === state.variable); }

function otherDims() { return variableInfo().dims.filter((d) => !d.role); }

/** Query parameters of the current rendering (what tiles, legend and preview take). */
function renderParams({ withStyle = true } = {}) {
  const p = new URLSearchParams();
  p.append('variable', state.variable);
  for (const [dim, value] of Object.entries(state.sel)) if (value !== null) p.append('sel', `${dim}=${value}`);
  // Names in an expression are variables, or b1..bN for the bands of the chosen variable.
  if (state.expression) p.append('expression', state.expression);
  if (withStyle) {
    if (state.overrides.rescale) p.append('rescale', state.overrides.rescale);
    if (state.overrides.colormap_name) p.append('colormap_name', state.overrides.colormap_name);
  }
  return p;
}

function selValue(dim, index) {
  if (dim.type === 'time' && dim.values) return dim.values[index];
  if (dim.values) return String(dim.values[index]);
  return String(index);
}

function buildDims() {
  const box = $('dims');
  box.replaceChildren();
  state.sel = {};
  for (const dim of otherDims()) {
    const label = document.createElement('label');
    label.textContent = dim.name + (dim.units && dim.type !== 'time' ? ` (${dim.units})` : '');
    box.appendChild(label);
    if (dim.type === 'time' && dim.size > 1) {
      // Time: a slider over the steps, with the ISO value shown under it.
      const slider = Object.assign(document.createElement('input'), { type: 'range', min: 0, max: dim.size - 1, step: 1, value: 0, id: `dim-${dim.name}` });
      const shown = Object.assign(document.createElement('div'), { className: 'dimvalue' });
      const update = (reload) => {
        state.sel[dim.name] = selValue(dim, Number(slider.value));
        shown.textContent = dim.values[Number(slider.value)];
        if (reload) refresh(false);
      };
      slider.addEventListener('input', () => { shown.textContent = dim.values[Number(slider.value)]; });
      slider.addEventListener('change', () => update(true));
      update(false);
      box.append(slider, shown);
    } else {
      // Other dimensions: "default" leaves the choice to the server (first value, or RGB for 3-4 bands).
      const select = Object.assign(document.createElement('select'), { id: `dim-${dim.name}` });
      select.appendChild(new Option('default', ''));
      for (let i = 0; i < Math.min(dim.size, 500); i++) {
        const text = dim.values ? String(dim.values[i]) : (/band|channel/i.test(dim.name) ? `${i + 1}` : `${i}`);
        select.appendChild(new Option(text, selValue(dim, i)));
      }
      state.sel[dim.name] = null;
      select.addEventListener('change', () => { state.sel[dim.name] = select.value === '' ? null : select.value; refresh(false); });
      box.appendChild(select);
    }
  }
}

async function updateLegend() {
  const legend = await getJson(`${api}/datasets/${ds}/legend.json?${renderParams()}`);
  state.bands = legend.bands;
  // Rounded for display only: what tiles use stays the server's default until the user applies their own.
  $('rmin').value = Number(Number(legend.min).toPrecision(6));
  $('rmax').value = Number(Number(legend.max).toPrecision(6));
  $('colormap').disabled = legend.bands > 1;
  if (legend.colormap_name && [...$('colormap').options].some((o) => o.value === legend.colormap_name)) $('colormap').value = legend.colormap_name;
  else $('colormap').value = '';
  const box = $('legend');
  box.replaceChildren();
  if (legend.image) {
    const img = Object.assign(document.createElement('img'), { src: legend.image, alt: `legend ${legend.variable}` });
    const labels = document.createElement('div');
    labels.className = 'labels';
    for (const t of legend.ticks) labels.appendChild(Object.assign(document.createElement('span'), { textContent: t.label }));
    if (legend.units) labels.appendChild(Object.assign(document.createElement('span'), { textContent: legend.units }));
    box.append(img);
    if (!legend.labels_in_image) box.append(labels);
  } else {
    box.textContent = `${legend.bands} bands composed as RGB${legend.bands === 4 ? 'A' : ''}`;
  }
}

function tilejsonUrl() { return `${api}/tiles/${ds}/tilejson.json?${renderParams()}`; }

function setDataSource() {
  if (map.getLayer('data')) map.removeLayer('data');
  if (map.getSource('data')) map.removeSource('data');
  map.addSource('data', { type: 'raster', url: tilejsonUrl(), tileSize: 256 });
  map.addLayer({ id: 'data', type: 'raster', source: 'data', paint: { 'raster-resampling': 'nearest' } });
}

async function refresh(resetStyle) {
  status('');
  try {
    if (resetStyle) state.overrides = {};
    // Tiles first, in the same task as the map's 'load': the legend is a separate request the tiles do not need,
    // and until the source exists the map counts as loaded and idle with nothing on it.
    setDataSource();
    await updateLegend();
  } catch (e) {
    status(e.message);
  }
}

function clampBounds(b) {
  return [[Math.max(b[0], -179.99), Math.max(b[1], -84)], [Math.min(b[2], 179.99), Math.min(b[3], 84)]];
}

async function readPoint(lngLat) {
  const p = new URLSearchParams({ lon: lngLat.lng.toFixed(6), lat: lngLat.lat.toFixed(6), variable: state.variable });
  if (state.expression) p.append('expression', state.expression);
  for (const dim of otherDims()) {
    // The whole time series at the point, the current choice of the other dimensions.
    if (dim.type === 'time') continue;
    if (state.sel[dim.name] !== null && state.sel[dim.name] !== undefined) p.append('sel', `${dim.name}=${state.sel[dim.name]}`);
  }
  const box = $('values');
  try {
    const res = await getJson(`${api}/datasets/${ds}/point?${p}`);
    const units = variableInfo().units && variableInfo().units !== '1' ? ` ${variableInfo().units}` : '';
    const table = document.createElement('table');
    for (const v of res.values.slice(0, 60)) {
      const row = table.insertRow();
      row.insertCell().textContent = Object.entries(v.dims).map(([k, x]) => `${k}=${x}`).join(', ') || v.variable;
      row.insertCell().textContent = v.value === null ? 'no data' : `${Number(v.value.toPrecision(6))}${units}`;
    }
    const head = document.createElement('div');
    head.textContent = `${state.variable} at ${res.lon.toFixed(4)}, ${res.lat.toFixed(4)}` + (res.values.length > 60 ? ` (first 60 of ${res.values.length})` : '');
    box.replaceChildren(head, table);
    // The popup shows the current selection; dimensions left at "default" (e.g. RGB bands) show every value.
    const fmt = (v) => (v.value === null ? 'no data' : `${Number(v.value.toPrecision(6))}${units}`);
    const matches = res.values.filter((v) => Object.entries(state.sel).every(([k, x]) => x === null || x === undefined || String(v.dims[k]) === String(x)));
    const shown = matches.length ? matches : res.values.slice(0, 1);
    const text = shown.length === 1 ? `${state.variable}: ${fmt(shown[0])}`
      : `${state.variable}\n` + shown.slice(0, 8).map((v) => `${Object.entries(v.dims).filter(([k]) => state.sel[k] === null).map(([k, x]) => `${k} ${x}`).join(', ')}: ${fmt(v)}`).join('\n');
    new maplibregl.Popup({ closeButton: true }).setLngLat(lngLat).setText(text).addTo(map);
  } catch (e) {
    status(e.message);
  }
}

state.info = await getJson(`${api}/datasets/${ds}`);
const colormaps = await getJson(`${api}/colorMaps`);
document.title = `${state.info.title} — map viewer`;
$('title').textContent = state.info.title;
for (const v of state.info.variables) $('variable').appendChild(new Option(v.long_name ? `${v.name} — ${v.long_name}` : v.name, v.name));
state.variable = state.info.default_variable || state.info.variables[0].name;
$('variable').value = state.variable;
$('colormap').appendChild(new Option('(custom / none)', ''));
for (const name of colormaps.colorMaps) $('colormap').appendChild(new Option(name, name));
buildDims();

const bounds = state.info.wgs84_bounds || state.info.bounds || [-180, -85, 180, 85];
const style = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dde4ea' } }],
};
if (cfg.basemapDataset) {
  style.sources.basemap = { type: 'raster', url: `${api}/tiles/${encodeURIComponent(cfg.basemapDataset)}/tilejson.json`, tileSize: 256 };
  style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.6 } });
}

// Keep the data clear of the control panel when the window is wide enough.
const panelWidth = $('panel').offsetWidth + 20;
const padding = window.innerWidth > panelWidth * 2.5 ? { left: panelWidth, top: 20, right: 20, bottom: 20 } : 20;
const map = new maplibregl.Map({
  container: 'map', style, bounds: clampBounds(bounds), fitBoundsOptions: { padding },
  attributionControl: { compact: true }, fadeDuration: 0,
});
window.map = map;
map.addControl(new maplibregl.NavigationControl(), 'top-right');
map.addControl(new maplibregl.ScaleControl(), 'bottom-right');
map.on('click', (e) => readPoint(e.lngLat));
map.on('error', (e) => status(e && e.error ? String(e.error.message || e.error) : 'map error'));

$('variable').addEventListener('change', () => {
  state.variable = $('variable').value;
  $('values').textContent = 'Click the map to read values.';
  buildDims();
  refresh(true);
});
$('colormap').addEventListener('change', () => { state.overrides.colormap_name = $('colormap').value || undefined; refresh(false); });
$('apply').addEventListener('click', () => {
  const min = Number($('rmin').value), max = Number($('rmax').value);
  if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) { status('rescale: min must be below max'); return; }
  state.overrides.rescale = `${min},${max}`;
  state.overrides.colormap_name = $('colormap').value || undefined;
  refresh(false);
});
$('reset').addEventListener('click', () => refresh(true));
const useExpression = () => { state.expression = $('expression').value.trim(); refresh(true); };
$('expression-apply').addEventListener('click', useExpression);
$('expression').addEventListener('keydown', (e) => { if (e.key === 'Enter') useExpression(); });

map.on('load', () => refresh(true));
