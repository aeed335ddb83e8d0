import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { BridgesRepository } from '../../platform/db/repositories/bridges';
import { AuthModule } from '../auth/auth.module';
import { ConnectionsModule } from '../connections/connections.module';
import { PG_POOL } from '../tokens';
import { BridgeWorkflowClient } from './bridge-workflow.client';
import { BridgesController } from './bridges.controller';
import { BridgesService } from './bridges.service';

/** /v1/bridges: Slack <-> Teams channel bridges (workflows/bridge.ts). */
@Module({
  imports: [AuthModule, ConnectionsModule],
  controllers: [BridgesController],
  providers: [
    { provide: BridgesRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new BridgesRepository(pool) },
    BridgeWorkflowClient,
    BridgesService,
  ],
})
export class BridgesModule {}
