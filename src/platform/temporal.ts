import { Client, Connection } from '@temporalio/client';
import type { AppConfig } from './config';
import { temporalDataConverter } from './temporal-codec';

export { SEARCH_ATTRIBUTE_NAMES } from './search-attributes';

export type TemporalSettings = Pick<AppConfig, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_TASK_QUEUE' | 'FORGE_MASTER_KEY_FILE'>;

export async function connectTemporal(settings: TemporalSettings): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address: settings.TEMPORAL_ADDRESS, connectTimeout: 5000 });
  const client = new Client({ connection, namespace: settings.TEMPORAL_NAMESPACE, dataConverter: temporalDataConverter(settings) });
  return { connection, client };
}

/** Stable, meaningful workflow ids: one place decides them. */
export const workflowIds = {
  load: (tenantId: string, loadId: string) => `load-${tenantId}-${loadId}`,
  capture: (tenantId: string, captureId: string) => `capture-${tenantId}-${captureId}`,
  bridge: (tenantId: string, bridgeId: string) => `bridge-${tenantId}-${bridgeId}`,
};
