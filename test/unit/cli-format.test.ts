import { describeProblem } from '../../src/cli/api-client';
import type { Load } from '../../src/cli/api-types';
import { parseConfigPairs } from '../../src/cli/commands/connections';
import { etaText, progressOf } from '../../src/cli/load-progress';
import { table } from '../../src/cli/output';

const counts = { total: 10, created: 2, updated: 1, deleted: 0, unchanged: 1, failed: 1, verified: 3, rolledBack: 0, rollbackFailed: 0 };
const load = (over: Partial<Load>): Load => ({
  id: 'ld_1', status: 'running', connectionId: 'cn_1', connector: 'hubspot', object: 'contacts', operation: 'upsert', naturalKey: 'email',
  dryRun: false, options: { dryRun: false, verify: true, onError: 'rollback', rollbackWindowSeconds: 60 }, counts, phase: 'writing',
  rollbackUntil: null, createdAt: '', startedAt: null, finishedAt: null, ...over,
});

describe('forge: what the progress bar and tables show', () => {
  it('counts records done: written or failed for a run, planned for a dry run, undone for a rollback', () => {
    expect(progressOf(load({}), 'run')).toEqual({ done: 5, total: 10 });
    expect(progressOf(load({ dryRun: true, plan: { create: 4, update: 2, delete: 0, unchanged: 1 } }), 'run')).toEqual({ done: 8, total: 10 });
    expect(progressOf(load({ counts: { ...counts, created: 1, rolledBack: 2 } }), 'rollback')).toEqual({ done: 2, total: 4 });
  });

  it('tells the time left from the rate seen, and nothing before a first record', () => {
    expect(etaText(100, 0)).toBe('-');
    expect(etaText(0, 0)).toBe('0s');
    expect(etaText(90, 2)).toBe('45s');
    expect(etaText(1_000, 4)).toBe('4m10s');
    expect(etaText(100_000, 10)).toBe('2h46m');
  });

  it('names the field of a problem once', () => {
    expect(describeProblem({ field: 'line 3, column age', message: 'line 3, column age: age must be a number' })).toBe('line 3, column age: age must be a number');
    expect(describeProblem({ field: 'object', message: 'hubspot has no object "x"' })).toBe('object: hubspot has no object "x"');
  });

  it('reads --config key=value pairs, typing JSON values', () => {
    expect(parseConfigPairs(['baseUrl=http://127.0.0.1:4010', 'sandbox=true', 'realm=123', 'name=a=b'])).toEqual({
      baseUrl: 'http://127.0.0.1:4010', sandbox: true, realm: 123, name: 'a=b',
    });
    expect(() => parseConfigPairs(['novalue'])).toThrow('--config novalue: expected key=value');
  });

  it('pads table columns to their widest cell', () => {
    expect(table(['ID', 'NAME'], [['a', 'x'], ['long-id', null]])).toBe('ID       NAME\na        x\nlong-id');
  });
});
