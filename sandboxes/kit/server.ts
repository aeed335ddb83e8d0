import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { adminPrefix, handleAdmin, type SandboxParts } from './admin';
import type { AuthScheme } from './auth/auth-scheme';
import { SandboxClock } from './clock';
import type { SandboxDefinition, SandboxOptions } from './definition';
import { FaultRegistry, type RequestFaults } from './faults';
import { json, parseBody, readBody, retryAfterHeader, sendReply } from './http-io';
import { SlidingWindowLimiter } from './rate-limit';
import { RecordStore } from './record-store';
import { RecordView } from './record-view';
import { RequestLog } from './request-log';
import { Router, type RouteMatch } from './router';
import type { RecordedExchange } from './spec-check/types';
import { ReplyError, type HandlerContext, type Reply, type SandboxRequest } from './types';

/** A sandbox built and not yet listening: its parts and its request handler. */
export interface Sandbox extends Omit<SandboxParts, 'baseUrl'> {
  /** Every API request and answer, in full, when started with recordExchanges (else empty). */
  exchanges(): RecordedExchange[];
  /** The node:http request listener (usable with any server, or supertest). */
  listener: http.RequestListener;
  /** Starts listening; resolves when the port is bound. */
  listen(options?: Pick<SandboxOptions, 'port' | 'host'>): Promise<RunningSandbox>;
}

export interface RunningSandbox extends Sandbox {
  url: string;
  port: number;
  /** Credentials and config, as GET /__sandbox/credentials answers. */
  credentials(): { credentials: Record<string, unknown>; config: Record<string, unknown> };
  stop(): Promise<void>;
}

export function createSandbox(definition: SandboxDefinition, options: SandboxOptions = {}): Sandbox {
  const clock = new SandboxClock();
  const store = new RecordStore(clock, definition.objects, definition.newId, definition.firstSequence);
  const faults = new FaultRegistry();
  const requests = new RequestLog();
  const auth: AuthScheme = definition.auth(clock);
  const limiter = definition.rateLimit ? new SlidingWindowLimiter({ ...definition.rateLimit, ...(options.rateLimit ?? {}) }) : undefined;
  const router = new Router([...auth.routes, ...definition.routes]);
  let baseUrl = 'http://127.0.0.1';
  const parts: SandboxParts = { definition, store, clock, faults, requests, auth, limiter, baseUrl: () => baseUrl };
  const exchanges: RecordedExchange[] = [];

  const listener: http.RequestListener = (req, res) => {
    void (async () => {
      const receivedAt = clock.nowIso();
      const url = new URL(req.url ?? '/', baseUrl);
      const method = (req.method ?? 'GET').toUpperCase();
      const rawBody = await readBody(req);
      const parsed = parseBody(rawBody, req.headers['content-type']);
      if (url.pathname === adminPrefix || url.pathname.startsWith(`${adminPrefix}/`)) {
        sendReply(res, await answerAdmin(parts, method, url.pathname, parsed.ok ? parsed.value : undefined, parsed.ok));
        return;
      }
      const match = router.match(method, url.pathname, { headers: req.headers, rawBody, body: parsed.ok ? parsed.value : undefined });
      const request: SandboxRequest = {
        method,
        path: url.pathname,
        params: match?.params ?? {},
        query: url.searchParams,
        headers: req.headers,
        body: parsed.ok ? parsed.value : undefined,
        rawBody,
      };
      const requestFaults = faults.forRequest(method, url.pathname, rawBody);
      const ctx: HandlerContext = { records: new RecordView(store, clock, requestFaults), consistency: requestFaults, clock, correlationId: randomUUID(), baseUrl };
      let reply: Reply;
      const answered = requests.begin({ method, path: url.pathname, query: url.search.replace(/^\?/, ''), receivedAt });
      try {
        reply = await answerApi({ definition, auth, limiter, enforceRateLimit: options.enforceRateLimit ?? false }, request, ctx, match, requestFaults, parsed.ok);
      } catch (error) {
        reply = error instanceof ReplyError ? error.reply : definition.errors.forStatus(500, request, ctx);
        if (!(error instanceof ReplyError)) process.stderr.write(`[sandbox ${definition.system}] ${method} ${url.pathname}: ${String(error)}\n`);
      } finally {
        answered();
      }
      requests.add({ method, path: url.pathname, status: reply.status, query: url.search.replace(/^\?/, ''), at: clock.nowIso(), receivedAt });
      if (options.recordExchanges) {
        exchanges.push({ method, path: url.pathname, query: url.search.replace(/^\?/, ''), requestContentType: req.headers['content-type'], rawBody, status: reply.status, responseBody: reply.body });
      }
      sendReply(res, reply);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendReply(res, json(500, { message: String(error) }));
      else res.destroy();
    });
  };

  const sandbox: Sandbox = {
    definition,
    store,
    clock,
    faults,
    requests,
    auth,
    limiter,
    exchanges: () => [...exchanges],
    listener,
    listen: async (listenOptions = {}) => {
      const external = definition.externalStore;
      await external?.open({ ...options, databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL });
      const server = http.createServer(listener);
      // Longer than clients keep idle sockets: a client never reuses one the server is just closing
      // (an ECONNRESET under load). stop() closes every connection anyway.
      server.keepAliveTimeout = 65_000;
      const host = listenOptions.host ?? options.host ?? '127.0.0.1';
      await new Promise<void>((resolve, reject) => {
        const failed = (error: Error) => { void external?.close(); reject(error); };
        server.once('error', failed);
        server.listen(listenOptions.port ?? options.port ?? 0, host, () => {
          server.off('error', failed);
          resolve();
        });
      });
      const port = (server.address() as AddressInfo).port;
      baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      return {
        ...sandbox,
        url: baseUrl,
        port,
        credentials: () => ({
          credentials: auth.credentials(),
          config: definition.config ? definition.config(baseUrl) : { baseUrl },
        }),
        stop: async () => {
          await new Promise<void>((resolve, reject) => {
            server.close((error) => (error ? reject(error) : resolve()));
            server.closeAllConnections();
          });
          await external?.close();
        },
      };
    },
  };
  return sandbox;
}

