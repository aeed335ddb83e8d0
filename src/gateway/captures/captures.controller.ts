import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { CapturesService } from './captures.service';

@ApiTags('captures')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1/captures')
export class CapturesController {
  constructor(@Inject(CapturesService) private readonly captures: CapturesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Start capturing an object of a connection into the Stream: { connectionId, object, intervalSeconds? (1..86400, default 60), options?: { pollsPerRun? } }' })
  @ApiResponse({ status: 201, description: '{ id }: stored and its workflow started' })
  @ApiResponse({ status: 400, description: 'validation_failed, every bad field named (connectionId, object, intervalSeconds...)' })
  @ApiResponse({ status: 409, description: 'the connection already has a running or paused capture of this object' })
  @ApiResponse({ status: 503, description: 'the workflow could not be started (the capture is marked stopped)' })
  create(@TenantId() tenantId: string, @Body() body: unknown) {
    return this.captures.create(tenantId, body);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's captures, newest first, with the live state of those running" })
  @ApiResponse({ status: 200, description: '{ captures: [ same shape as GET /v1/captures/:id ] }' })
  list(@TenantId() tenantId: string) {
    return this.captures.list(tenantId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, cursor, counts, lag and last error of a capture' })
  @ApiResponse({ status: 200, description: '{ id, connectionId, connector, object, status, intervalSeconds, lastPollAt, lastChangeAt, lagSeconds?, eventsCaptured, lastError?, cursor, polls?, runs?, createdAt, stoppedAt }' })
  @ApiResponse({ status: 404, description: 'no such capture for this tenant' })
  get(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.captures.get(tenantId, id);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop polling until resumed (the status query and GET show it once the workflow took the signal)' })
  @ApiResponse({ status: 202, description: '{ id, signal }' })
  @ApiResponse({ status: 404, description: 'no such capture for this tenant' })
  @ApiResponse({ status: 409, description: 'the capture is stopped' })
  pause(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.captures.pause(tenantId, id);
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiOperation({ summary: 'Poll again (also after a pause caused by a permanent error, once fixed)' })
  @ApiResponse({ status: 202, description: '{ id, signal }' })
  @ApiResponse({ status: 404, description: 'no such capture for this tenant' })
  @ApiResponse({ status: 409, description: 'the capture is stopped' })
  resume(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.captures.resume(tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop the capture for good (its events stay in the Stream); idempotent' })
  @ApiResponse({ status: 204, description: 'stopped' })
  @ApiResponse({ status: 404, description: 'no such capture for this tenant' })
  async stop(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.captures.stop(tenantId, id);
  }
}
