import { randomBytes } from 'node:crypto';
import type { HandlerContext, Reply, Route, SandboxRequest } from '../kit';
import { changeEventName, type ChangeEventBus, type PublishedEvent } from './change-events';

/**
 * The Streaming API's CometD (Bayeux 1.0) endpoint, /cometd/<version>, long polling only, as
 * Change Data Capture subscribers use it (Streaming API Developer Guide, API 62.0: "How the Client
 * Connects", "Clients and Timeouts", "Streaming API Error Codes", "Message Durability"; Change
 * Data Capture Developer Guide: "Subscription Channels"). A POST carries an array of messages and
 * is answered with an array. /meta/handshake opens a client (clientId, BAYEUX_BROWSER cookie),
 * /meta/subscribe names a channel with `ext.replay` {channel: replayId | -1 | -2}, /meta/connect
 * answers at once when events are waiting and otherwise holds until one is published or the
 * timeout passes (110 s, or less when the client's advice asks), /meta/disconnect closes the client.
 * Errors travel in the message: `successful: false`, `error: "<code>::<text>"`, `advice`.
 */
export const CONNECT_TIMEOUT_MS = 110_000;
/** A client that neither connects nor subscribes for this long is forgotten: 403::Unknown client. */
const CLIENT_EXPIRY_MS = 120_000;
const DAY_MS = 24 * 3600 * 1000;
const COOKIE = 'BAYEUX_BROWSER';

type Message = Record<string, unknown> & { channel?: unknown; id?: unknown; clientId?: unknown };

interface Client {
  cookie: string;
  /** Channel -> the last replayId delivered (or skipped by -1) on it. */
  subscriptions: Map<string, number>;
  lastSeenMs: number;
}

export interface StreamingOptions {
  /** Events delivered per rolling 24 hours before subscribes and connects are refused (the org's allocation). Default unlimited. */
  dailyDeliveryAllocation?: number;
}

export class StreamingEndpoint {
  private readonly clients = new Map<string, Client>();
  private readonly deliveries: Array<{ atMs: number; count: number }> = [];

  constructor(private readonly bus: ChangeEventBus, private readonly options: StreamingOptions = {}) {}

  routes(): Route[] {
    return [{ method: 'POST', path: '/cometd/:version', handle: (req, ctx) => this.handle(req, ctx) }];
  }

  private async handle(req: SandboxRequest, ctx: HandlerContext): Promise<Reply> {
    const version = /^(\d+)\.0$/.exec(req.params.version ?? '');
    if (!version || Number(version[1]) < 23) {
      return { status: 400, body: [{ successful: false, error: "400::Unsupported API version. Only API versions '23.0' and above are supported. URI format: '/cometd/62.0'" }] };
    }
    const messages = (Array.isArray(req.body) ? req.body : [req.body]).filter((m): m is Message => typeof m === 'object' && m !== null);
    this.forgetIdleClients();
    const out: unknown[] = [];
    const headers: Record<string, string> = {};
    for (const message of messages) {
      const channel = String(message.channel ?? '');
      if (channel === '/meta/handshake') {
        const { reply, cookie } = this.handshake(message);
        if (cookie) headers['set-cookie'] = `${COOKIE}=${cookie}; Path=/cometd; HttpOnly`;
        out.push(reply);
        continue;
      }
      const client = this.clients.get(String(message.clientId ?? ''));
      const base = { channel, id: message.id, clientId: message.clientId };
      if (!client) {
        out.push({ ...base, successful: false, error: '403::Unknown client', advice: { reconnect: 'handshake', interval: 0 } });
        continue;
      }
      if (!cookieOf(req).includes(`${COOKIE}=${client.cookie}`)) {
        out.push({ ...base, successful: false, error: `400::Client ${String(message.clientId)} has established a session, but no ${COOKIE} cookie present` });
        continue;
      }
      client.lastSeenMs = Date.now();
      if (channel === '/meta/subscribe') out.push(this.subscribe(client, message, base, ctx));
      else if (channel === '/meta/connect') out.push(...(await this.connect(client, message, base, ctx)));
      else if (channel === '/meta/disconnect') {
        this.clients.delete(String(message.clientId));
        out.push({ ...base, successful: true });
      } else out.push({ ...base, successful: false, error: `403::Publish denied on channel ${channel}` });
    }
    return { status: 200, body: out, headers };
  }

  private handshake(message: Message): { reply: unknown; cookie?: string } {
    const base = { channel: '/meta/handshake', id: message.id, version: '1.0', minimumVersion: '1.0' };
    const types = Array.isArray(message.supportedConnectionTypes) ? message.supportedConnectionTypes.map(String) : [];
    if (!types.includes('long-polling')) {
      return { reply: { ...base, successful: false, error: `400::Invalid connection type ${types.join(',') || '(none)'}`, advice: { reconnect: 'none' } } };
    }
    const clientId = randomBytes(16).toString('base64url').toLowerCase();
    const cookie = randomBytes(12).toString('hex');
    this.clients.set(clientId, { cookie, subscriptions: new Map(), lastSeenMs: Date.now() });
    return {
      cookie,
      reply: {
        ...base, clientId, successful: true, supportedConnectionTypes: ['long-polling'],
        ext: { replay: true, 'payload.format': true },
        advice: { reconnect: 'retry', interval: 0, timeout: CONNECT_TIMEOUT_MS },
      },
    };
  }

