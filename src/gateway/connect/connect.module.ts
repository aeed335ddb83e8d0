import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { ConnectSessionsRepository } from '../../platform/db/repositories/connect-sessions';
import { AuthModule } from '../auth/auth.module';
import { ConnectionsModule } from '../connections/connections.module';
import { PG_POOL } from '../tokens';
import { ConnectController } from './connect.controller';
import { ConnectService } from './connect.service';

@Module({
  imports: [AuthModule, ConnectionsModule],
  controllers: [ConnectController],
  providers: [
    { provide: ConnectSessionsRepository, inject: [PG_POOL], useFactory: (pool: Pool) => new ConnectSessionsRepository(pool) },
    ConnectService,
  ],
})
export class ConnectModule {}
