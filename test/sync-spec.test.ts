// The sync spec and the field rules: every problem listed with its path; every rejection names the row,
// the field, the value and what was expected.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { loadSpecFile } from '../src/client/spec-file';
import type { SourceValue } from '../src/sync-spec/fields';
import { mapRow, type ColumnType } from '../src/sync-spec/mapping';
import { parseSpec, type SyncSpec } from '../src/sync-spec/schema';

const DS = 'ds_11111111-2222-4333-8444-555555555555';

function spec(overrides: Record<string, unknown> = {}): SyncSpec {
  const result = parseSpec({
    name: 'customers-nightly',
    object: 'customers',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path: 'customers.csv' },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'name', to: 'name' },
      { from: 'email', to: 'email' },
      { from: 'country', to: 'country' },
      { from: 'state', to: 'state' },
      { from: 'signup', to: 'lead_created_at' },
      { from: 'seats', to: 'seats' },
      { from: 'plan', to: 'plan', type: 'String' },
    ],
    ...overrides,
  });
  assert.ok(result.ok, JSON.stringify(result));
  return result.spec;
}

describe('spec', () => {
  test('defaults fill account and options', () => {
    const parsed = spec();
    assert.equal(parsed.account, 'default');
    assert.deepEqual(parsed.options, {
      pageSize: 200,
      concurrency: 20,
      nulls: 'skip',
      dryRun: false,
      fullRefresh: false,
      incremental: true,
      invoiceChanges: 'auto',
      contactKey: 'email',
      bulkImport: 'auto',
    });
  });

  test('a bad spec lists every problem with its path', () => {
    const result = parseSpec({
      name: 'bad name!',
      object: 'contacts',
      mode: 'upsert',
      dataSourceUuid: 'ds_nope',
      source: { type: 'postgres', url: 'postgres://u:secret@db/x', query: 'select 1' },
      mapping: [
        { from: 'a', to: 'first_name', type: 'Integer' },
        { from: 'b', to: 'first_name' },
        { from: 'c', to: 'bad key' },
      ],
      options: { pageSize: 0 },
    });
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    const expected = [
      /^name: /,
      /^dataSourceUuid: expected ds_/,
      /^options\.pageSize: /,
      /^mapping: map a column to "customer_external_id"/,
      /^mapping: map a column to "email"/,
      /^mapping\[0\]\.type: "first_name" is a standard contacts field/,
      /^mapping\[1\]\.to: "first_name" is mapped twice/,
      /^mapping\[2\]\.to: custom attribute key "bad key"/,
      /^source\.url: write the database URL as env:NAME/,
    ];
    for (const pattern of expected)
      assert.ok(
        problems.some((problem) => pattern.test(problem)),
        `${pattern} in ${JSON.stringify(problems, null, 1)}`,
      );
    assert.ok(!problems.join('\n').includes('secret'), 'the literal URL is not echoed');
  });

  test('an unknown field anywhere in the spec is refused with its path, and a close one is suggested', () => {
    const result = parseSpec({
      name: 'typo',
      nmae: 'x',
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: DS,
      source: { type: 'file', path: 'c.csv', delimiter: ';' },
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'n', too: 'name' },
      ],
      options: { pagesize: 10, concurrency: 5 },
    });
    assert.equal(result.ok, false);
    const problems = result.ok ? [] : result.problems;
    for (const expected of [
      'nmae: unknown field; did you mean "name"?',
      'options.pagesize: unknown field; did you mean "pageSize"?',
      'mapping[1].too: unknown field; did you mean "to"?',
      'source.delimiter: unknown field',
    ])
      assert.ok(problems.includes(expected), `${expected} in ${JSON.stringify(problems, null, 1)}`);
  });

  test('contacts in update mode need uuid; uuid is refused elsewhere', () => {
    const base = { name: 'c', object: 'contacts', dataSourceUuid: DS, source: { type: 'file', path: 'c.csv' } };
    const update = parseSpec({ ...base, mode: 'update', mapping: [{ from: 'cid', to: 'customer_external_id' }] });
    assert.ok(!update.ok && update.problems.some((problem) => problem.includes('"uuid"')));
    const insert = parseSpec({
      ...base,
      mode: 'insert',
      mapping: [
        { from: 'cid', to: 'customer_external_id' },
        { from: 'u', to: 'uuid' },
      ],
    });
    assert.ok(
      !insert.ok && insert.problems.some((problem) => problem.includes('only be mapped for contacts in update mode')),
    );
  });
});

