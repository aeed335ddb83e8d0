import fs from 'node:fs';
import path from 'node:path';
import express from 'express';

/** Where `npm run console:build` (scripts/build-console.mjs) writes the console: <repo>/dist/console. */
export function consoleDir(): string {
  if (process.env.FORGE_CONSOLE_DIR) return path.resolve(process.env.FORGE_CONSOLE_DIR);
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'console'))) return path.join(dir, 'dist', 'console');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('dist', 'console');
    dir = parent;
  }
}

/**
 * The page may load only its own scripts and styles and talk only to its own origin; no framing,
 * no referrer (a URL never carries a key, but a load id need not leave either).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forgeworks console</title></head>
<body><h1>The console is not built</h1><p>Run <code>npm run console:build</code> (npm run dev and npm test build it for you), then reload.</p></body></html>`;

/**
 * Serves the built console under /console: index.html for /console and /console/ (never cached:
 * it names the current assets), the hashed assets under /console/assets (cached for good), 404
 * for anything else. The console is a static client of the REST API: it holds no data of its own.
 */
export function consoleHandler(dir: string): express.Handler {
  const assets = express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false, redirect: false });
  return function serveConsole(req, res, next) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const index = path.join(dir, 'index.html');
    if (req.path === '/' || req.path === '') {
      if (!fs.existsSync(index)) {
        res.status(503).type('html').setHeader('cache-control', 'no-store');
        return void res.send(NOT_BUILT);
      }
      res.setHeader('cache-control', 'no-store');
      return void res.type('html').sendFile(index);
    }
    if (req.path.startsWith('/assets/')) {
      req.url = req.url.slice('/assets'.length);
      return assets(req, res, (err?: unknown) => {
        const status = (err as { status?: number } | undefined)?.status ?? 404;
        res.status(status).json({ error: { code: 'not_found', message: 'no such console asset' } });
      });
    }
    res.status(404).json({ error: { code: 'not_found', message: 'no such console page: the console lives at /console' } });
  };
}
