import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { TenantsRepository } from '../../platform/db/repositories/tenants';
import { PG_POOL } from '../tokens';
import { AdminKeyGuard } from './admin-key.guard';
import { ApiKeyGuard } from './api-key.guard';

@Module({
  providers: [
    { provide: TenantsRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new TenantsRepository(pool) },
    ApiKeyGuard,
    AdminKeyGuard,
  ],
  exports: [TenantsRepository, ApiKeyGuard, AdminKeyGuard],
})
export class AuthModule {}