describe('options.contactKey', () => {
  const contacts = {
    name: 'c',
    object: 'contacts',
    mode: 'update',
    dataSourceUuid: DS,
    source: { type: 'file', path: 'c.csv' },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
    ],
  };

  test('keys contacts by their own external_id in every mode, and applies to contacts only', () => {
    const parsed = parseSpec({ ...contacts, options: { contactKey: 'external_id' } });
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const mapped = mapRow(parsed.spec, { id: 'CON-9', customer: 'C-1' }, {}, 1);
    assert.ok(mapped.ok);
    assert.equal(mapped.row.key, 'CON-9');
    const byEmail = parseSpec(contacts);
    assert.ok(!byEmail.ok, 'update mode by email needs the uuid');
    const customers = parseSpec({ ...contacts, object: 'customers', options: { contactKey: 'external_id' } });
    assert.ok(!customers.ok);
    assert.match(
      customers.problems.join('\n'),
      /options\.contactKey: contactKey applies to contacts only, not customers/,
    );
  });
});

describe('customer tags and lead status', () => {
  const tagged = spec({
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'tags', to: 'tags' },
      { from: 'status', to: 'status' },
    ],
  });
  const map = (tags: SourceValue | string[], status: SourceValue = 'New Lead') =>
    mapRow(tagged, { id: 'C-1', tags: tags as SourceValue, status }, {}, 1);

  test('tags are a set: text separated by commas, a JSON array or a list, trimmed, sorted, without repeats', () => {
    for (const tags of ['vip, beta ,vip', '["beta","vip"]', ['vip', 'beta']]) {
      const mapped = map(tags);
      assert.ok(mapped.ok, JSON.stringify(mapped));
      assert.deepEqual(mapped.row.fields.tags, ['beta', 'vip']);
    }
  });

  test('a tag that is not text, and a status that is not a lead status, are refused with the row and the field', () => {
    const badTag = map('["vip", 3]');
    assert.ok(!badTag.ok);
    assert.match(
      badTag.rejected.reasons.join('\n'),
      /row 1 \(key "C-1"\): field "tags" value .*expected tags as text \(tag 2 is 3\)/,
    );
    const badStatus = map('vip', 'Active');
    assert.ok(!badStatus.ok);
    assert.match(
      badStatus.rejected.reasons.join('\n'),
      /field "status" value "Active": expected one of New Lead, Working Lead, Qualified Lead, Unqualified Lead/,
    );
  });
});

