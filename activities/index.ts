import type { Pool } from 'pg';
import type { CredentialStore } from '../src/platform/credentials/store';
import { createBridgeActivities } from './bridge';
import { createCaptureActivities } from './capture';
import { createLoadActivities } from './load';
import { createProbeActivities } from './probe';

export interface ActivityDeps {
  pool: Pool;
  credentials: CredentialStore;
  /** Segments of one load run at once (FORGE_LOAD_SEGMENT_LANES). */
  loadSegmentLanes?: number;
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createProbeActivities(deps),
    ...createLoadActivities(deps),
    ...createCaptureActivities(deps),
    ...createBridgeActivities(deps),
  };
}
