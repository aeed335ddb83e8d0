import fc from 'fast-check';
import { RequestLog, type LoggedRequest } from '../../sandboxes/kit/request-log';

const entry = (n: number): LoggedRequest => ({ method: 'GET', path: `/r/${n}`, status: 200, query: '', at: `t${n}`, receivedAt: `t${n}` });

describe('RequestLog', () => {
  it('lists the newest entries it can hold, oldest first, however many were added and cleared', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.oneof(fc.constant('clear' as const), fc.nat())), (max, steps) => {
      const log = new RequestLog(max);
      let model: LoggedRequest[] = [];
      for (const s of steps) {
        if (s === 'clear') { log.clear(); model = []; continue; }
        log.add(entry(s));
        model = [...model, entry(s)].slice(-max);
      }
      expect(log.list()).toEqual(model);
    }));
  });
});
