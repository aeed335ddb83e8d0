import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { AppConfig } from '../platform/config';
import { createCredentialStore, type ObservableCredentialStore } from '../platform/credentials';
import { createPool, poolLimits } from '../platform/db/pool';
import { createLogger } from '../platform/logger';
import { temporalDataConverter } from '../platform/temporal-codec';
import { CONFIG, CREDENTIAL_STORE, GATEWAY_LOGGER, PG_POOL, TEMPORAL_CLIENT, TEMPORAL_CONNECTION } from './tokens';

/**
 * Config, the pg pool, the logger, the credential store and the Temporal connection/client as Nest
 * providers (useFactory), shared by every resource module. The Temporal connection is lazy so the gateway starts (and /health can say
 * so) while Temporal is down.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject(TEMPORAL_CONNECTION) private readonly connection: Connection,
    @Inject(CREDENTIAL_STORE) private readonly store: ObservableCredentialStore) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: PG_POOL, useFactory: () => createPool(config.DATABASE_URL, poolLimits(config)) },
        { provide: GATEWAY_LOGGER, useFactory: () => createLogger('gateway', config.LOG_LEVEL) },
        {
          provide: CREDENTIAL_STORE,
          inject: [PG_POOL, GATEWAY_LOGGER],
          useFactory: (pool: Pool, logger: Logger) => createCredentialStore(config, pool, { logger: logger.child({ component: 'credential-store' }) }),
        },
        { provide: TEMPORAL_CONNECTION, useFactory: () => Connection.lazy({ address: config.TEMPORAL_ADDRESS, connectTimeout: 3000 }) },
        {
          provide: TEMPORAL_CLIENT,
          inject: [TEMPORAL_CONNECTION],
          useFactory: (connection: Connection) => new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: temporalDataConverter(config) }),
        },
      ],
      exports: [CONFIG, PG_POOL, TEMPORAL_CONNECTION, TEMPORAL_CLIENT, GATEWAY_LOGGER, CREDENTIAL_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.store.close?.();
    await this.connection.close().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}
