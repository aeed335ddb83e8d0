import { ConnectorError, isConnectorError } from '../../platform/errors';
import type { HttpClient } from '../../platform/http';
import { SYSTEM } from './errors';

/**
 * The Streaming API's CometD endpoint (/cometd/<version>, Bayeux 1.0 over HTTP long polling), as
 * far as a Change Data Capture reader needs it: handshake, subscribe with a replay position,
 * connect, disconnect (Streaming API Developer Guide, "How the Client Connects", "Streaming API
 * Error Codes"). The session's cookies (BAYEUX_BROWSER and the instance's) are sent back on every
 * message after the handshake, as the Streaming API requires.
 */

/** Replay every retained event (72 hours). */
export const REPLAY_ALL = -2;

/** A change event as delivered: the subscribed channel, the payload and its replayId. */
export interface DeliveredEvent {
  channel: string;
  replayId: number;
  payload: Record<string, unknown> & { ChangeEventHeader: ChangeEventHeader };
}

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: string;
  commitTimestamp: number;
  commitNumber: number;
  sequenceNumber: number;
  transactionKey?: string;
  changedFields?: string[];
}

interface BayeuxMessage {
  channel?: string;
  successful?: boolean;
  error?: string;
  clientId?: string;
  data?: { payload?: unknown; event?: { replayId?: unknown } };
}

export interface StreamingSession {
  clientId: string;
  cookie: string;
}

/** The Streaming API refused events for the day (the org's event delivery allocation, a rolling 24 hours): try again this much later (the platform's longest Retry-After). */
export const DELIVERY_ALLOCATION_RETRY_MS = 5 * 60_000;
/** Above the long poll's own hold: the request's own timeout. */
const CONNECT_TIMEOUT_MARGIN_MS = 5_000;
const CONNECTS_PER_POLL = 3;

export class StreamingClient {
  private messageId = 0;

  constructor(private readonly http: HttpClient, private readonly apiVersion: string) {}

