import crypto from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiKeysRepository } from '../../platform/db/repositories/api-keys';
import { conflict, notFound } from '../errors/api-error';
import { parseOrThrow } from '../errors/zod-validation';
import { hashApiKey, newApiKey } from './api-key';
import { ApiKeyGuard } from './api-key.guard';
import { TenantId } from './tenant-id.decorator';

const createKeyBody = z.object({ name: z.string().trim().min(1).max(200).optional() }).strict();

/** A tenant's own API keys: create another (shown once), list them (never the keys), revoke one. */
@ApiTags('api-keys')
@ApiBearerAuth()
@UseGuards(ApiKeyGuard)
@ApiResponse({ status: 401, description: 'missing or invalid API key' })
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeysRepository) private readonly keys: ApiKeysRepository) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create another API key for this tenant; the key is shown only in this answer' })
  @ApiResponse({ status: 201, description: '{ id, name, apiKey }' })
  async create(@TenantId() tenantId: string, @Body() body: unknown): Promise<{ id: string; name: string; apiKey: string }> {
    const { name } = parseOrThrow(createKeyBody, body ?? {});
    const apiKey = newApiKey(tenantId);
    const id = `ak_${crypto.randomBytes(10).toString('hex')}`;
    const row = await this.keys.insert({ id, tenantId, name: name ?? id, keyHash: hashApiKey(apiKey) });
    return { id: row.id, name: row.name, apiKey };
  }

  @Get()
  @ApiOperation({ summary: "The tenant's API keys (ids, names, dates; never the keys)" })
  @ApiResponse({ status: 200, description: '{ keys: [{ id, name, createdAt, revokedAt }] }' })
  async list(@TenantId() tenantId: string) {
    const rows = await this.keys.listForTenant(tenantId);
    return { keys: rows.map((k) => ({ id: k.id, name: k.name, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt?.toISOString() ?? null })) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key at once (not the last active one)' })
  @ApiResponse({ status: 204, description: 'revoked' })
  @ApiResponse({ status: 404, description: 'no such active key for this tenant' })
  @ApiResponse({ status: 409, description: 'the last active key cannot be revoked' })
  async revoke(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    const outcome = await this.keys.revoke(tenantId, id);
    if (outcome === 'not_found') throw notFound('api key', id);
    if (outcome === 'last_key') throw conflict('this is the last active API key of the tenant: create another one first');
  }
}
