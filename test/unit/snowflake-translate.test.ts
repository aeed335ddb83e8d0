import { SqlCompilationError, translate } from '../../sandboxes/snowflake/translate';

// The Snowflake sandbox's SQL translation (what runs on Postgres), without a database: the
// statement forms the connector sends, and what Snowflake refuses at compile time.

function refusal(statement: string): { code: string; sqlState: string; message: string } {
  try {
    translate(statement);
  } catch (err) {
    if (err instanceof SqlCompilationError) return { code: err.code, sqlState: err.sqlState, message: err.message };
    throw err;
  }
  throw new Error(`expected ${statement} to be refused`);
}

describe('Snowflake SQL translation', () => {
  it('resolves unquoted identifiers in upper case, keeps quoted ones, and turns binds into parameters', () => {
    expect(translate(`select id, "Mixed" from contacts where email in (?, ?) and last_name = 'O''Brien'`)).toEqual({
      kind: 'select', bindCount: 2,
      sql: `SELECT "ID" , "Mixed" FROM "CONTACTS" WHERE "EMAIL" IN ( $1 , $2 ) AND "LAST_NAME" = 'O''Brien'`,
    });
  });

  it('accepts FORGE_DB.PUBLIC-qualified names and refuses another database', () => {
    expect(translate('DELETE FROM FORGE_DB.PUBLIC.CONTACTS WHERE ID = ?').sql).toBe('DELETE FROM "CONTACTS" WHERE "ID" = $1');
    expect(refusal('SELECT * FROM OTHER_DB.PUBLIC.CONTACTS')).toMatchObject({ code: '002003' });
  });

  it("casts a MERGE source's binds to the target columns' types and reads its counts back", () => {
    const merge = translate('MERGE INTO "CONTACTS" USING (SELECT ? AS "EMAIL", ? AS "AGE" UNION ALL SELECT ?, ?) AS S ON "CONTACTS"."EMAIL" = S."EMAIL" '
      + 'WHEN MATCHED THEN UPDATE SET "AGE" = S."AGE" WHEN NOT MATCHED THEN INSERT ("EMAIL", "AGE") VALUES (S."EMAIL", S."AGE")');
    expect(merge.kind).toBe('merge');
    expect(merge.bindCount).toBe(4);
    expect(merge.sql).toContain('SELECT CAST($1 AS text) AS "EMAIL" , CAST($2 AS numeric(38,0)) AS "AGE" UNION ALL SELECT $3 , $4');
    expect(merge.sql.endsWith('RETURNING merge_action() AS "ACTION"')).toBe(true);
  });

  it('expands SELECT * to the visible columns, leaving out the row-id column', () => {
    expect(translate('SELECT * FROM ACCOUNTS').sql).toBe('SELECT "ACCOUNT_ID", "NAME", "BALANCE", "UPDATED_AT" FROM "ACCOUNTS"');
    expect(refusal('SELECT __SF_ROW_ID FROM CONTACTS')).toMatchObject({ code: '000904', message: expect.stringContaining("invalid identifier '__SF_ROW_ID'") });
  });

  it('reads CHANGES(INFORMATION => DEFAULT) AT/END from the change log, with its METADATA$ columns', () => {
    const changes = translate('SELECT * FROM "CONTACTS" CHANGES(INFORMATION => DEFAULT) AT(TIMESTAMP => ?::TIMESTAMP_LTZ) END(TIMESTAMP => CURRENT_TIMESTAMP())');
    expect(changes.bindCount).toBe(1);
    expect(changes.sql).toContain('"METADATA$ACTION", "METADATA$ISUPDATE", "METADATA$ROW_ID" FROM (WITH w AS (SELECT * FROM "__SF_CHANGES"');
    expect(changes.sql).toContain(`changed_at > ($1 ::timestamptz) AND changed_at <= (CURRENT_TIMESTAMP)`);
    expect(changes.sql).toMatch(/\) AS "CONTACTS"$/);
    expect(refusal('SELECT * FROM ACCOUNTS CHANGES(INFORMATION => DEFAULT) AT(TIMESTAMP => ?)').message).toMatch(/Change tracking is not enabled/);
    expect(refusal('SELECT * FROM CONTACTS CHANGES(INFORMATION => APPEND_ONLY) AT(TIMESTAMP => ?)')).toMatchObject({ code: '001003' });
  });

  it('refuses what Snowflake would not compile here: several statements, unknown functions, other statement kinds', () => {
    expect(refusal('SELECT 1; DROP TABLE CONTACTS')).toMatchObject({ code: '000008', sqlState: '0A000' });
    expect(refusal('SELECT PG_SLEEP(1)')).toMatchObject({ code: '002140', message: expect.stringContaining('Unknown function PG_SLEEP') });
    expect(refusal('DROP TABLE CONTACTS')).toMatchObject({ code: '001003', sqlState: '42000' });
    expect(refusal(`SELECT 'unterminated`)).toMatchObject({ code: '001003' });
  });
});