/** Creates a sandbox and starts it on 127.0.0.1 (port 0 = a free one unless options.port is set). */
export async function startSandbox(definition: SandboxDefinition, options: SandboxOptions = {}): Promise<RunningSandbox> {
  return createSandbox(definition, options).listen(options);
}

async function answerAdmin(parts: SandboxParts, method: string, path: string, body: unknown, bodyParsed: boolean): Promise<Reply> {
  if (!bodyParsed) return json(400, { error: { message: 'admin request body is not valid JSON' } });
  try {
    return await handleAdmin(parts, method, path, body);
  } catch (error) {
    if (error instanceof ReplyError) return error.reply;
    return json(400, { error: { message: error instanceof Error ? error.message : String(error) } });
  }
}

interface ApiParts {
  definition: SandboxDefinition;
  auth: AuthScheme;
  limiter?: SlidingWindowLimiter;
  enforceRateLimit: boolean;
}

/** The order every API request goes through: latency, faults, rate limit, body, route, auth, handler. */
async function answerApi(
  parts: ApiParts,
  req: SandboxRequest,
  ctx: HandlerContext,
  match: RouteMatch | undefined,
  requestFaults: RequestFaults,
  bodyParsed: boolean,
): Promise<Reply> {
  const { definition, auth, limiter } = parts;
  if (requestFaults.latencyMs > 0) await delay(requestFaults.latencyMs);
  if (requestFaults.expireTokens) auth.expireAccessTokens();
  if (requestFaults.reply) {
    const fault = requestFaults.reply;
    const systemReply = (): Reply => {
      const reply = definition.errors.forStatus(fault.status, req, ctx);
      return definition.errors.statusFromForStatus ? reply : { ...reply, status: fault.status };
    };
    const base: Reply = fault.body !== undefined ? { status: fault.status, body: fault.body } : systemReply();
    return withHeaders(base, fault.retryAfter !== undefined ? { 'retry-after': retryAfterHeader(fault.retryAfter) } : {});
  }
  let rateHeaders: Record<string, string> = {};
  if (limiter && match?.route.rateLimited !== false) {
    const { allowed, info } = limiter.take();
    rateHeaders = limiter.policy.headers?.(info) ?? {};
    if (!allowed && parts.enforceRateLimit) {
      const retryAfterSeconds = Math.max(1, info.retryAfterSeconds);
      return withHeaders(definition.errors.rateLimited({ ...info, retryAfterSeconds }, req, ctx), { ...rateHeaders, 'retry-after': String(retryAfterSeconds) });
    }
  }
  if (!match) return withHeaders(definition.errors.notFound(req, ctx), rateHeaders);
  if (!bodyParsed) return withHeaders(definition.errors.malformedBody(req, ctx), rateHeaders);
  if (!match.route.public) {
    const outcome = auth.authenticate(req);
    if (!outcome.ok) return withHeaders(definition.errors.unauthorized(outcome.failure, req, ctx), rateHeaders);
    ctx.principal = outcome.principal;
  }
  return withHeaders(await match.route.handle(req, ctx), rateHeaders);
}

function withHeaders(reply: Reply, headers: Record<string, string>): Reply {
  return { ...reply, headers: { ...headers, ...(reply.headers ?? {}) } };
}
