// The state store on SQLite and on a real Postgres, through the same code; and how rows are classified
// from what it knows.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import type { MappedRow } from '../src/spec/mapping';
import { parseSpec, type SyncSpec } from '../src/spec/schema';
import { classifyRows } from '../src/state/classify';
import { customerRemoteValues, payloadHash } from '../src/state/diff';
import { StateStore, type StoredRecord } from '../src/state/store';
import { startTestPostgres, type TestPostgres } from './helpers/postgres';

function storeContract(name: string, open: () => StateStore) {
  describe(`state store on ${name}`, () => {
    let store: StateStore;
    before(() => { store = open(); });
    after(() => store.close());

    test('records sent rows and finds them again, per sync', async () => {
      await store.recordSent('a', [{ key: 'K1', uuid: 'cus_1', hash: 'h1', status: 'created', attributeKeys: ['seats'] }, { key: 'K2', uuid: 'cus_2', hash: 'h2', status: 'created', attributeKeys: ['seats'] }]);
      await store.recordSent('b', [{ key: 'K1', uuid: 'cus_9', hash: 'h9', status: 'created', attributeKeys: ['seats'] }]);
      const found = await store.lookup('a', ['K1', 'K2', 'K3']);
      assert.deepEqual(found.get('K1'), { uuid: 'cus_1', hash: 'h1', remoteValues: null, attributeKeys: ['seats'] });
      assert.equal(found.get('K2')?.hash, 'h2');
      assert.equal(found.has('K3'), false);
      assert.equal((await store.lookup('b', ['K1'])).get('K1')?.uuid, 'cus_9');
      assert.equal(await store.count('a'), 2);
    });

    test('a new hash replaces the old; a prefetch keeps the hash and adds ChartMogul\'s values', async () => {
      await store.recordSent('a', [{ key: 'K1', uuid: 'cus_1', hash: 'h1b', status: 'updated', attributeKeys: ['seats'] }]);
      await store.recordRemote('a', [{ key: 'K1', uuid: 'cus_1', values: { name: 'Ada' } }, { key: 'K4', uuid: 'cus_4', values: { name: 'New' } }]);
      const found = await store.lookup('a', ['K1', 'K4']);
      assert.deepEqual(found.get('K1'), { uuid: 'cus_1', hash: 'h1b', remoteValues: { name: 'Ada' }, attributeKeys: [] });
      assert.deepEqual(found.get('K4'), { uuid: 'cus_4', hash: null, remoteValues: { name: 'New' }, attributeKeys: [] });
      await store.recordSent('a', [{ key: 'K4', uuid: 'cus_4', hash: 'h4', status: 'updated', attributeKeys: ['seats'] }]);
      assert.deepEqual((await store.lookup('a', ['K4'])).get('K4'), { uuid: 'cus_4', hash: 'h4', remoteValues: null, attributeKeys: ['seats'] });
    });

    test('handles more keys than one query binds, and forgets a sync', async () => {
      const many = Array.from({ length: 1200 }, (_, index) => ({ key: `M${index}`, uuid: `cus_${index}`, hash: `h${index}`, status: 'created' as const, attributeKeys: [] }));
      await store.recordSent('many', many);
      assert.equal((await store.lookup('many', many.map((record) => record.key))).size, 1200);
      await store.forget('many');
      assert.equal(await store.count('many'), 0);
    });
  });
}

storeContract('SQLite', () => StateStore.open({ sqlitePath: join(mkdtempSync(join(tmpdir(), 'cms-store-')), 'state.sqlite') }));

let postgres: TestPostgres | undefined;
before(async () => { postgres = await startTestPostgres(); });
after(() => postgres?.stop());
storeContract('Postgres', () => StateStore.open({ url: postgres?.url }));

describe('classifying rows', () => {
  const parsed = parseSpec({
    name: 's', object: 'customers', mode: 'upsert', dataSourceUuid: 'ds_11111111-2222-4333-8444-555555555555',
    source: { type: 'file', path: 'x.csv' }, mapping: [{ from: 'id', to: 'external_id' }, { from: 'name', to: 'name' }, { from: 'st', to: 'state' }, { from: 'n', to: 'seats' }],
  });
  assert.ok(parsed.ok);
  const spec: SyncSpec = parsed.spec;
  const row = (key: string, name: string, seats = 1): MappedRow => ({ key, rowNumber: 1, fields: { external_id: key, name, state: 'US-CA' }, custom: [{ key: 'seats', type: 'Integer', value: seats }] });

  test('the hash ignores field order and sees every value', () => {
    const a = row('K', 'Ada');
    const reordered: MappedRow = { ...a, fields: { state: 'US-CA', name: 'Ada', external_id: 'K' } };
    assert.equal(payloadHash(spec, a), payloadHash(spec, reordered));
    assert.notEqual(payloadHash(spec, a), payloadHash(spec, row('K', 'Ada', 2)));
  });

  test('unchanged rows cost nothing; known rows skip the lookup; ChartMogul\'s own values are compared', () => {
    const same = row('SAME', 'Ada');
    const changed = row('CHANGED', 'Bob');
    const remoteSame = row('REMOTE', 'Cy');
    const remoteEdited = row('EDITED', 'Di');
    const stored = new Map<string, StoredRecord>([
      ['SAME', { uuid: 'cus_s', hash: payloadHash(spec, same), remoteValues: null, attributeKeys: [] }],
      ['CHANGED', { uuid: 'cus_c', hash: 'old', remoteValues: null, attributeKeys: [] }],
      ['REMOTE', { uuid: 'cus_r', hash: null, remoteValues: customerRemoteValues({ name: 'Cy', state: 'CA', country: 'US', attributes: { custom: { seats: 1 } } }), attributeKeys: ['seats'] }],
      ['EDITED', { uuid: 'cus_e', hash: null, remoteValues: customerRemoteValues({ name: 'Di (edited in ChartMogul)', state: 'CA', country: 'US', attributes: { custom: { seats: 1 } } }), attributeKeys: ['seats'] }],
    ]);
    const editedSinceSent = row('RESENT', 'Fay');
    stored.set('RESENT', { uuid: 'cus_f', hash: payloadHash(spec, editedSinceSent), remoteValues: customerRemoteValues({ name: 'Fay (edited)', state: 'CA', country: 'US', attributes: { custom: { seats: 1 } } }), attributeKeys: ['seats'] });
    const result = classifyRows(spec, [same, changed, remoteSame, remoteEdited, editedSinceSent, row('NEW', 'Eve')], stored, new Map());
    assert.deepEqual(result.unchanged.map((record) => record.key), ['SAME', 'REMOTE']);
    assert.deepEqual(result.toSend.map((sent) => [sent.key, sent.known]), [['CHANGED', 'cus_c'], ['EDITED', 'cus_e'], ['RESENT', 'cus_f'], ['NEW', undefined]], 'a value edited in ChartMogul is corrected');
    assert.deepEqual(result.toSend.find((sent) => sent.key === 'EDITED')?.knownAttributeKeys, ['seats'], 'so its update can be one PATCH');
    assert.ok(result.toSend.every((sent) => typeof sent.hash === 'string'));
    const insert = classifyRows({ ...spec, mode: 'insert' }, [changed], stored, new Map());
    assert.match(insert.rejected[0]?.reasons[0] ?? '', /insert mode only creates/);
  });
});
