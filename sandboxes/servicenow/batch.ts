import { json, ReplyError, Router, type HandlerContext, type Reply, type Route, type SandboxRequest } from '../kit';
import { snError } from './errors';

/**
 * The Batch API (Zurich "Batch API" reference, POST /api/now/v1/batch): `{ batch_request_id,
 * rest_requests: [{ id, url, method, headers: [{ name, value }], body (Base64), exclude_response_headers }] }`
 * answers 200 `{ batch_request_id, serviced_requests: [{ id, status_code, status_text, headers, body
 * (Base64), execution_time }], unserviced_requests: [ids] }`. Each item runs as its own request with
 * the batch's credentials and ACLs, in order; one item's failure does not stop the others.
 * Limits: 5 MB per item and 10 MB per answer item (glide.rest.batch.max.inputSize/outputSize);
 * items beyond the 30-second transaction quota come back in unserviced_requests — the sandbox
 * models that with `maxItems` (items past it are unserviced).
 */
export const BATCH_PATH = '/api/now/v1/batch';

interface BatchItem {
  id: string;
  url: string;
  method: string;
  headers: Array<{ name: string; value: string }>;
  body?: string;
  exclude_response_headers?: boolean;
}

const STATUS_TEXT: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error' };

export function batchRoute(itemRoutes: Route[], maxItems: number): Route {
  const router = new Router(itemRoutes);
  return {
    method: 'POST',
    path: BATCH_PATH,
    handle: async (req, ctx) => {
      const request = req.body as { batch_request_id?: unknown; rest_requests?: unknown } | undefined;
      const items = Array.isArray(request?.rest_requests) ? request.rest_requests as BatchItem[] : undefined;
      if (!items || items.some((i) => typeof i?.id !== 'string' || typeof i.url !== 'string' || typeof i.method !== 'string')) {
        return snError(400, 'Invalid request', 'rest_requests must be an array of { id, url, method, headers, body }');
      }
      const serviced = [];
      for (const item of items.slice(0, maxItems)) {
        const started = Date.now();
        const reply = await runItem(router, item, req, ctx);
        const headers = item.exclude_response_headers ? [] : [{ name: 'Content-Type', value: 'application/json;charset=UTF-8' },
          ...Object.entries(reply.headers ?? {}).map(([name, value]) => ({ name, value }))];
        serviced.push({
          id: item.id,
          status_code: reply.status,
          status_text: STATUS_TEXT[reply.status] ?? String(reply.status),
          headers,
          body: reply.body === undefined ? '' : Buffer.from(JSON.stringify(reply.body)).toString('base64'),
          execution_time: Date.now() - started,
        });
      }
      return json(200, { batch_request_id: request?.batch_request_id ?? null, serviced_requests: serviced, unserviced_requests: items.slice(maxItems).map((i) => i.id) });
    },
  };
}

async function runItem(router: Router, item: BatchItem, outer: SandboxRequest, ctx: HandlerContext): Promise<Reply> {
  const url = new URL(item.url, ctx.baseUrl);
  const match = router.match(item.method, url.pathname);
  if (!match) return snError(400, 'Requested URI does not represent any resource', url.pathname);
  let body: unknown;
  const rawBody = item.body ? Buffer.from(item.body, 'base64').toString('utf8') : '';
  try {
    body = rawBody ? JSON.parse(rawBody) : undefined;
  } catch {
    return snError(400, 'Exception while reading request', 'The payload is not valid JSON.');
  }
  const headers = { ...outer.headers, ...Object.fromEntries((item.headers ?? []).map((h) => [h.name.toLowerCase(), h.value])) };
  const request: SandboxRequest = { method: item.method.toUpperCase(), path: url.pathname, params: match.params, query: url.searchParams, headers, body, rawBody };
  try {
    return await match.route.handle(request, ctx);
  } catch (err) {
    if (err instanceof ReplyError) return err.reply;
    throw err;
  }
}
