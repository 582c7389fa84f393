// The Snowflake source against a real stand-in (fakesnow, test/helpers/snowflake.ts) through Snowflake's
// Node driver: Snowflake's types as the spec reads them, key order across pages with duplicates flagged,
// settings from the environment (default and named connections), and the errors a warehouse gives, each
// saying what to do and none carrying a secret.

import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import {
  checkedColumnTypes,
  MissingColumnsError,
  openSource,
  SourceError,
  SourceUnavailableError,
  START,
  type SourceCursor,
} from '../src/sources';
import { describeSnowflakeError, isPassingTrouble } from '../src/sources/snowflake-errors';
import { startTestSnowflake, type TestSnowflake } from './helpers/snowflake';

const DS = 'ds_11111111-2222-4333-8444-555555555555';
const PASSWORD = 'correct-horse-battery';

function spec(query: string, connection?: string): SyncSpec {
  const result = parseSpec({
    name: 'snowflake-source-test',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'snowflake', query, ...(connection ? { connection } : {}) },
    mapping: [{ from: 'id', to: 'external_id' }],
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.spec;
}

let snowflake: TestSnowflake;

before(async () => {
  snowflake = await startTestSnowflake({ password: PASSWORD });
  await snowflake.run(
    `CREATE OR REPLACE TABLE sales.billing.accounts (id VARCHAR, seats NUMBER(38,0), price NUMBER(10,2), ratio FLOAT,
       signed DATE, ntz TIMESTAMP_NTZ, ltz TIMESTAMP_LTZ, tz TIMESTAMP_TZ, active BOOLEAN, extra VARIANT,
       items ARRAY, owner OBJECT)`,
    `INSERT INTO sales.billing.accounts SELECT 'A-' || LPAD(SEQ4()::VARCHAR, 4, '0'), SEQ4(), SEQ4() / 4, 0.5,
       '2024-01-31', '2024-01-02 03:04:05.123', '2024-01-02 03:04:05', '2024-01-02 03:04:05+02:00', SEQ4() % 2 = 0,
       PARSE_JSON('{"tier":"gold"}'), ARRAY_CONSTRUCT(OBJECT_CONSTRUCT('type', 'one_time', 'amount_in_cents', 100)),
       OBJECT_CONSTRUCT('email', 'ana@example.com') FROM TABLE(GENERATOR(ROWCOUNT => 450))`,
    `INSERT INTO sales.billing.accounts (id, seats) VALUES ('A-0007', 9007199254740993)`,
  );
});
after(() => snowflake?.stop());

const ALL = `SELECT id AS "id", seats AS "seats", price AS "price", ratio AS "ratio", signed AS "signed", ntz AS "ntz",
  ltz AS "ltz", tz AS "tz", active AS "active", extra AS "extra", items AS "items", owner AS "owner"
  FROM accounts`;

describe('reading', () => {
  test("Snowflake's types as text the spec types exactly; key order across pages; duplicates flagged", async () => {
    const source = await openSource(spec(ALL), { env: snowflake.env(undefined, PASSWORD) });
    try {
      assert.deepEqual(await source.columnTypes(), {
        id: 'string',
        seats: 'integer',
        price: 'decimal',
        ratio: 'decimal',
        signed: 'timestamp',
        ntz: 'timestamp',
        ltz: 'timestamp',
        tz: 'timestamp',
        active: 'boolean',
        extra: 'string',
        items: 'string',
        owner: 'string',
      });
      assert.equal(await source.countRows(), 451);
      const rows = [];
      let cursor: SourceCursor = START;
      for (;;) {
        const page = await source.readPage(cursor, 200);
        rows.push(...page.rows);
        cursor = page.cursor;
        if (page.done) break;
      }
      assert.equal(rows.length, 451);
      assert.deepEqual(
        rows.map((row) => row.values.id),
        [...rows.map((row) => String(row.values.id))].sort(),
        'key order',
      );
      const sevens = rows.filter((row) => row.values.id === 'A-0007');
      assert.deepEqual(
        sevens.map((row) => row.duplicate),
        [false, true],
      );
      assert.ok(
        sevens.some((row) => row.values.seats === '9007199254740993'),
        'NUMBER(38,0) beyond 2^53 keeps every digit',
      );
      const row = rows.find((candidate) => candidate.values.id === 'A-0006')?.values ?? {};
      assert.deepEqual(row, {
        id: 'A-0006',
        seats: '6',
        price: '1.50',
        ratio: '0.5',
        signed: '2024-01-31',
        ntz: '2024-01-02T03:04:05.123Z',
        ltz: '2024-01-02T03:04:05.000Z',
        tz: '2024-01-02T01:04:05.000Z',
        active: true,
        extra: '{"tier":"gold"}',
        items: '[{"type":"one_time","amount_in_cents":100}]',
        owner: '{"email":"ana@example.com"}',
      });
    } finally {
      await source.close();
    }
  });

  test('a named connection reads SNOWFLAKE_CONNECTIONS_<NAME>_…; missing settings are named', async () => {
    const source = await openSource(spec('SELECT id AS "id" FROM accounts', 'finance'), {
      env: snowflake.env('finance', PASSWORD),
    });
    assert.equal((await source.readPage(START, 1)).rows[0]?.values.id, 'A-0000');
    await source.close();
    await assert.rejects(
      openSource(spec('SELECT 1', 'finance'), { env: snowflake.env(undefined, PASSWORD) }),
      (error: Error) =>
        error instanceof SourceError &&
        error.message.includes(
          'Snowflake connection "finance" is not configured: set SNOWFLAKE_CONNECTIONS_FINANCE_ACCOUNT, SNOWFLAKE_CONNECTIONS_FINANCE_USER, SNOWFLAKE_CONNECTIONS_FINANCE_PASSWORD or SNOWFLAKE_CONNECTIONS_FINANCE_PRIVATE_KEY_FILE',
        ),
    );
  });
});

describe('key-pair authentication', () => {
  test('a login signed with the private key file (encrypted, with its passphrase) reads; another key is refused', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cms-keypair-'));
    const pair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { publicKey, privateKey } = pair();
    writeFileSync(join(folder, 'public.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const write = (name: string, key: KeyObject) =>
      writeFileSync(
        join(folder, name),
        key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'key-passphrase-1' }),
      );
    write('sync.p8', privateKey);
    write('other.p8', pair().privateKey);
    const standIn = await startTestSnowflake({ password: PASSWORD, publicKeyFile: join(folder, 'public.pem') });
    try {
      const { SNOWFLAKE_PASSWORD: _password, ...env } = standIn.env();
      const withKey = (file: string) => ({
        ...env,
        SNOWFLAKE_PRIVATE_KEY_FILE: join(folder, file),
        SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: 'key-passphrase-1',
      });
      const source = await openSource(spec('SELECT 1 AS "id"'), { env: withKey('sync.p8') });
      assert.equal((await source.readPage(START, 1)).rows[0]?.values.id, '1');
      await assert.rejects(
        openSource(spec('SELECT 1 AS "id"'), { env: withKey('other.p8') }),
        (error: Error) =>
          /JWT token is invalid\. \(code 390144\); the key-pair login was refused/.test(error.message) &&
          !error.message.includes('key-passphrase-1'),
      );
    } finally {
      await standIn.stop();
    }
  });
});

