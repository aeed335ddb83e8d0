import type { Pool } from 'pg';

export function createProbeActivities(deps: { pool: Pool }) {
  return {
    async probeDatabase(): Promise<string> {
      const { rows } = await deps.pool.query<{ version: string }>('SELECT current_setting(\'server_version\') AS version');
      return `postgres ${rows[0].version}`;
    },
  };
}
export type ProbeActivities = ReturnType<typeof createProbeActivities>;
