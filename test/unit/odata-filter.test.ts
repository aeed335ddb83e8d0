import { filterProperties as dataverseProperties, matchesFilter as dataverseMatches, parseFilter as parseDataverse } from '../../sandboxes/dynamics/odata';
import { ReplyError } from '../../sandboxes/kit';
import { FilterError, parseFilter as parseSage } from '../../sandboxes/kit/odata-filter';

// One $filter grammar (sandboxes/kit/odata-filter.ts), read by two dialects: Sage 300 / X3's and
// Dataverse's (sandboxes/dynamics/odata.ts).

describe('the kit $filter with the Sage dialect', () => {
  const rows = [
    { CustomerNumber: 'A1', Name: 'Ada', Balance: 10.5, OnHold: false, Maintained: '2015-12-31T12:00:00', Note: null },
    { CustomerNumber: 'a2', Name: "O'Brien", Balance: 99.99, OnHold: true, Maintained: '2016-01-02T00:00:00Z', Note: 'x' },
  ];
  const keys = (filter: string | null) => rows.filter(parseSage(filter)).map((r) => r.CustomerNumber);

  it('keeps every entity without a filter, or with a blank one', () => {
    expect(keys(null)).toEqual(['A1', 'a2']);
    expect(keys('  ')).toEqual(['A1', 'a2']);
  });

  it('reads decimals with the m suffix, booleans, nulls, quoted quotes, and, or, not, parentheses', () => {
    expect(keys('Balance eq 99.99m')).toEqual(['a2']);
    expect(keys('Balance lt 50')).toEqual(['A1']);
    expect(keys('OnHold eq true')).toEqual(['a2']);
    expect(keys('Note eq null')).toEqual(['A1']);
    expect(keys("Name eq 'O''Brien'")).toEqual(['a2']);
    expect(keys("not (Name eq 'Ada') or (Balance ge 10 and OnHold eq false)")).toEqual(['A1', 'a2']);
  });

  it("compares datetime'…' literals as UTC instants, and text case-sensitively", () => {
    expect(keys("Maintained ge datetime'2016-01-01T00:00'")).toEqual(['a2']);
    expect(keys("Maintained lt datetime'2016-01-01T00:00:00Z'")).toEqual(['A1']);
    expect(keys("CustomerNumber eq 'A2'")).toEqual([]);
  });

  it('refuses what it does not read with a FilterError saying what', () => {
    expect(() => parseSage("Name like 'x'")).toThrow(new FilterError('unsupported operator like'));
    expect(() => parseSage('Name toString 1')).toThrow(new FilterError('unsupported operator toString'));
    expect(() => parseSage('Name eq Ada')).toThrow(new FilterError('unreadable literal Ada'));
    expect(() => parseSage("Name eq 'Ada")).toThrow(new FilterError('a string literal is not closed'));
    expect(() => parseSage("Maintained gt datetime'soon'")).toThrow(new FilterError('unreadable datetime soon'));
    expect(() => parseSage('(Balance eq 1')).toThrow(new FilterError('the $filter ends too early'));
    expect(() => parseSage('Balance eq 1 Balance')).toThrow(new FilterError('unexpected Balance'));
  });
});

describe('the kit $filter with the Dataverse dialect', () => {
  const id = '6f1c2d3e-0000-4000-8000-00000000000A';
  const rows = [
    { accountid: id.toLowerCase(), name: 'Contoso', revenue: 100, accountnumber: 'N-1' },
    { accountid: '00000000-0000-4000-8000-000000000002', name: 'fabrikam', revenue: null, accountnumber: 'N-2' },
  ];
  const numbers = (text: string) => rows.filter((r) => dataverseMatches(parseDataverse(text), r)).map((r) => r.accountnumber);
  const refusal = (text: string) => {
    try {
      parseDataverse(text);
    } catch (error) {
      if (error instanceof ReplyError) return { status: error.reply.status, body: error.reply.body };
      throw error;
    }
    throw new Error(`${text} was accepted`);
  };

  it('reads GUIDs (any case), compares text ignoring case, and null only with eq and ne', () => {
    expect(numbers(`accountid eq ${id}`)).toEqual(['N-1']);
    expect(numbers("name eq 'FABRIKAM'")).toEqual(['N-2']);
    expect(numbers("name gt 'D'")).toEqual(['N-2']);
    expect(numbers('revenue eq null')).toEqual(['N-2']);
    expect(numbers('revenue ne null')).toEqual(['N-1']);
    expect(numbers('revenue ge null')).toEqual([]);
    expect(numbers('revenue gt 50')).toEqual(['N-1']);
    expect(numbers('revenue ne 50')).toEqual(['N-1', 'N-2']);
    expect(numbers("missing eq 'x' or not (missing eq 'y') and accountnumber eq 'N-2'")).toEqual(['N-2']);
  });

  it('names the properties a filter uses', () => {
    expect(dataverseProperties(parseDataverse("name eq 'x' or not (revenue ne null and accountnumber eq 'N-1')"))).toEqual(['name', 'revenue', 'accountnumber']);
  });

  it("refuses operators, literals and syntax it does not serve with Dataverse's 400 0x80060888", () => {
    for (const text of ["name like 'x'", 'name eq Contoso', "createdon gt datetime'2020-01-01T00:00'", 'name eq 1.5m', '', "(name eq 'x'", "name eq 'x' name"]) {
      const { status, body } = refusal(text);
      expect({ text, status, code: (body as { error: { code: string } }).error.code }).toEqual({ text, status: 400, code: '0x80060888' });
    }
  });
});
