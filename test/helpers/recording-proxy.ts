import type { IncomingHttpHeaders } from 'node:http';
import { startLoopbackServer } from './loopback-server';

/** One request a client sent through the proxy, and what the server behind it answered. */
export interface ProxiedExchange {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The request body exactly as sent. */
  body: string;
  status: number;
  /** The answer, parsed when it is JSON. */
  response: unknown;
}

export interface RecordingProxy {
  /** http://127.0.0.1:<port>: point a connection's base URL here. */
  url: string;
  exchanges: ProxiedExchange[];
  stop(): Promise<void>;
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

/** A loopback HTTP proxy in front of `target` that records every exchange: what a connector really sent and got. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: ProxiedExchange[] = [];
  const server = await startLoopbackServer(async (req, res) => {
    const headers = Object.fromEntries(Object.entries(req.headers)
      .filter(([name, value]) => !HOP_BY_HOP.has(name) && typeof value === 'string') as Array<[string, string]>);
    const answer = await fetch(`${target}${req.rawUrl}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'DELETE' ? undefined : req.body });
    const text = await answer.text();
    let response: unknown = text;
    try { response = JSON.parse(text); } catch { /* not JSON: kept as text */ }
    exchanges.push({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body, status: answer.status, response });
    const forwarded: Record<string, string> = {};
    answer.headers.forEach((value, name) => { if (!HOP_BY_HOP.has(name) && name !== 'content-encoding') forwarded[name] = value; });
    res.writeHead(answer.status, forwarded).end(text);
  });
  return { url: server.url, exchanges, stop: () => server.stop() };
}
