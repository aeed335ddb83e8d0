import { fromDottedFields, inStoredKeyOrder, toDottedFields } from '../../src/connectors/kit';
import { sameValue } from '../../src/platform/load/compare';

describe('connector kit: nested values', () => {
  it('flattens nested objects to dotted fields and back, keeping arrays and empty objects whole', () => {
    const entity = { Id: '1', PrimaryEmailAddr: { Address: 'a@example.com' }, MetaData: { CreateTime: 't' }, Line: [{ Amount: 1 }], Empty: {} };
    const flat = toDottedFields(entity);
    expect(flat).toEqual({ Id: '1', 'PrimaryEmailAddr.Address': 'a@example.com', 'MetaData.CreateTime': 't', Line: [{ Amount: 1 }], Empty: {} });
    expect(fromDottedFields({ 'unit_cost.amount': '5.00', 'unit_cost.code': 'USD', name: 'x' })).toEqual({ unit_cost: { amount: '5.00', code: 'USD' }, name: 'x' });
  });

  it('orders keys as Postgres jsonb keeps them (shorter first, then bytes), so a stored value compares equal', () => {
    const answered = [{ SalesItemLineDetail: { UnitPrice: 10, ItemRef: { value: '2' }, Qty: 3 }, DetailType: 'SalesItemLineDetail', Amount: 30 }];
    const stored = JSON.parse('[{"Amount":30,"DetailType":"SalesItemLineDetail","SalesItemLineDetail":{"Qty":3,"ItemRef":{"value":"2"},"UnitPrice":10}}]');
    expect(sameValue(answered, stored)).toBe(true); // the platform's compare ignores key order since nested values became its concern
    expect(sameValue(inStoredKeyOrder(answered), stored)).toBe(true);
    expect(JSON.stringify(inStoredKeyOrder(answered))).toBe(JSON.stringify(stored));
    expect(Object.keys(inStoredKeyOrder({ b: 1, a: 2, B: 3, aa: 4 }))).toEqual(['B', 'a', 'b', 'aa']);
  });
});
