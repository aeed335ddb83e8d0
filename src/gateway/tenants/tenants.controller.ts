import crypto from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { TenantsRepository } from '../../platform/db/repositories/tenants';
import { AdminKeyGuard } from '../auth/admin-key.guard';
import { hashApiKey, newApiKey, newTenantId } from '../auth/api-key';
import { parseOrThrow } from '../errors/zod-validation';

const createTenantBody = z.object({
  name: z.string().trim().min(1).max(200).optional(),
}).strict();

@ApiTags('tenants')
@ApiBearerAuth()
@Controller('v1/tenants')
export class TenantsController {
  constructor(@Inject(TenantsRepository) private readonly tenants: TenantsRepository) {}

  @Post()
  @HttpCode(201)
  @UseGuards(AdminKeyGuard)
  @ApiOperation({ summary: 'Create a tenant (admin key); its API key is shown only in this answer' })
  @ApiResponse({ status: 201, description: '{ id, name, apiKey }' })
  @ApiResponse({ status: 400, description: 'invalid body' })
  @ApiResponse({ status: 401, description: 'missing or wrong admin key' })
  @ApiResponse({ status: 503, description: 'FORGE_ADMIN_KEY is not configured' })
  async create(@Body() body: unknown): Promise<{ id: string; name: string; apiKey: string }> {
    const { name } = parseOrThrow(createTenantBody, body ?? {});
    const id = newTenantId();
    const apiKey = newApiKey(id);
    const tenant = await this.tenants.insert({ id, name: name ?? id, apiKeyHash: hashApiKey(apiKey), apiKeyId: `ak_${crypto.randomBytes(10).toString('hex')}` });
    return { id: tenant.id, name: tenant.name, apiKey };
  }
}