  async handshake(): Promise<StreamingSession> {
    const { messages, cookie } = await this.send([{ channel: '/meta/handshake', version: '1.0', minimumVersion: '1.0', supportedConnectionTypes: ['long-polling'], ext: { replay: true } }]);
    const reply = answerOn(messages, '/meta/handshake');
    if (!reply.clientId) throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: 'salesforce Streaming API handshake answered no clientId' });
    return { clientId: reply.clientId, cookie };
  }

  /** Subscribes `channel` from the event after `replayId` (or every retained one: REPLAY_ALL). */
  async subscribe(session: StreamingSession, channel: string, replayId: number): Promise<void> {
    const { messages } = await this.send([{ channel: '/meta/subscribe', clientId: session.clientId, subscription: channel, ext: { replay: { [channel]: replayId } } }], session);
    answerOn(messages, '/meta/subscribe', channel);
  }

  /**
   * Waits up to `holdMs` for events: the first ones delivered, or none when the time is up. The
   * hold is asked for in the connect's `advice.timeout`; a server that answers at once anyway (a
   * CometD server may not hold the first connect after a handshake) is asked again, at most
   * CONNECTS_PER_POLL times, and one that holds longer (Salesforce's own 110 s) is not waited for:
   * its connect times out, which loses nothing, since the next call subscribes from the cursor.
   */
  async poll(session: StreamingSession, holdMs: number): Promise<DeliveredEvent[]> {
    const deadline = Date.now() + holdMs;
    for (let connects = 1; ; connects++) {
      const left = Math.max(0, deadline - Date.now());
      const events = await this.connect(session, left).catch((err: unknown) => {
        if (isConnectorError(err) && err.kind === 'transient' && / timed out/.test(err.message)) return [];
        throw err;
      });
      if (events.length > 0 || connects >= CONNECTS_PER_POLL || Date.now() >= deadline) return events;
    }
  }

  /** One long poll: the events waiting now, else those published within `holdMs`, else none. */
  async connect(session: StreamingSession, holdMs: number): Promise<DeliveredEvent[]> {
    const { messages } = await this.send([{ channel: '/meta/connect', clientId: session.clientId, connectionType: 'long-polling', advice: { timeout: holdMs } }],
      session, holdMs + CONNECT_TIMEOUT_MARGIN_MS);
    answerOn(messages, '/meta/connect');
    return messages.filter((m) => m.channel !== undefined && !m.channel.startsWith('/meta/')).map(deliveredEvent);
  }

  /** Ends the session; a failure here loses nothing (the server forgets idle clients), so it is not reported. */
  async disconnect(session: StreamingSession): Promise<void> {
    await this.send([{ channel: '/meta/disconnect', clientId: session.clientId }], session).catch(() => undefined);
  }

  private async send(messages: Array<Record<string, unknown>>, session?: StreamingSession, timeoutMs?: number): Promise<{ messages: BayeuxMessage[]; cookie: string }> {
    const res = await this.http.request<unknown>({
      method: 'POST',
      path: `/cometd/${this.apiVersion}`,
      json: messages.map((m) => ({ ...m, id: String(++this.messageId) })),
      headers: session?.cookie ? { cookie: session.cookie } : {},
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    const body = Array.isArray(res.body) ? (res.body as BayeuxMessage[]) : [];
    return { messages: body, cookie: cookiesOf(res.headers['set-cookie']) };
  }
}

/** The reply on a meta channel, or the error it carries as a ConnectorError. */
function answerOn(messages: BayeuxMessage[], channel: string, subscription?: string): BayeuxMessage {
  const reply = messages.find((m) => m.channel === channel);
  if (!reply) throw new ConnectorError({ kind: 'transient', system: SYSTEM, message: `salesforce Streaming API answered no ${channel} reply` });
  if (reply.successful === true) return reply;
  throw streamingError(channel, String(reply.error ?? 'unsuccessful'), subscription);
}

/**
 * Streaming API errors ("<code>::<text>") by the platform's taxonomy: an unavailable replayId is
 * the caller's to handle (not_found), the daily delivery allocation passes (transient, later),
 * an unknown client or a dropped session asks for a new handshake (transient, at once), a
 * channel that does not exist (an entity not selected for Change Data Capture) is permanent.
 */
function streamingError(channel: string, error: string, subscription?: string): ConnectorError {
  const message = `salesforce Streaming API ${channel}${subscription ? ` ${subscription}` : ''} answered ${error}`;
  if (/replayId .* you provided was invalid/i.test(error)) return new ConnectorError({ kind: 'not_found', system: SYSTEM, status: 400, code: 'REPLAY_ID_UNAVAILABLE', message });
  if (/daily limit exceeded/i.test(error)) return new ConnectorError({ kind: 'transient', system: SYSTEM, status: 403, retryAfterMs: DELIVERY_ALLOCATION_RETRY_MS, code: 'DELIVERY_ALLOCATION_EXCEEDED', message });
  if (/^403::Unknown client/i.test(error)) return new ConnectorError({ kind: 'transient', system: SYSTEM, status: 403, message });
  if (/channel you requested to subscribe to does not exist/i.test(error)) return new ConnectorError({ kind: 'permanent', system: SYSTEM, status: 400, code: 'UNKNOWN_CHANNEL', message });
  if (/^401::/.test(error)) return new ConnectorError({ kind: 'permanent', system: SYSTEM, status: 401, message });
  return new ConnectorError({ kind: 'permanent', system: SYSTEM, message });
}

function deliveredEvent(message: BayeuxMessage): DeliveredEvent {
  const payload = message.data?.payload as DeliveredEvent['payload'] | undefined;
  const replayId = Number(message.data?.event?.replayId);
  if (!payload?.ChangeEventHeader || !Number.isInteger(replayId)) {
    throw new ConnectorError({ kind: 'permanent', system: SYSTEM, message: `salesforce Streaming API delivered a message on ${String(message.channel)} that is not a change event` });
  }
  return { channel: String(message.channel), replayId, payload };
}

/** `name=value` of every cookie a Set-Cookie header (possibly several, comma-joined) sets. */
function cookiesOf(setCookie: string | undefined): string {
  if (!setCookie) return '';
  return setCookie.split(/,(?=\s*[A-Za-z0-9_.-]+=)/).map((c) => c.split(';')[0].trim()).filter((c) => c.includes('=')).join('; ');
}
