import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { LoadsService } from './loads.service';
import { streamFormatOf } from './record-stream';

@ApiTags('loads')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1/loads')
export class LoadsController {
  constructor(@Inject(LoadsService) private readonly loads: LoadsService) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a load: a JSON body { connectionId, object, operation, naturalKey?, records, options? }, or records streamed as application/x-ndjson (one per line) or text/csv (a header row) with the target in the query string' })
  @ApiResponse({ status: 202, description: '{ id }: stored and started' })
  @ApiResponse({ status: 400, description: 'validation_failed, every bad field named (records.N.<key>, options.onError...; a streamed body\'s bad line, a natural key two records carry)' })
  @ApiResponse({ status: 413, description: 'the body is too large' })
  @ApiResponse({ status: 503, description: 'the workflow could not be started (the load is marked failed)' })
  @ApiQuery({ name: 'connectionId', required: false, description: 'streamed bodies: the target is in the query string (object, operation, naturalKey, dryRun, verify, onError, rollbackWindowSeconds too)' })
  create(@TenantId() tenantId: string, @Body() body: unknown, @Query() query: Record<string, unknown>, @Req() req: Request) {
    const format = streamFormatOf(req.headers['content-type']);
    if (format) return this.loads.createStreamed(tenantId, query, req, format);
    return this.loads.create(tenantId, body);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's loads, newest first (counts are on GET /v1/loads/:id)" })
  @ApiQuery({ name: 'limit', required: false, description: '1..200, default 50' })
  @ApiResponse({ status: 200, description: '{ loads: [{ id, status, connectionId, connector, object, operation, dryRun, recordCount, rollbackUntil, createdAt, finishedAt }] }' })
  list(@TenantId() tenantId: string, @Query() query: Record<string, unknown>) {
    return this.loads.list(tenantId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, counts, dry-run plan, timings and rollback window of a load' })
  @ApiResponse({ status: 200, description: '{ id, status, connector, object, operation, naturalKey, dryRun, counts, plan?, phase, rollbackUntil, createdAt, startedAt, finishedAt, error? }' })
  @ApiResponse({ status: 404, description: 'no such load for this tenant' })
  get(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.loads.get(tenantId, id);
  }

  @Get(':id/records')
  @ApiOperation({ summary: 'Per-record outcomes in index order, keyset-paginated' })
  @ApiQuery({ name: 'status', required: false, description: 'pending | created | updated | deleted | unchanged | failed | rolled_back | rollback_failed' })
  @ApiQuery({ name: 'after', required: false, description: 'the `next` of the previous page' })
  @ApiQuery({ name: 'limit', required: false, description: '1..1000, default 100' })
  @ApiResponse({ status: 200, description: '{ records: [{ index, key, status, id?, errors?, plan?, rollbackNote?, before?: { existed, changed?: { field: { from, to } } } }], next? }' })
  @ApiResponse({ status: 400, description: 'invalid status, after or limit' })
  @ApiResponse({ status: 404, description: 'no such load for this tenant' })
  records(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: Record<string, unknown>) {
    return this.loads.records(tenantId, id, query);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a pending or running load (its changes are rolled back)' })
  @ApiResponse({ status: 202, description: '{ id, status, signal }' })
  @ApiResponse({ status: 404, description: 'no such load for this tenant' })
  @ApiResponse({ status: 409, description: 'the load is not pending or running' })
  cancel(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.loads.cancel(tenantId, id);
  }

  @Post(':id/rollback')
  @HttpCode(202)
  @ApiOperation({ summary: 'Roll back a completed load within its rollback window' })
  @ApiResponse({ status: 202, description: '{ id, status, signal }' })
  @ApiResponse({ status: 404, description: 'no such load for this tenant' })
  @ApiResponse({ status: 409, description: 'not completed, a dry run, or the rollback window closed' })
  rollback(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.loads.rollback(tenantId, id);
  }
}
