import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { CapturesRepository } from '../../platform/db/repositories/captures';
import { AuthModule } from '../auth/auth.module';
import { ConnectionsModule } from '../connections/connections.module';
import { StreamModule } from '../stream/stream.module';
import { PG_POOL } from '../tokens';
import { CaptureWorkflowClient } from './capture-workflow.client';
import { CapturesController } from './captures.controller';
import { CapturesService } from './captures.service';

/** /v1/captures, and (imported here so the app module needs one line) /v1/stream. */
@Module({
  imports: [AuthModule, ConnectionsModule, StreamModule],
  controllers: [CapturesController],
  providers: [
    { provide: CapturesRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new CapturesRepository(pool) },
    CaptureWorkflowClient,
    CapturesService,
  ],
})
export class CapturesModule {}
