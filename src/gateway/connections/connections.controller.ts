import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { ConnectionsService, type ConnectionTestResult, type ConnectionView } from './connections.service';

@ApiTags('connections')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1/connections')
export class ConnectionsController {
  constructor(@Inject(ConnectionsService) private readonly connections: ConnectionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a connection: { connector, name, credentials, config, rateLimits? }; credentials go to the credential store; rateLimits ([{ requests, perSeconds, burst? }]) replaces the limits the connector documents (an account tier; [] for none, a cost-based limit such as Shopify’s included)' })
  @ApiResponse({ status: 201, description: '{ id }' })
  @ApiResponse({ status: 400, description: 'validation_failed: unknown connector, bad credentials or config (fields named)' })
  @ApiResponse({ status: 409, description: 'a connection with this name already exists' })
  @ApiResponse({ status: 503, description: 'the connection or its credentials could not be stored' })
  create(@TenantId() tenantId: string, @Body() body: unknown): Promise<{ id: string }> {
    return this.connections.create(tenantId, body);
  }

  @Get()
  @ApiOperation({ summary: "List the tenant's connections (never their credentials)" })
  @ApiResponse({ status: 200, description: '{ connections: [{ id, connector, name, config, createdAt }] }' })
  async list(@TenantId() tenantId: string): Promise<{ connections: ConnectionView[] }> {
    return { connections: await this.connections.list(tenantId) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One connection (never its credentials)' })
  @ApiResponse({ status: 200, description: '{ id, connector, name, config, createdAt }' })
  @ApiResponse({ status: 404, description: 'no such connection for this tenant' })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ConnectionView> {
    return this.connections.get(tenantId, id);
  }

  @Put(':id/credentials')
  @HttpCode(204)
  @ApiOperation({ summary: "Replace a connection's credentials: { credentials } (checked against the connector's auth schema)" })
  @ApiResponse({ status: 204, description: 'stored in both credential stores' })
  @ApiResponse({ status: 400, description: 'validation_failed, the bad credential fields named (never their values)' })
  @ApiResponse({ status: 404, description: 'no such connection for this tenant' })
  async replaceCredentials(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    await this.connections.replaceCredentials(tenantId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a connection and its credentials (both stores); its loads and Stream stay readable' })
  @ApiResponse({ status: 204, description: 'deleted' })
  @ApiResponse({ status: 404, description: 'no such connection for this tenant' })
  @ApiResponse({ status: 409, description: 'a live capture, bridge or running load still uses it' })
  async delete(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.connections.delete(tenantId, id);
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the stored credentials against the system' })
  @ApiResponse({ status: 200, description: '{ ok: true } or { ok: false, error: { kind, message } }' })
  @ApiResponse({ status: 404, description: 'no such connection for this tenant' })
  test(@TenantId() tenantId: string, @Param('id') id: string): Promise<ConnectionTestResult> {
    return this.connections.test(tenantId, id);
  }
}