  private subscribe(client: Client, message: Message, base: Record<string, unknown>, ctx: HandlerContext): unknown {
    const subscription = typeof message.subscription === 'string' ? message.subscription : '';
    const reply = { ...base, subscription };
    if (subscription === '') return { ...reply, successful: false, error: '400::Channel name not specified' };
    if (!subscription.startsWith('/')) return { ...reply, successful: false, error: "400::Channel subscriptions must start with a leading '/'" };
    if (!this.channelExists(subscription)) return { ...reply, successful: false, error: `400::The channel you requested to subscribe to does not exist {${subscription}}` };
    if (this.allocationSpent(ctx)) return { ...reply, successful: false, error: '403::Organization total events daily limit exceeded' };
    const replay = (message.ext as { replay?: Record<string, unknown> } | undefined)?.replay?.[subscription];
    const replayId = replay === undefined ? -1 : Number(replay);
    const retained = this.bus.retained(ctx.clock.nowMs());
    let position: number;
    if (replayId === -1) position = this.bus.latestReplayId();
    else if (replayId === -2) position = 0;
    else if (Number.isInteger(replayId) && retained.some((e) => e.replayId === replayId)) position = replayId;
    else {
      return {
        ...reply, successful: false,
        error: `400::The replayId {${String(replay)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
      };
    }
    client.subscriptions.set(subscription, position);
    return { ...reply, successful: true };
  }

  private async connect(client: Client, message: Message, base: Record<string, unknown>, ctx: HandlerContext): Promise<unknown[]> {
    const advice = { reconnect: 'retry', interval: 0, timeout: CONNECT_TIMEOUT_MS };
    if (message.connectionType !== 'long-polling') {
      return [{ ...base, successful: false, error: `400::Invalid connection type ${String(message.connectionType)}`, advice: { reconnect: 'none' } }];
    }
    if (this.allocationSpent(ctx)) return [{ ...base, successful: false, error: '403::Organization total events daily limit exceeded', advice: { reconnect: 'none' } }];
    const asked = Number((message.advice as { timeout?: unknown } | undefined)?.timeout);
    const holdMs = Number.isFinite(asked) && asked >= 0 ? Math.min(asked, CONNECT_TIMEOUT_MS) : CONNECT_TIMEOUT_MS;
    const deadline = Date.now() + holdMs;
    let delivered = this.pending(client, ctx);
    while (delivered.length === 0 && Date.now() < deadline && this.clients.has(String(message.clientId))) {
      await this.bus.waitForPublish(deadline - Date.now());
      delivered = this.pending(client, ctx);
    }
    this.recordDeliveries(ctx, delivered.length);
    client.lastSeenMs = Date.now();
    return [...delivered, { ...base, successful: true, advice }];
  }

  /** The events waiting for each subscription, and the subscriptions moved past them. */
  private pending(client: Client, ctx: HandlerContext): unknown[] {
    const retained = this.bus.retained(ctx.clock.nowMs());
    const out: unknown[] = [];
    for (const [channel, position] of client.subscriptions) {
      const waiting = retained.filter((e) => e.replayId > position && onChannel(channel, e));
      if (waiting.length === 0) continue;
      client.subscriptions.set(channel, waiting[waiting.length - 1].replayId);
      out.push(...waiting.map((e) => ({ channel, data: { schema: schemaId(e.eventName), payload: e.payload, event: { replayId: e.replayId } } })));
    }
    return out;
  }

  private channelExists(channel: string): boolean {
    if (channel === '/data/ChangeEvents') return true;
    return [...this.bus.selected].some((entity) => channel === `/data/${changeEventName(entity)}`);
  }

  private allocationSpent(ctx: HandlerContext): boolean {
    const allocation = this.options.dailyDeliveryAllocation;
    if (allocation === undefined) return false;
    const since = ctx.clock.nowMs() - DAY_MS;
    while (this.deliveries.length > 0 && this.deliveries[0].atMs < since) this.deliveries.shift();
    return this.deliveries.reduce((sum, d) => sum + d.count, 0) >= allocation;
  }

  private recordDeliveries(ctx: HandlerContext, count: number): void {
    if (count > 0) this.deliveries.push({ atMs: ctx.clock.nowMs(), count });
  }

  private forgetIdleClients(): void {
    const now = Date.now();
    for (const [id, client] of this.clients) if (now - client.lastSeenMs > CLIENT_EXPIRY_MS) this.clients.delete(id);
  }
}

function onChannel(channel: string, event: PublishedEvent): boolean {
  return channel === '/data/ChangeEvents' || channel === `/data/${event.eventName}`;
}

/** The event schema's id as the payload names it (a stable hash per event type in Salesforce; any stable string here). */
function schemaId(eventName: string): string {
  return Buffer.from(eventName).toString('base64url').slice(0, 22);
}

function cookieOf(req: SandboxRequest): string {
  const cookie = req.headers.cookie;
  return Array.isArray(cookie) ? cookie.join('; ') : cookie ?? '';
}
