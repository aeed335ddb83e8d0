import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a loopback server received, in arrival order: the proof of what a client really sent. */
export interface ReceivedRequest {
  method: string;
  /** Path and query exactly as sent. */
  rawUrl: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type LoopbackHandler = (req: ReceivedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface LoopbackServer {
  /** http://127.0.0.1:<port> */
  url: string;
  received: ReceivedRequest[];
  /** Everything received, as one string: for "this value never left" checks. */
  everythingReceived(): string;
  stop(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 and a free port; the handler answers, the server records. */
export async function startLoopbackServer(handler: LoopbackHandler): Promise<LoopbackServer> {
  const received: ReceivedRequest[] = [];
  const server = http.createServer((raw, res) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.on('end', () => {
      const rawUrl = raw.url ?? '/';
      const parsed = new URL(rawUrl, 'http://127.0.0.1');
      const req: ReceivedRequest = {
        method: raw.method ?? 'GET', rawUrl, path: parsed.pathname, query: parsed.searchParams,
        headers: raw.headers, body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(req);
      Promise.resolve(handler(req, res, raw)).catch((err: unknown) => {
        if (!res.headersSent) sendJson(res, 599, { testServerError: String(err) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    everythingReceived: () => received.map((r) => `${r.method} ${r.rawUrl}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n'),
    stop: () => new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve(); // stopping twice (a test stops early, afterEach again) is fine
      server.closeAllConnections(); // hung and keep-alive sockets would hold close() open
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts servers for one test file and stops them all after each test. */
export function loopbackServers(): (handler: LoopbackHandler) => Promise<LoopbackServer> {
  const running: LoopbackServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.stop()));
  });
  return async (handler) => {
    const server = await startLoopbackServer(handler);
    running.push(server);
    return server;
  };
}