describe('what goes wrong', () => {
  test('validate: a mapped column the query does not have is named, with the upper-cased one Snowflake made', async () => {
    const source = await openSource(spec('SELECT id FROM accounts'), { env: snowflake.env(undefined, PASSWORD) });
    await assert.rejects(
      checkedColumnTypes(spec('SELECT id FROM accounts'), source),
      (error: Error) =>
        error instanceof MissingColumnsError &&
        /mapping\[0\]\.from: column "id" is not in the source; did you mean "ID"\?/.test(error.message),
    );
    await source.close();
  });

  test('bad credentials: refused with what to check, and never the password', async () => {
    await assert.rejects(
      openSource(spec(ALL), { env: snowflake.env(undefined, 'wrong-password-123') }),
      (error: Error) => {
        assert.ok(error instanceof SourceError, String(error));
        assert.match(error.message, /could not connect to Snowflake account "standin" as "sync_reader"/);
        assert.match(error.message, /Incorrect username or password was specified\. \(code 390100\); check the user/);
        assert.ok(!error.message.includes('wrong-password-123'));
        return true;
      },
    );
  });

  test("a query that fails: Snowflake's words, the code and what to check", async () => {
    const source = await openSource(spec('SELECT id AS "id" FROM no_such_table'), {
      env: snowflake.env(undefined, PASSWORD),
    });
    await assert.rejects(
      source.columnTypes(),
      (error: Error) =>
        error instanceof SourceError &&
        /^the Snowflake query failed: .*no_such_table.*\(code 002003\); the query names an object the role cannot see/is.test(
          error.message,
        ),
    );
  });

  test('a network that does not answer: a retryable failure within the network timeout, not a hang', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    try {
      await assert.rejects(
        openSource(spec(ALL), {
          env: {
            ...snowflake.env(undefined, PASSWORD),
            SNOWFLAKE_HOST: `http://127.0.0.1:${port}`,
            SNOWFLAKE_NETWORK_TIMEOUT: '1',
          },
        }),
        (error: Error) =>
          error instanceof SourceUnavailableError &&
          /did not answer in time or the connection dropped; the read is retried/.test(error.message),
      );
      assert.ok(Date.now() - started < 30_000, `gave up after ${Date.now() - started} ms`);
    } finally {
      silent.close();
    }
  });

  // fakesnow has no warehouses or roles: these answers are Snowflake's documented codes, given to the same
  // function that describes the stand-in's real failures above.
  test('no warehouse, a role not granted: what to grant', () => {
    const settings = { account: 'acme', user: 'sync', password: 'secret-value', role: 'SYNC_READER' };
    assert.match(
      describeSnowflakeError(
        { code: '000606', message: 'No active warehouse selected in the current session.' },
        settings,
        'query',
      ),
      /set the connection's WAREHOUSE, and GRANT USAGE ON WAREHOUSE … TO ROLE/,
    );
    const role = describeSnowflakeError(
      { code: '390189', message: "Role 'SYNC_READER' specified in the connect string is not granted to this user." },
      settings,
      'connect',
    );
    assert.match(role, /the role "SYNC_READER" does not exist or is not granted to user "sync"/);
    assert.ok(!describeSnowflakeError({ message: 'echo secret-value' }, settings, 'connect').includes('secret-value'));
    const statementTimeout = {
      code: '000630',
      message: 'Statement reached its statement or warehouse timeout of 3,600 second(s) and was canceled.',
    };
    assert.ok(!isPassingTrouble(statementTimeout), 'a statement timeout is not retried: it would time out again');
  });
});
