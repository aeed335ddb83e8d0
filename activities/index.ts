import type { Pool } from 'pg';
import { createProbeActivities } from './probe';

export interface ActivityDeps {
  pool: Pool;
}

/** Every activity the worker registers, bound to its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createProbeActivities(deps),
  };
}
