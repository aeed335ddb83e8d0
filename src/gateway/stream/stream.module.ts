import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { StreamRepository } from '../../platform/db/repositories/stream';
import { AuthModule } from '../auth/auth.module';
import { ConnectionsModule } from '../connections/connections.module';
import { PG_POOL } from '../tokens';
import { StreamController } from './stream.controller';
import { StreamService } from './stream.service';

/** GET /v1/stream. */
@Module({
  imports: [AuthModule, ConnectionsModule],
  controllers: [StreamController],
  providers: [
    { provide: StreamRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new StreamRepository(pool) },
    StreamService,
  ],
})
export class StreamModule {}
