// The state store on SQLite and on a real Postgres, through the same code; and how rows are classified
// from what it knows.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { sql } from 'kysely';

import type { MappedRow } from '../src/sync-spec/mapping';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';
import { classifyRows } from '../src/state/classify';
import { CUSTOMERS } from '../objects/customers/definition';
import { notKept, payloadHash } from '../src/state/diff';
import { openStateDatabase, type StateDatabaseOptions } from '../src/state/database';
import { StateStore, UNSCOPED_TARGET, type StoreNamespace, type StoredRecord } from '../src/state/store';
import { startTestPostgres, type TestPostgres } from './helpers/postgres';

const ns = (sync: string, target = 'acct_1/ds_a/customers'): StoreNamespace => ({ target, sync });

/** A store of the first release: one table keyed by sync name and record key. */
async function writeLegacyStore(options: StateDatabaseOptions): Promise<void> {
  const { db } = openStateDatabase<unknown>(options);
  await sql`CREATE TABLE synced_records (sync_name text NOT NULL, record_key text NOT NULL, chartmogul_uuid text, payload_hash text,
    remote_values text, attribute_keys text, last_status text NOT NULL, updated_at text NOT NULL, PRIMARY KEY (sync_name, record_key))`.execute(
    db,
  );
  await sql`INSERT INTO synced_records VALUES ('old', 'L1', 'cus_old', 'h', NULL, '[]', 'created', '2026-01-01T00:00:00Z')`.execute(
    db,
  );
  await db.destroy();
}

/** A store of release 0.2: target_records before it held values ChartMogul did not keep. */
async function writeStoreWithoutNotKept(options: StateDatabaseOptions): Promise<void> {
  const { db } = openStateDatabase<unknown>(options);
  await sql`CREATE TABLE target_records (target text NOT NULL, sync_name text NOT NULL, record_key text NOT NULL, chartmogul_uuid text,
    payload_hash text, remote_values text, attribute_keys text, last_status text NOT NULL, updated_at text NOT NULL,
    CONSTRAINT target_records_pk PRIMARY KEY (target, sync_name, record_key))`.execute(db);
  await sql`INSERT INTO target_records VALUES ('acct_1/ds_a/customers', 'v2', 'R1', 'cus_r', 'h', NULL, '[]', 'created', '2026-06-01T00:00:00Z')`.execute(
    db,
  );
  await db.destroy();
}

/** A second, empty database beside the contract's: a Postgres database or an SQLite file. */
async function freshDatabase(options: StateDatabaseOptions, name: string): Promise<StateDatabaseOptions> {
  if (!options.url) return { sqlitePath: join(mkdtempSync(join(tmpdir(), `cms-${name}-`)), 'state.sqlite') };
  const { db } = openStateDatabase<unknown>({ url: options.url });
  await sql.raw(`CREATE DATABASE ${name}`).execute(db);
  await db.destroy();
  return { url: options.url.replace(/\/postgres$/, `/${name}`) };
}