describe('plans', () => {
  const base = { name: 'p', object: 'plans', dataSourceUuid: DS, source: { type: 'file', path: 'p.csv' } };
  const mapping = [
    { from: 'id', to: 'external_id' },
    { from: 'name', to: 'name' },
    { from: 'count', to: 'interval_count' },
    { from: 'unit', to: 'interval_unit' },
  ];

  test('a plan is created whole: insert and upsert need name and interval; update needs only the key', () => {
    for (const mode of ['insert', 'upsert']) {
      const result = parseSpec({ ...base, mode, mapping: [{ from: 'id', to: 'external_id' }] });
      assert.ok(!result.ok);
      for (const field of ['name', 'interval_count', 'interval_unit'])
        assert.ok(result.problems.includes(`mapping: map a column to "${field}": plans in ${mode} mode need it`));
    }
    assert.ok(parseSpec({ ...base, mode: 'update', mapping: [mapping[0], mapping[1]] }).ok);
  });

  test('plans have no custom attributes: another target is refused, with a suggestion', () => {
    const result = parseSpec({ ...base, mode: 'upsert', mapping: [...mapping, { from: 'c', to: 'interval_units' }] });
    assert.ok(!result.ok);
    assert.match(
      result.problems.join('\n'),
      /mapping\[4\]\.to: "interval_units" is not a field of plans, which have no custom attributes; did you mean "interval_unit"\?/,
    );
    const typed = parseSpec({
      ...base,
      mode: 'upsert',
      mapping: [...mapping.slice(0, 3), { ...mapping[3], type: 'String' }],
    });
    assert.ok(!typed.ok && typed.problems.some((problem) => problem.includes('"type" is only for custom attributes')));
  });

  test('interval_count is a whole number of at least 1; interval_unit one of day, month, year (any case)', () => {
    const parsed = parseSpec({ ...base, mode: 'upsert', mapping });
    assert.ok(parsed.ok);
    const map = (count: SourceValue, unit: SourceValue) =>
      mapRow(parsed.spec, { id: 'P-1', name: 'Gold', count, unit }, {}, 1);
    assert.deepEqual(map('12', ' Month '), {
      ok: true,
      row: {
        key: 'P-1',
        rowNumber: 1,
        fields: { external_id: 'P-1', name: 'Gold', interval_count: 12, interval_unit: 'month' },
        custom: [],
      },
    });
    const reasons = (result: ReturnType<typeof map>) => (result.ok ? [] : result.rejected.reasons);
    assert.deepEqual(reasons(map('1.5', 'week')), [
      'row 1 (key "P-1"): field "interval_count" value "1.5": expected a whole number of at least 1',
      'row 1 (key "P-1"): field "interval_unit" value "week": expected one of day, month, year',
    ]);
    assert.deepEqual(reasons(map(0, 'day')), [
      'row 1 (key "P-1"): field "interval_count" value 0: expected a whole number of at least 1',
    ]);
  });
});

