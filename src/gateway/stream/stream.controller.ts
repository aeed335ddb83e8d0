import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { StreamService } from './stream.service';

@ApiTags('stream')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1/stream')
export class StreamController {
  constructor(@Inject(StreamService) private readonly stream: StreamService) {}

  @Get()
  @ApiOperation({ summary: 'Captured change events of a connection, in offset order (offsets are JSON integers, strictly increasing)' })
  @ApiQuery({ name: 'connectionId', required: true })
  @ApiQuery({ name: 'object', required: false })
  @ApiQuery({ name: 'op', required: false, description: 'upsert or delete' })
  @ApiQuery({ name: 'recordIdContains', required: false, description: 'events whose record id contains this text' })
  @ApiQuery({ name: 'after', required: false, description: 'events with a greater offset: `next`, or the last offset seen (default 0)' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiResponse({ status: 200, description: '{ events: [{ offset, connectionId, object, recordId, op, version, occurredAt, capturedAt, data }], next? } (next when more events exist now; to tail, pass the last offset as after)' })
  @ApiResponse({ status: 400, description: 'validation_failed naming connectionId, op, recordIdContains, after or limit' })
  @ApiResponse({ status: 404, description: 'no such connection for this tenant' })
  read(@TenantId() tenantId: string, @Query() query: Record<string, unknown>) {
    return this.stream.read(tenantId, query);
  }
}
