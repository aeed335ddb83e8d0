import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { ConnectionsRepository } from '../../platform/db/repositories/connections';
import { AuthModule } from '../auth/auth.module';
import { PG_POOL } from '../tokens';
import { ConnectionsController } from './connections.controller';
import { ConnectionsService } from './connections.service';

@Module({
  imports: [AuthModule],
  controllers: [ConnectionsController],
  providers: [
    { provide: ConnectionsRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new ConnectionsRepository(pool) },
    ConnectionsService,
  ],
  exports: [ConnectionsRepository, ConnectionsService],
})
export class ConnectionsModule {}