describe('invoices and transactions', () => {
  const invoices = parseSpec({
    name: 'i',
    object: 'invoices',
    mode: 'upsert',
    dataSourceUuid: DS,
    source: { type: 'file', path: 'i.csv' },
    mapping: [
      { from: 'id', to: 'external_id' },
      { from: 'customer', to: 'customer_external_id' },
      { from: 'date', to: 'date' },
      { from: 'currency', to: 'currency' },
      { from: 'items', to: 'line_items' },
      { from: 'payments', to: 'transactions' },
    ],
  });
  assert.ok(invoices.ok);
  const good = {
    type: 'subscription',
    plan_external_id: 'PL-1',
    subscription_external_id: 'S-1',
    service_period_start: '2026-01-01',
    service_period_end: '2026-02-01',
    amount_in_cents: 1000,
  };
  const reasons = (values: Record<string, unknown>) => {
    const result = mapRow(
      invoices.spec,
      { id: 'INV-1', customer: 'C-1', date: '2026-01-01', currency: 'usd', payments: null, ...values },
      {},
      1,
    );
    return result.ok ? [] : result.rejected.reasons.join('\n');
  };
  const items = (...list: unknown[]) => ({ items: JSON.stringify(list) });

  test('a good invoice: currency upper-cased, line items converted in a fixed key order, dates ISO', () => {
    const result = mapRow(
      invoices.spec,
      {
        id: 'INV-1',
        customer: 'C-1',
        date: '2026-01-01',
        currency: 'eur',
        items: JSON.stringify([good]),
        payments: '',
      },
      {},
      1,
    );
    assert.ok(result.ok);
    assert.equal(result.row.fields.currency, 'EUR');
    assert.deepEqual(result.row.fields.line_items, [
      {
        type: 'subscription',
        subscription_external_id: 'S-1',
        plan_external_id: 'PL-1',
        service_period_start: '2026-01-01T00:00:00.000Z',
        service_period_end: '2026-02-01T00:00:00.000Z',
        amount_in_cents: 1000,
      },
    ]);
  });

  test('every billing rejection names the element, the key and what was expected', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        items({ ...good, amount_in_cents: '12.50' }),
        /line item 1: "amount_in_cents" value "12.50": expected a whole number of minor units \(cents\), not a decimal: 12.50 in a currency with cents is 1250/,
      ],
      [{ currency: 'EURO', ...items(good) }, /field "currency" value "EURO": expected an ISO 4217 currency code/],
      [{ date: '2026-02-30', ...items(good) }, /field "date" value "2026-02-30": expected a real calendar date/],
      [
        items({ ...good, service_period_end: '2025-12-01' }),
        /line item 1: the service period ends \(2025-12-01T00:00:00.000Z\) before it starts/,
      ],
      [
        items({ type: 'subscription', amount_in_cents: 100 }),
        /line item 1: "plan_external_id" is missing: a subscription line item needs its plan, subscription and service period/,
      ],
      [items({ ...good, quantity: 0 }), /line item 1: "quantity" value 0: expected a whole number other than 0/],
      [
        items({ ...good, cancelled_at: '2999-01-01' }),
        /line item 1: "cancelled_at" value "2999-01-01": expected a date between 1900-01-01 and now/,
      ],
      [
        items({ ...good, tax_amount_in_cents: 2000 }),
        /line item 1: "tax_amount_in_cents" 2000 is more than "amount_in_cents" 1000/,
      ],
      [{ items: '[]' }, /field "line_items": expected a JSON array with at least one line item/],
      [{ items: '{"type":"one_time"}' }, /field "line_items": expected a JSON array of line item objects/],
      [{ items: '[1' }, /field "line_items": expected a JSON array of line item objects \(not valid JSON/],
      [
        items(good, { type: 'one_time', amont_in_cents: 5 }),
        /line item 2: "amont_in_cents" is not a line item key; did you mean "amount_in_cents"\?/,
      ],
      [
        items({ ...good, type: 'recurring' }),
        /line item 1: "type" value "recurring": expected one of subscription, one_time, trial/,
      ],
      [
        { ...items(good), payments: JSON.stringify([{ type: 'payment', date: '2026-01-01', result: 'ok' }]) },
        /transaction 1: "result" value "ok": expected one of successful, failed/,
      ],
    ];
    for (const [values, expected] of cases) assert.match(String(reasons(values)), expected, JSON.stringify(values));
    // ChartMogul takes any non-zero quantity (a credit of two seats is -2), and a cancellation in the past.
    assert.deepEqual(reasons(items({ ...good, quantity: -2, cancelled_at: '2026-01-15' })), []);
    // A value that does not convert is one problem, not also "missing".
    assert.doesNotMatch(String(reasons(items({ ...good, amount_in_cents: '12.50' }))), /is missing/);
  });

  test('invoices are inserted or upserted, transactions only inserted', () => {
    const base = {
      name: 't',
      dataSourceUuid: DS,
      source: { type: 'file', path: 't.csv' },
      mapping: [{ from: 'id', to: 'external_id' }],
    };
    const update = parseSpec({ ...base, object: 'invoices', mode: 'update' });
    assert.ok(!update.ok && update.problems.includes('mode: invoices are synced in insert or upsert mode, not update'));
    const upsert = parseSpec({ ...base, object: 'transactions', mode: 'upsert' });
    assert.ok(!upsert.ok && upsert.problems.includes('mode: transactions are synced in insert mode, not upsert'));
  });
});