function storeContract(name: string, options: () => StateDatabaseOptions) {
  const open = () => StateStore.open(options());
  describe(`state store on ${name}`, () => {
    let store: StateStore;
    before(() => {
      store = open();
    });
    after(() => store.close());

    test('records sent rows and finds them again, per sync', async () => {
      await store.recordSent(ns('a'), [
        { key: 'K1', uuid: 'cus_1', hash: 'h1', status: 'created', attributeKeys: ['seats'] },
        { key: 'K2', uuid: 'cus_2', hash: 'h2', status: 'created', attributeKeys: ['seats'] },
      ]);
      await store.recordSent(ns('b'), [
        { key: 'K1', uuid: 'cus_9', hash: 'h9', status: 'created', attributeKeys: ['seats'] },
      ]);
      const found = await store.lookup(ns('a'), ['K1', 'K2', 'K3']);
      assert.deepEqual(found.get('K1'), { uuid: 'cus_1', hash: 'h1', remoteValues: null, attributeKeys: ['seats'] });
      assert.equal(found.get('K2')?.hash, 'h2');
      assert.equal(found.has('K3'), false);
      assert.equal((await store.lookup(ns('b'), ['K1'])).get('K1')?.uuid, 'cus_9');
      assert.equal(await store.count(ns('a')), 2);
    });

    test("a new hash replaces the old; a prefetch keeps the hash and adds ChartMogul's values", async () => {
      await store.recordSent(ns('a'), [
        { key: 'K1', uuid: 'cus_1', hash: 'h1b', status: 'updated', attributeKeys: ['seats'] },
      ]);
      await store.recordRemote(ns('a'), [
        { key: 'K1', uuid: 'cus_1', values: { name: 'Ada' } },
        { key: 'K4', uuid: 'cus_4', values: { name: 'New' } },
      ]);
      const found = await store.lookup(ns('a'), ['K1', 'K4']);
      assert.deepEqual(found.get('K1'), {
        uuid: 'cus_1',
        hash: 'h1b',
        remoteValues: { name: 'Ada' },
        attributeKeys: [],
      });
      assert.deepEqual(found.get('K4'), {
        uuid: 'cus_4',
        hash: null,
        remoteValues: { name: 'New' },
        attributeKeys: [],
      });
      await store.recordSent(ns('a'), [
        { key: 'K4', uuid: 'cus_4', hash: 'h4', status: 'updated', attributeKeys: ['seats'] },
      ]);
      assert.deepEqual((await store.lookup(ns('a'), ['K4'])).get('K4'), {
        uuid: 'cus_4',
        hash: 'h4',
        remoteValues: null,
        attributeKeys: ['seats'],
      });
    });

    test('values ChartMogul did not keep are kept with the hash, survive a prefetch, and go with the next full send', async () => {
      await store.recordSent(ns('kept'), [
        {
          key: 'P1',
          uuid: 'cus_p',
          hash: 'hp',
          status: 'partial',
          attributeKeys: [],
          notKept: { owner: 'stranger@example.com' },
        },
      ]);
      assert.deepEqual((await store.lookup(ns('kept'), ['P1'])).get('P1')?.notKept, { owner: 'stranger@example.com' });
      await store.recordRemote(ns('kept'), [{ key: 'P1', uuid: 'cus_p', values: { owner: null } }]);
      const listed = (await store.lookup(ns('kept'), ['P1'])).get('P1');
      assert.deepEqual([listed?.notKept, listed?.remoteValues], [{ owner: 'stranger@example.com' }, { owner: null }]);
      await store.recordSent(ns('kept'), [
        { key: 'P1', uuid: 'cus_p', hash: 'hq', status: 'updated', attributeKeys: [] },
      ]);
      assert.equal((await store.lookup(ns('kept'), ['P1'])).get('P1')?.notKept, undefined);
    });

    test('a store of release 0.2 gains the column for values ChartMogul did not keep; its entries stay', async () => {
      const fresh = await freshDatabase(options(), 'release_two');
      await writeStoreWithoutNotKept(fresh);
      const upgraded = StateStore.open(fresh);
      try {
        assert.equal((await upgraded.lookup(ns('v2'), ['R1'])).get('R1')?.uuid, 'cus_r');
        await upgraded.recordSent(ns('v2'), [
          { key: 'R1', uuid: 'cus_r', hash: 'h2', status: 'partial', attributeKeys: [], notKept: { owner: 'x@y.z' } },
        ]);
        assert.deepEqual((await upgraded.lookup(ns('v2'), ['R1'])).get('R1')?.notKept, { owner: 'x@y.z' });
      } finally {
        await upgraded.close();
      }
    });

    test('a first-release store is migrated: its entries are kept but trusted for no target, so their rows are looked up again', async () => {
      const fresh = await freshDatabase(options(), 'legacy');
      await writeLegacyStore(fresh);
      const migrated = StateStore.open(fresh);
      try {
        assert.equal((await migrated.lookup(ns('old'), ['L1'])).size, 0, 'no target trusts an entry without one');
        assert.equal(
          (await migrated.lookup({ target: UNSCOPED_TARGET, sync: 'old' }, ['L1'])).get('L1')?.uuid,
          'cus_old',
          'the entry is kept',
        );
      } finally {
        await migrated.close();
      }
      const again = StateStore.open(fresh);
      assert.equal(
        await again.count({ target: UNSCOPED_TARGET, sync: 'old' }),
        1,
        'opening it again migrates nothing twice',
      );
      await again.close();
    });

    test('handles more keys than one query binds, and forgets keys', async () => {
      const many = Array.from({ length: 1200 }, (_, index) => ({
        key: `M${index}`,
        uuid: `cus_${index}`,
        hash: `h${index}`,
        status: 'created' as const,
        attributeKeys: [],
      }));
      await store.recordSent(ns('many'), many);
      assert.equal(
        (
          await store.lookup(
            ns('many'),
            many.map((record) => record.key),
          )
        ).size,
        1200,
      );
      await store.forgetKeys(
        ns('many'),
        many.slice(0, 1100).map((record) => record.key),
      );
      assert.equal(await store.count(ns('many')), 100);
    });

    test('a sync pointed at another target (data source, account or object) starts from a clean view; the old one stays', async () => {
      await store.recordSent(ns('scoped', 'acct_1/ds_a/customers'), [
        { key: 'S1', uuid: 'cus_a', hash: 'ha', status: 'created', attributeKeys: [] },
      ]);
      for (const other of ['acct_1/ds_b/customers', 'acct_2/ds_a/customers', 'acct_1/ds_a/contacts']) {
        assert.equal((await store.lookup(ns('scoped', other), ['S1'])).size, 0, other);
        assert.equal(await store.count(ns('scoped', other)), 0, other);
      }
      assert.equal((await store.lookup(ns('scoped', 'acct_1/ds_a/customers'), ['S1'])).get('S1')?.uuid, 'cus_a');
    });
  });
}

