// Shared by maplibre.mjs and openlayers.mjs: Debian's Chromium driven headless through playwright-core, a
// throwaway 127.0.0.1 server for the test page and the npm packages (ES modules do not run from file://), and a
// pass/fail tally that closes with 'N passed, N failed'.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'tools');
export const NODE_MODULES = path.join(TOOLS, 'node_modules');
export const INSTALL_HINT = 'run tests/run.sh (installs chromium with apt and maplibre-gl, ol, playwright-core with npm ci --prefix tests/tools)';

export class Tally {
  constructor() { this.passed = 0; this.failed = 0; }

  check(ok, what, detail = '') {
    if (ok) { this.passed++; console.log(`PASS: ${what}`); } else { this.failed++; console.log(`FAIL: ${what}${detail ? ' -- ' + detail : ''}`); }
    return !!ok;
  }

  close() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    process.exitCode = this.failed === 0 && this.passed > 0 ? 0 : 1;
  }
}

export function parseArgs(argv) {
  const positional = []; const options = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) options[argv[i].slice(2)] = argv[++i];
    else positional.push(argv[i]);
  }
  return { positional, options };
}

const CONTENT_TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

/** Serves the given pages (path -> HTML) and files under /node_modules/ from tests/tools/node_modules. */
export async function serve(pages) {
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    if (pathname in pages) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(pages[pathname]);
      return;
    }
    const file = path.normalize(path.join(TOOLS, decodeURIComponent(pathname)));
    if (pathname.startsWith('/node_modules/') && file.startsWith(NODE_MODULES + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

function onLoopback(url) {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:') return true;
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/**
 * Starts Chromium with a fresh profile and one page that records console errors, page errors, failed requests and
 * every response, and refuses any request that would leave the machine (reported in log.blocked).
 */
export async function launch(timeoutMs) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} is missing: ${INSTALL_HINT}`);
  const require = createRequire(path.join(TOOLS, 'package.json'));
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch {
    throw new Error(`playwright-core is not installed in ${NODE_MODULES}: ${INSTALL_HINT}`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    timeout: timeoutMs,
    viewport: { width: 1024, height: 768 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(timeoutMs);
  const log = { console: [], pageErrors: [], failed: [], blocked: [], responses: [] };
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (onLoopback(url)) return route.continue();
    log.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => { if (m.type() === 'error') log.console.push(m.text()); });
  page.on('pageerror', (e) => log.pageErrors.push(String(e)));
  page.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText || ''}`));
  page.on('response', (r) => {
    const headers = r.headers();
    log.responses.push({ url: r.url(), status: r.status(), type: headers['content-type'] || '', cors: headers['access-control-allow-origin'] });
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  const version = await page.evaluate(() => (navigator.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/) || ['Chromium'])[0]);
  return { page, log, close, version };
}

/** Share of visible pixels and number of distinct colours of the page's canvases, drawn into one 2D canvas. */
export function canvasSummary(page, selector) {
  return page.evaluate((sel) => {
    const out = document.createElement('canvas');
    out.width = 1024; out.height = 768;
    const ctx = out.getContext('2d');
    for (const c of document.querySelectorAll(sel)) ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, out.width, out.height).data;
    let seen = 0; let visible = 0; const colours = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) {
      seen++;
      if (d[i + 3] > 0) { visible++; if (colours.size < 5000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); }
    }
    return { share: visible / seen, colours: colours.size };
  }, selector);
}
