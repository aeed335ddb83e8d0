import { loadConfig } from '../../src/platform/config';

describe('loadConfig', () => {
  it('names every field that is wrong', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url', PORT: 'eighty' })).toThrow(/DATABASE_URL.*PORT|PORT.*DATABASE_URL/);
  });
  it('fills defaults', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(c).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_TASK_QUEUE: 'forgeworks', PORT: 3000, HOST: '127.0.0.1' });
  });
});
