import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { BridgesService } from './bridges.service';

@ApiTags('bridges')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1/bridges')
export class BridgesController {
  constructor(@Inject(BridgesService) private readonly bridges: BridgesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Link a Slack channel and a Teams channel both ways: { slackConnectionId, slackChannel, teamsConnectionId, teamsChannel (teamId/channelId), intervalSeconds? }' })
  @ApiResponse({ status: 201, description: '{ id }: stored and its workflow started' })
  @ApiResponse({ status: 400, description: 'validation_failed, every bad field named' })
  @ApiResponse({ status: 409, description: 'one of the channels already has a live bridge' })
  @ApiResponse({ status: 503, description: 'the workflow could not be started (the bridge is marked stopped)' })
  create(@TenantId() tenantId: string, @Body() body: unknown) {
    return this.bridges.create(tenantId, body);
  }

  @Get()
  @ApiOperation({ summary: "The tenant's bridges, newest first, with the live state of those running" })
  @ApiResponse({ status: 200, description: '{ bridges: [ same shape as GET /v1/bridges/:id ] }' })
  list(@TenantId() tenantId: string) {
    return this.bridges.list(tenantId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Status, copy counts and last error of a bridge; while it runs, per direction (slackToTeams, teamsToSlack): copied, lastCopyAt, lagSeconds, lastError' })
  @ApiResponse({ status: 404, description: 'no such bridge for this tenant' })
  get(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.bridges.get(tenantId, id);
  }

  @Post(':id/pause')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop copying until resumed' })
  @ApiResponse({ status: 202, description: '{ id, signal }' })
  @ApiResponse({ status: 404, description: 'no such bridge for this tenant' })
  @ApiResponse({ status: 409, description: 'the bridge is stopped' })
  pause(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.bridges.signalLive(tenantId, id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(202)
  @ApiOperation({ summary: 'Copy again (also after a pause caused by a permanent error, once fixed)' })
  @ApiResponse({ status: 202, description: '{ id, signal }' })
  @ApiResponse({ status: 404, description: 'no such bridge for this tenant' })
  @ApiResponse({ status: 409, description: 'the bridge is stopped' })
  resume(@TenantId() tenantId: string, @Param('id') id: string) {
    return this.bridges.signalLive(tenantId, id, 'resume');
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Stop the bridge for good (copies stay); idempotent' })
  @ApiResponse({ status: 204, description: 'stopped' })
  @ApiResponse({ status: 404, description: 'no such bridge for this tenant' })
  async stop(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.bridges.stop(tenantId, id);
  }
}