storeContract('SQLite', () => ({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'cms-store-')), 'state.sqlite') }));

let postgres: TestPostgres | undefined;
before(async () => {
  postgres = await startTestPostgres();
});
after(() => postgres?.stop());
storeContract('Postgres', () => ({ url: postgres?.url }));

describe('classifying rows', () => {
  test('a field a listing leaves out is unknown, not a difference; one it carries empty is', () => {
    const parsedSpec = parseSpec({
      name: 's',
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: 'ds_11111111-2222-4333-8444-555555555555',
      source: { type: 'file', path: 'x.csv' },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name' },
        { from: 'site', to: 'website_url' },
      ],
    });
    assert.ok(parsedSpec.ok);
    const row: MappedRow = {
      key: 'K',
      rowNumber: 1,
      fields: { external_id: 'K', name: 'Ada', website_url: 'https://ada.dev' },
      custom: [],
    };
    const listed = (entry: Record<string, unknown>) =>
      new Map<string, StoredRecord>([
        ['K', { uuid: 'cus_k', hash: null, remoteValues: CUSTOMERS.remoteValues(entry), attributeKeys: [] }],
      ]);
    assert.equal(
      classifyRows(parsedSpec.spec, [row], listed({ name: 'Ada', attributes: { custom: {} } }), new Map()).unchanged
        .length,
      1,
      'no website_url in the entry',
    );
    assert.equal(
      classifyRows(
        parsedSpec.spec,
        [row],
        listed({ name: 'Ada', website_url: null, attributes: { custom: {} } }),
        new Map(),
      ).toSend.length,
      1,
      'an empty website_url',
    );
  });

  const parsed = parseSpec({
    name: 's',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: 'ds_11111111-2222-4333-8444-555555555555',
    source: { type: 'file', path: 'x.csv' },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'st', to: 'state' },
      { from: 'n', to: 'seats' },
    ],
  });
  assert.ok(parsed.ok);
  const spec: SyncSpec = parsed.spec;
  const row = (key: string, name: string, seats = 1): MappedRow => ({
    key,
    rowNumber: 1,
    fields: { external_id: key, name, state: 'US-CA' },
    custom: [{ key: 'seats', type: 'Integer', value: seats }],
  });

  test('a value ChartMogul did not keep is no difference, until the source changes it', () => {
    const doomed: MappedRow = {
      key: 'D',
      rowNumber: 1,
      fields: { external_id: 'D', name: 'Dee', owner: 'stranger@example.com' },
      custom: [],
    };
    const listing = CUSTOMERS.remoteValues({ name: 'Dee', owner: null, attributes: { custom: {} } });
    const stored = (notKept?: Record<string, unknown>) =>
      new Map<string, StoredRecord>([
        [
          'D',
          { uuid: 'cus_d', hash: 'old', remoteValues: listing, attributeKeys: [], ...(notKept ? { notKept } : {}) },
        ],
      ]);
    const ownerSpec = { ...spec, mapping: [...spec.mapping, { from: 'o', to: 'owner' }] };
    assert.equal(
      classifyRows(ownerSpec, [doomed], stored(), new Map()).toSend.length,
      1,
      'without the note, the owner differs',
    );
    const known = classifyRows(ownerSpec, [doomed], stored({ owner: 'stranger@example.com' }), new Map());
    assert.deepEqual(
      known.unchanged.map((record) => [record.key, record.notKept]),
      [['D', { owner: 'stranger@example.com' }]],
      'the note is carried on',
    );
    const changedOwner: MappedRow = { ...doomed, fields: { ...doomed.fields, owner: 'ada@example.com' } };
    assert.equal(
      classifyRows(ownerSpec, [changedOwner], stored({ owner: 'stranger@example.com' }), new Map()).toSend.length,
      1,
      'a new owner is sent',
    );
  });

  test('what an answer did not keep: each field and custom attribute, with the reason', () => {
    const sent: MappedRow = {
      key: 'K',
      rowNumber: 1,
      fields: { external_id: 'K', name: 'Kay', owner: 'stranger@example.com', state: 'US-CA', country: 'US' },
      custom: [
        { key: 'seats', type: 'Integer', value: 3 },
        { key: 'tier', type: 'String', value: 'gold' },
      ],
    };
    const answer = CUSTOMERS.remoteValues({
      name: 'Kay',
      owner: 'ada@example.com',
      state: 'CA',
      country: 'US',
      attributes: { custom: { seats: 3 } },
    });
    assert.deepEqual(
      notKept('customers', sent, answer, ['external_id']).map((entry) => [
        entry.field,
        entry.row,
        entry.chartMogul,
        entry.reason,
      ]),
      [
        [
          'owner',
          'stranger@example.com',
          'ada@example.com',
          'owner "stranger@example.com" is not a user of this ChartMogul account, so ChartMogul kept "ada@example.com"',
        ],
        ['custom.tier', 'gold', null, 'custom attribute "tier" was not kept by ChartMogul'],
      ],
    );
    assert.deepEqual(
      notKept('customers', sent, answer, ['external_id'], { custom: false }).map((entry) => entry.field),
      ['owner'],
      'a PATCH sent without attributes',
    );
    const contact: MappedRow = {
      key: 'C/a@b.c',
      rowNumber: 1,
      fields: { customer_external_id: 'C', email: 'a@b.c', title: 'CEO' },
      custom: [{ key: 'Nick', type: 'String', value: 'N' }],
    };
    assert.deepEqual(
      notKept('contacts', contact, { title: 'CEO', email: 'a@b.c', custom: {} }, ['customer_external_id', 'email']).map(
        (entry) => entry.reason,
      ),
      [
        'custom attribute "Nick" is not defined for contacts in this ChartMogul account (define it in ChartMogul\'s settings to keep it)',
      ],
    );
  });

  test('the hash ignores field order and sees every value', () => {
    const a = row('K', 'Ada');
    const reordered: MappedRow = { ...a, fields: { state: 'US-CA', name: 'Ada', external_id: 'K' } };
    assert.equal(payloadHash(spec, a), payloadHash(spec, reordered));
    assert.notEqual(payloadHash(spec, a), payloadHash(spec, row('K', 'Ada', 2)));
  });

  test("unchanged rows cost nothing; known rows skip the lookup; ChartMogul's own values are compared", () => {
    const same = row('SAME', 'Ada');
    const changed = row('CHANGED', 'Bob');
    const remoteSame = row('REMOTE', 'Cy');
    const remoteEdited = row('EDITED', 'Di');
    const stored = new Map<string, StoredRecord>([
      ['SAME', { uuid: 'cus_s', hash: payloadHash(spec, same), remoteValues: null, attributeKeys: [] }],
      ['CHANGED', { uuid: 'cus_c', hash: 'old', remoteValues: null, attributeKeys: [] }],
      [
        'REMOTE',
        {
          uuid: 'cus_r',
          hash: null,
          remoteValues: CUSTOMERS.remoteValues({
            name: 'Cy',
            state: 'CA',
            country: 'US',
            attributes: { custom: { seats: 1 } },
          }),
          attributeKeys: ['seats'],
        },
      ],
      [
        'EDITED',
        {
          uuid: 'cus_e',
          hash: null,
          remoteValues: CUSTOMERS.remoteValues({
            name: 'Di (edited in ChartMogul)',
            state: 'CA',
            country: 'US',
            attributes: { custom: { seats: 1 } },
          }),
          attributeKeys: ['seats'],
        },
      ],
    ]);
    const editedSinceSent = row('RESENT', 'Fay');
    stored.set('RESENT', {
      uuid: 'cus_f',
      hash: payloadHash(spec, editedSinceSent),
      remoteValues: CUSTOMERS.remoteValues({
        name: 'Fay (edited)',
        state: 'CA',
        country: 'US',
        attributes: { custom: { seats: 1 } },
      }),
      attributeKeys: ['seats'],
    });
    const result = classifyRows(
      spec,
      [same, changed, remoteSame, remoteEdited, editedSinceSent, row('NEW', 'Eve')],
      stored,
      new Map(),
    );
    assert.deepEqual(
      result.unchanged.map((record) => record.key),
      ['SAME', 'REMOTE'],
    );
    assert.deepEqual(
      result.toSend.map((sent) => [sent.key, sent.uuid]),
      [
        ['CHANGED', 'cus_c'],
        ['EDITED', 'cus_e'],
        ['RESENT', 'cus_f'],
        ['NEW', undefined],
      ],
      'a value edited in ChartMogul is corrected',
    );
    assert.deepEqual(
      result.toSend.find((sent) => sent.key === 'EDITED')?.attributeKeys,
      ['seats'],
      'so its update can be one PATCH',
    );
    assert.ok(result.toSend.every((sent) => typeof sent.hash === 'string'));
    const insert = classifyRows({ ...spec, mode: 'insert' }, [changed], stored, new Map());
    assert.match(insert.rejected[0]?.reasons[0] ?? '', /insert mode only creates/);
  });
});