describe('field rules', () => {
  const types: Record<string, ColumnType> = { seats: 'integer' };
  const row = (values: Record<string, SourceValue>): Record<string, SourceValue> => ({
    id: 'C-001',
    name: 'Ada',
    email: null,
    country: null,
    state: null,
    signup: null,
    seats: null,
    plan: null,
    ...values,
  });

  test('text and keys are kept exactly; country, state and timestamps are normalised', () => {
    const result = mapRow(
      spec(),
      row({
        id: '007  Ünïcode',
        name: '  Ada  Lovelace ',
        country: 'us',
        state: 'ca',
        signup: '2024-01-31',
        seats: 12,
        plan: 42,
      }),
      types,
      1,
    );
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(result.row.fields, {
      external_id: '007  Ünïcode',
      name: '  Ada  Lovelace ',
      country: 'US',
      state: 'US-CA',
      lead_created_at: '2024-01-31T00:00:00.000Z',
    });
    assert.deepEqual(result.row.custom, [
      { key: 'seats', type: 'Integer', value: 12 },
      { key: 'plan', type: 'String', value: '42' },
    ]);
    assert.equal(result.row.key, '007  Ünïcode');
  });

  test('timestamps from Date values and ISO strings with offsets become UTC', () => {
    const fromDate = mapRow(spec(), row({ signup: new Date('2024-05-01T10:00:00+02:00') }), types, 1);
    assert.ok(fromDate.ok && fromDate.row.fields.lead_created_at === '2024-05-01T08:00:00.000Z');
    const fromText = mapRow(spec(), row({ signup: '2024-05-01 10:00:00+02:00' }), types, 1);
    assert.ok(
      fromText.ok && fromText.row.fields.lead_created_at === '2024-05-01T08:00:00.000Z',
      JSON.stringify(fromText),
    );
  });

  test('a bad value rejects the row with the key, field, value and what was expected', () => {
    const result = mapRow(
      spec(),
      row({ email: 'not-an-email', country: 'XX', seats: 'twelve', signup: '2024-13-45', plan: 'p'.repeat(300) }),
      { seats: 'integer' },
      7,
    );
    assert.equal(result.ok, false);
    const reasons = result.ok ? [] : result.rejected.reasons;
    assert.ok(
      reasons.includes(
        'row 7 (key "C-001"): field "email" value "not-an-email": expected an email address such as ada@example.com',
      ),
      reasons.join('\n'),
    );
    assert.ok(
      reasons.some((reason) =>
        reason.startsWith('row 7 (key "C-001"): field "country" value "XX": expected an ISO 3166-1 alpha-2'),
      ),
    );
    assert.ok(reasons.includes('row 7 (key "C-001"): field "seats" value "twelve": expected an Integer'));
    assert.ok(reasons.some((reason) => reason.includes('"lead_created_at" value "2024-13-45"')));
    const leap = mapRow(spec(), row({ signup: '2024-02-30' }), types, 1);
    assert.ok(!leap.ok && leap.rejected.reasons[0]?.includes('expected a real calendar date'));
    assert.ok(mapRow(spec(), row({ signup: '2024-02-29' }), types, 1).ok);
    assert.ok(
      reasons.some((reason) => reason.includes('"plan"') && reason.includes('at most 255 characters (it has 300)')),
    );
  });

  test('a key with spaces around it rejects its row: it would be a second record beside the trimmed key', () => {
    const padded = mapRow(spec(), row({ id: ' G-1 ' }), types, 7);
    assert.ok(!padded.ok);
    assert.match(
      padded.rejected.reasons[0] ?? '',
      /^row 7 \(key " G-1 "\): field "external_id" value " G-1 " starts or ends with a space; .*"G-1" and " G-1 " would be two records: trim it in the source/,
    );
    assert.ok(mapRow(spec(), row({ id: 'G 1' }), types, 7).ok, 'inner spaces are kept');
  });

  test('an empty key rejects the row; nulls skip by default and clear when asked', () => {
    const noKey = mapRow(spec(), row({ id: '' }), types, 3);
    assert.ok(!noKey.ok && noKey.rejected.reasons[0]?.includes('"external_id" is empty'));
    const skipped = mapRow(spec(), row({}), types, 1);
    assert.ok(skipped.ok);
    assert.deepEqual(Object.keys(skipped.row.fields), ['external_id', 'name']);
    assert.deepEqual(skipped.row.custom, []);
    const cleared = mapRow(spec({ options: { nulls: 'clear' } }), row({}), types, 1);
    assert.ok(cleared.ok);
    assert.equal(cleared.row.fields.email, null);
    assert.deepEqual(
      cleared.row.custom.map((value) => [value.key, value.value]),
      [
        ['seats', null],
        ['plan', null],
      ],
    );
  });

  test('bounded values: long text, blank keys, control characters, objects, implausible dates and inexact decimals reject their row', () => {
    const reasonsOf = (
      values: Record<string, SourceValue>,
      columnTypes: Record<string, ColumnType> = types,
      overrides: Record<string, unknown> = {},
    ) => {
      const result = mapRow(spec(overrides), row(values), columnTypes, 4);
      return result.ok ? [] : result.rejected.reasons;
    };
    assert.ok(
      reasonsOf({ name: 'x'.repeat(1_000_000) }).some(
        (reason) => reason.includes('field "name"') && reason.includes('at most 255 characters (it has 1000000)'),
      ),
    );
    assert.ok(
      reasonsOf({ name: 'x'.repeat(1_000_000) }).every((reason) => reason.length < 400),
      'a huge value is never repeated whole',
    );
    assert.ok(reasonsOf({ id: '   ' }).some((reason) => reason.includes('"external_id" is blank')));
    assert.ok(
      reasonsOf({ id: 'C\u0001' }).some(
        (reason) => reason.includes('"external_id"') && reason.includes('control character U+0001'),
      ),
    );
    assert.ok(
      reasonsOf({ name: 'Ada\u0000' }).some(
        (reason) => reason.includes('"name"') && reason.includes('control character U+0000'),
      ),
    );
    assert.ok(
      reasonsOf({ name: { a: 1 } as unknown as SourceValue }).some(
        (reason) => reason.includes('"name"') && reason.includes('expected text, not an object or a list'),
      ),
    );
    assert.ok(
      reasonsOf({ plan: [1, 2] as unknown as SourceValue }).some(
        (reason) => reason.includes('"plan"') && reason.includes('not an object or a list'),
      ),
    );
    assert.ok(
      reasonsOf({ signup: '0000-01-01' }).some(
        (reason) => reason.includes('"lead_created_at"') && reason.includes('between 1900-01-01 and now'),
      ),
    );
    assert.ok(
      reasonsOf({ signup: '9999-12-31' }).some(
        (reason) => reason.includes('"lead_created_at"') && reason.includes('between 1900-01-01 and now'),
      ),
    );
    assert.ok(
      reasonsOf({ seats: '123456789012345678901234567890.123' }, { seats: 'decimal' }).some(
        (reason) => reason.includes('"seats"') && reason.includes('at most 15 significant digits'),
      ),
    );
    assert.deepEqual(reasonsOf({ seats: '12345.678' }, { seats: 'decimal' }), []);
    assert.deepEqual(reasonsOf({ name: 'Tab\tand\nnewline are text' }), []);
  });

  test('a missing column is reported, not silently skipped', () => {
    const result = mapRow(spec(), { id: 'C-1' }, types, 1);
    assert.ok(
      !result.ok &&
        result.rejected.reasons.some((reason) =>
          reason.includes('column "seats" (mapped to "seats") is not in the source'),
        ),
    );
  });

  test("a custom attribute's type comes from the column, never from one value", () => {
    const asText = mapRow(spec(), row({ seats: '12' }), { seats: 'string' }, 1);
    assert.ok(asText.ok);
    assert.deepEqual(asText.row.custom[0], { key: 'seats', type: 'String', value: '12' });
  });
});

