import type { ConnectorDefinition } from '../../src/connectors/contract';
import { demoLoadFor } from '../../scripts/dev/demo-loads';

// npm run dev -- --sandboxes offers a first load per system; a system added to the registry
// without one written for it still gets one, guessed from its ObjectSpec and marked as a guess.
describe('the first load npm run dev -- --sandboxes offers', () => {
  it('is guessed for a new system from its first writable object: its key, its required writable fields', () => {
    const def = {
      id: 'newsystem',
      objects: [
        { name: 'events', naturalKeys: ['id'], fields: [], operations: [], batchSize: 1, cursor: 'timestamp' },
        { name: 'things', naturalKeys: ['id', 'ext'], batchSize: 10, cursor: 'timestamp', operations: ['create', 'upsert'],
          fields: [
            { name: 'id', type: 'string', readOnly: true },
            { name: 'ext', type: 'string' },
            { name: 'title', type: 'string', required: true },
            { name: 'email_address', type: 'string', required: true },
            { name: 'count', type: 'number', required: true },
            { name: 'modified', type: 'datetime', readOnly: true, required: true },
            { name: 'note', type: 'string' },
          ] },
      ],
    } as unknown as ConnectorDefinition;
    expect(demoLoadFor(def)).toEqual({
      object: 'things', operation: 'upsert', naturalKey: 'ext', guessed: true,
      records: [1, 2].map((n) => ({ ext: `demo-${n}`, title: `demo-${n}`, email_address: `demo-${n}@example.com`, count: n })),
    });
  });

});
