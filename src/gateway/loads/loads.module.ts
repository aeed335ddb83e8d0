import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Pool } from 'pg';
import { LoadsRepository } from '../../platform/db/repositories/loads';
import { AuthModule } from '../auth/auth.module';
import { ConnectionsModule } from '../connections/connections.module';
import { PG_POOL } from '../tokens';
import { registerLoadsBodyParser } from './loads-body-parser';
import { LoadsController } from './loads.controller';
import { LoadsService } from './loads.service';
import { LoadWorkflowClient } from './load-workflow.client';

@Module({
  imports: [AuthModule, ConnectionsModule],
  controllers: [LoadsController],
  providers: [
    { provide: LoadsRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new LoadsRepository(pool) },
    LoadWorkflowClient,
    LoadsService,
  ],
})
export class LoadsModule {
  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    registerLoadsBodyParser(adapterHost);
  }
}