describe('spec files', () => {
  test('the examples are *.sync.json; an old *.spec.json name is read from its new name, with a note', () => {
    const examples = join(__dirname, '..', 'examples');
    assert.ok(existsSync(join(examples, 'customers.sync.json')) && !existsSync(join(examples, 'customers.spec.json')));
    const notes: string[] = [];
    const spec = loadSpecFile(join(examples, 'customers.spec.json'), (line) => notes.push(line));
    assert.equal(spec.name, 'example-customers');
    assert.match(notes[0] ?? '', /customers\.spec\.json is now named .*customers\.sync\.json: reading that\./);
    assert.throws(() => loadSpecFile(join(examples, 'nothing.spec.json')), /cannot read the spec file/);
  });
});

test('notify names its webhook URL by an environment variable only: the URL is a secret', () => {
  assert.deepEqual(spec({ notify: { url: 'env:SLACK_WEBHOOK_URL', rejectedRowsOver: 10 } }).notify, {
    url: 'env:SLACK_WEBHOOK_URL',
    rejectedRowsOver: 10,
  });
  const literal = parseSpec({ ...spec(), notify: { url: 'https://hooks.slack.com/services/T/B/x' } });
  assert.ok(!literal.ok);
  assert.match(literal.problems.join('\n'), /notify\.url: name the environment variable .* as env:NAME/);
  const typo = parseSpec({ ...spec(), notify: { url: 'env:X', rejectedRowsOvr: 1 } });
  assert.ok(!typo.ok);
  assert.match(typo.problems.join('\n'), /notify\.rejectedRowsOvr: unknown field; did you mean "rejectedRowsOver"\?/);
});
