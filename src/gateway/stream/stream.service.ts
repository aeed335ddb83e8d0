import { Inject, Injectable } from '@nestjs/common';
import { ConnectionsRepository } from '../../platform/db/repositories/connections';
import { StreamRepository, type StreamEventRow } from '../../platform/db/repositories/stream';
import { notFound } from '../errors/api-error';
import { parseOrThrow } from '../errors/zod-validation';
import { streamQuery } from './stream-query';

export interface StreamEventView {
  offset: number;
  connectionId: string;
  object: string;
  recordId: string;
  op: 'upsert' | 'delete';
  version: string;
  occurredAt: string;
  capturedAt: string;
  data: Record<string, unknown> | null;
}

function eventView(e: StreamEventRow): StreamEventView {
  return {
    offset: e.offset, connectionId: e.connectionId, object: e.object, recordId: e.recordId, op: e.op, version: e.version,
    occurredAt: e.occurredAt.toISOString(), capturedAt: e.capturedAt.toISOString(), data: e.data,
  };
}

@Injectable()
export class StreamService {
  constructor(
    @Inject(StreamRepository) private readonly stream: StreamRepository,
    @Inject(ConnectionsRepository) private readonly connections: ConnectionsRepository,
  ) {}

  /** A page of the tenant's Stream for one connection (and object, change, record id), in offset order; `next` when more is there now. */
  async read(tenantId: string, rawQuery: unknown): Promise<{ events: StreamEventView[]; next?: number }> {
    const q = parseOrThrow(streamQuery, rawQuery);
    if (!(await this.connections.findForTenant(tenantId, q.connectionId))) throw notFound('connection', q.connectionId);
    const rows = await this.stream.list({
      tenantId, connectionId: q.connectionId, object: q.object, op: q.op, recordIdContains: q.recordIdContains, after: q.after, limit: q.limit,
    });
    const page = rows.slice(0, q.limit);
    return {
      events: page.map(eventView),
      ...(rows.length > q.limit ? { next: page[page.length - 1].offset } : {}),
    };
  }
}
