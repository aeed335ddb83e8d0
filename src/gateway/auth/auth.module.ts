import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { ApiKeysRepository } from '../../platform/db/repositories/api-keys';
import { TenantsRepository } from '../../platform/db/repositories/tenants';
import { PG_POOL } from '../tokens';
import { AdminKeyGuard } from './admin-key.guard';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeysController } from './api-keys.controller';

@Module({
  controllers: [ApiKeysController],
  providers: [
    { provide: ApiKeysRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new ApiKeysRepository(pool) },
    { provide: TenantsRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new TenantsRepository(pool) },
    ApiKeyGuard,
    AdminKeyGuard,
  ],
  exports: [TenantsRepository, ApiKeysRepository, ApiKeyGuard, AdminKeyGuard],
})
export class AuthModule {}
