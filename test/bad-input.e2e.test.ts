// The bad-input corpus: kinds of bad data and bad specs, each run as a user would. Data cases go through one
// `run` of many specs (an embedded Temporal, the emulator as ChartMogul) and each is checked on its own: the
// exit code it stands for, the exact rejected rows and reasons in its report, its good rows in ChartMogul, and
// no SQL or stack trace anywhere in what was printed. Spec cases go through `validate`: exit 1, the problem named.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { BIN } from './helpers/processes';
import { listAll, workFolder } from './helpers/sync';
import { startTestEmulator, TEST_DATA_SOURCE, type TestEmulator } from './helpers/temporal';

const folder = join(workFolder, 'corpus');
mkdirSync(folder, { recursive: true });
const NO_SQL_OR_STACK = /\b(SELECT|DESCRIBE|read_csv|read_json|read_parquet)\b|\n\s+at \S+ \(/;

let emulator: TestEmulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(async () => {
  await emulator?.stop();
});

function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: folder,
      env: { ...process.env, TEMPORAL_ADDRESS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => resolve({ code, output, stdout }));
  });
}

// ---- data cases -------------------------------------------------------------------------------------------

const COLUMNS = ['id', 'name', 'email', 'country', 'signup', 'seats', 'ratio', 'active', 'site', 'plan', 'renews'];
const MAPPING = [
  { from: 'id', to: 'external_id' },
  { from: 'name', to: 'name' },
  { from: 'email', to: 'email' },
  { from: 'country', to: 'country' },
  { from: 'signup', to: 'lead_created_at' },
  { from: 'seats', to: 'seats', type: 'Integer' },
  { from: 'ratio', to: 'ratio', type: 'Decimal' },
  { from: 'active', to: 'active', type: 'Boolean' },
  { from: 'site', to: 'website_url' },
  { from: 'plan', to: 'plan', type: 'String' },
  { from: 'renews', to: 'renews', type: 'Timestamp' },
];
type Row = Partial<Record<(typeof COLUMNS)[number], string>>;

function csvLine(id: string, values: Row = {}, delimiter = ','): string {
  const row: Row = {
    id,
    name: `Name ${id}`,
    email: `${id.toLowerCase()}@example.com`,
    country: 'DE',
    signup: '2024-01-31',
    seats: '3',
    ratio: '0.5',
    active: 'true',
    site: 'https://example.com',
    plan: 'pro',
    renews: '2027-01-01',
    ...values,
  };
  return COLUMNS.map((column) => row[column] ?? '').join(delimiter);
}

function jsonLine(id: string, values: Record<string, unknown> = {}): string {
  return JSON.stringify({ id, name: `Name ${id}`, seats: 3, ...values });
}

interface DataCase {
  kind: string;
  file: string;
  body: string | Buffer;
  /** [key or `line N`, the reason's text] for each rejected row, in row order. */
  rejected: [string, RegExp][];
  /** Keys that must be in ChartMogul afterwards. */
  synced: string[];
}

const csv = (lines: string[], header = COLUMNS.join(',')) => `${header}\n${lines.join('\n')}\n`;

/** A CSV case: a good row before and after one bad value. */
function valueCase(kind: string, id: string, values: Row, reason: RegExp): DataCase {
  return {
    kind,
    file: `${id}.csv`,
    body: csv([csvLine(`${id}-ok1`), csvLine(id, values), csvLine(`${id}-ok2`)]),
    rejected: [[id, reason]],
    synced: [`${id}-ok1`, `${id}-ok2`],
  };
}

const DATA_CASES: DataCase[] = [
  // Lines a file reader cannot take as rows.
  {
    kind: 'a latin-1 byte in one CSV line',
    file: 'l01.csv',
    body: Buffer.concat([
      Buffer.from(csv([csvLine('l01-ok1')]) + 'l01,Caf'),
      Buffer.from([0xe9]),
      Buffer.from(`,x@example.com,DE,2024-01-01,1,1,true,https://a.de,p,2027-01-01\n${csvLine('l01-ok2')}\n`),
    ]),
    rejected: [['line 3', /^line 3: not valid UTF-8 at byte 8$/]],
    synced: ['l01-ok1', 'l01-ok2'],
  },
  {
    kind: 'a CSV row with extra fields',
    file: 'l02.csv',
    body: csv([csvLine('l02-ok1'), `${csvLine('l02')},surplus,more`, csvLine('l02-ok2')]),
    rejected: [['line 3', /^line 3: 13 fields, the header has 11$/]],
    synced: ['l02-ok1', 'l02-ok2'],
  },
  {
    kind: 'a CSV row with missing fields',
    file: 'l03.csv',
    body: csv([csvLine('l03-ok1'), 'l03,Short', csvLine('l03-ok2')]),
    rejected: [['line 3', /^line 3: 2 fields, the header has 11$/]],
    synced: ['l03-ok1', 'l03-ok2'],
  },
  {
    kind: 'a quote inside an unquoted CSV field',
    file: 'l04.csv',
    body: csv([csvLine('l04-ok1'), csvLine('l04', { name: '5" screen' }), csvLine('l04-ok2')]),
    rejected: [['line 3', /a quote inside a field that does not start with one/]],
    synced: ['l04-ok1', 'l04-ok2'],
  },
  {
    kind: 'text after a closing quote',
    file: 'l05.csv',
    body: csv([csvLine('l05-ok1'), csvLine('l05', { name: '"Acme"Inc' }), csvLine('l05-ok2')]),
    rejected: [['line 3', /text after the closing quote/]],
    synced: ['l05-ok1', 'l05-ok2'],
  },
  {
    kind: 'a quote never closed on the last line',
    file: 'l06.csv',
    body: csv([csvLine('l06-ok1'), csvLine('l06-ok2'), csvLine('l06', { name: '"Never closed' })]),
    rejected: [['line 4', /a quoted field is never closed/]],
    synced: ['l06-ok1', 'l06-ok2'],
  },
  {
    kind: 'a TSV row with missing fields',
    file: 'l07.tsv',
    body: csv([csvLine('l07-ok1', {}, '\t'), 'l07\tShort', csvLine('l07-ok2', {}, '\t')], COLUMNS.join('\t')),
    rejected: [['line 3', /^line 3: 2 fields, the header has 11$/]],
    synced: ['l07-ok1', 'l07-ok2'],
  },
  {
    kind: 'a malformed JSON line',
    file: 'l08.jsonl',
    body: [jsonLine('l08-ok1'), '{"id":"l08","name":', jsonLine('l08-ok2')].join('\n') + '\n',
    rejected: [['line 2', /^line 2: not valid JSON: /]],
    synced: ['l08-ok1', 'l08-ok2'],
  },
  {
    kind: 'a JSON line that is a list',
    file: 'l09.jsonl',
    body: [jsonLine('l09-ok1'), '["l09"]', jsonLine('l09-ok2')].join('\n') + '\n',
    rejected: [['line 2', /^line 2: expected a JSON object, found a list$/]],
    synced: ['l09-ok1', 'l09-ok2'],
  },
  {
    kind: 'a JSON line that is a number',
    file: 'l10.jsonl',
    body: [jsonLine('l10-ok1'), '42', jsonLine('l10-ok2')].join('\n') + '\n',
    rejected: [['line 2', /^line 2: expected a JSON object, found 42$/]],
    synced: ['l10-ok1', 'l10-ok2'],
  },
  {
    kind: 'a JSON line with a bad byte',
    file: 'l11.jsonl',
    body: Buffer.concat([
      Buffer.from(`${jsonLine('l11-ok1')}\n{"id":"l11","name":"Caf`),
      Buffer.from([0xe9]),
      Buffer.from(`"}\n${jsonLine('l11-ok2')}\n`),
    ]),
    rejected: [['line 2', /^line 2: not valid UTF-8 at byte 24$/]],
    synced: ['l11-ok1', 'l11-ok2'],
  },
  {
    kind: 'an object where JSON text is expected',
    file: 'l12.jsonl',
    body: [jsonLine('l12-ok1'), jsonLine('l12', { name: { a: 1 } }), jsonLine('l12-ok2')].join('\n') + '\n',
    rejected: [['l12', /field "name" value \{"a":1\}: expected text, not an object or a list/]],
    synced: ['l12-ok1', 'l12-ok2'],
  },
  {
    kind: 'a list where JSON text is expected',
    file: 'l13.jsonl',
    body: [jsonLine('l13-ok1'), jsonLine('l13', { name: ['a', 'b'] }), jsonLine('l13-ok2')].join('\n') + '\n',
    rejected: [['l13', /field "name" value \["a","b"\]: expected text, not an object or a list/]],
    synced: ['l13-ok1', 'l13-ok2'],
  },
  // Files that are fine although unusual: nothing rejected.
  {
    kind: 'a byte-order mark and CRLF line ends',
    file: 'l14.csv',
    body: `\ufeff${COLUMNS.join(',')}\r\n${csvLine('l14-ok1')}\r\n${csvLine('l14-ok2')}\r\n`,
    rejected: [],
    synced: ['l14-ok1', 'l14-ok2'],
  },
  {
    kind: 'blank lines between rows',
    file: 'l15.csv',
    body: csv([csvLine('l15-ok1'), '', '', csvLine('l15-ok2')]),
    rejected: [],
    synced: ['l15-ok1', 'l15-ok2'],
  },
  {
    kind: 'semicolons as the delimiter',
    file: 'l16.csv',
    body: csv([csvLine('l16-ok1', {}, ';'), csvLine('l16-ok2', {}, ';')], COLUMNS.join(';')),
    rejected: [],
    synced: ['l16-ok1', 'l16-ok2'],
  },
  {
    kind: 'a quoted field with a comma and a line break',
    file: 'l17.csv',
    body: csv([csvLine('l17-ok1', { name: '"Acme, Inc.\nBerlin"' }), csvLine('l17-ok2')]),
    rejected: [],
    synced: ['l17-ok1', 'l17-ok2'],
  },
  {
    kind: 'a blank line in JSON lines',
    file: 'l18.jsonl',
    body: [jsonLine('l18-ok1'), '', jsonLine('l18-ok2')].join('\n') + '\n',
    rejected: [],
    synced: ['l18-ok1', 'l18-ok2'],
  },
  // Values that do not fit their field.
  {
    kind: 'a whitespace-only key',
    file: 'v01.csv',
    body: csv([csvLine('v01-ok1'), csvLine('   '), csvLine('v01-ok2')]),
    rejected: [['   ', /field "external_id" is blank; it is part of the record key/]],
    synced: ['v01-ok1', 'v01-ok2'],
  },
  {
    kind: 'an empty key',
    file: 'v02.csv',
    body: csv([csvLine('v02-ok1'), csvLine(''), csvLine('v02-ok2')]),
    rejected: [['', /field "external_id" is empty; it is part of the record key/]],
    synced: ['v02-ok1', 'v02-ok2'],
  },
  {
    kind: 'a key seen twice',
    file: 'v03.csv',
    body: csv([csvLine('v03-ok1'), csvLine('v03-ok1', { name: 'Again' }), csvLine('v03-ok2')]),
    rejected: [['v03-ok1', /the key was already seen in this run/]],
    synced: ['v03-ok1', 'v03-ok2'],
  },
  valueCase(
    'a 1 MB name',
    'v04',
    { name: 'x'.repeat(1_000_000) },
    /field "name" value "x{60,}\.\.\.": expected text of at most 255 characters \(it has 1000000\)/,
  ),
  valueCase(
    'a 256-character name',
    'v05',
    { name: 'y'.repeat(256) },
    /expected text of at most 255 characters \(it has 256\)/,
  ),
  valueCase(
    'a NUL byte in a name',
    'v06',
    { name: 'Nul\u0000Inc' },
    /field "name" .*expected text without control characters \(found control character U\+0000 at character 4\)/,
  ),
  {
    kind: 'a control character in a key',
    file: 'v07.csv',
    body: csv([csvLine('v07-ok1'), csvLine('v07\u0007'), csvLine('v07-ok2')]),
    rejected: [['v07\\u0007', /field "external_id" .*control character U\+0007/]],
    synced: ['v07-ok1', 'v07-ok2'],
  },
  valueCase(
    'a bad email',
    'v08',
    { email: 'not-an-email' },
    /field "email" value "not-an-email": expected an email address/,
  ),
  valueCase(
    'a bad country',
    'v09',
    { country: 'XX' },
    /field "country" value "XX": expected an ISO 3166-1 alpha-2 country code/,
  ),
  valueCase(
    'a year-zero date',
    'v10',
    { signup: '0000-01-01' },
    /field "lead_created_at" value "0000-01-01": expected a date between 1900-01-01 and now/,
  ),
  valueCase(
    'a date far in the future',
    'v11',
    { signup: '9999-12-31' },
    /field "lead_created_at" value "9999-12-31": expected a date between 1900-01-01 and now/,
  ),
  valueCase(
    'an impossible calendar date',
    'v12',
    { signup: '2024-02-30' },
    /field "lead_created_at" value "2024-02-30": expected a real calendar date/,
  ),
  valueCase(
    'a date that is no date',
    'v13',
    { signup: 'yesterday' },
    /field "lead_created_at" value "yesterday": expected an ISO 8601 date/,
  ),
  valueCase(
    'text in an Integer column',
    'v14',
    { seats: 'twelve' },
    /field "seats" value "twelve": expected an Integer$/,
  ),
  valueCase(
    'an Integer beyond a double',
    'v15',
    { seats: '9007199254740993' },
    /field "seats" value "9007199254740993": expected an Integer/,
  ),
  valueCase(
    'a Decimal a double cannot hold',
    'v16',
    { ratio: '123456789012345678901234567890.123' },
    /field "ratio" .*expected a Decimal of at most 15 significant digits/,
  ),
  valueCase(
    'text in a Decimal column',
    'v17',
    { ratio: 'half' },
    /field "ratio" value "half": expected a Decimal number/,
  ),
  valueCase(
    'a Boolean that is neither',
    'v18',
    { active: 'maybe' },
    /field "active" value "maybe": expected a Boolean/,
  ),
  valueCase(
    'a URL that is no URL',
    'v19',
    { site: 'example dot com' },
    /field "website_url" value "example dot com": expected a URL/,
  ),
  valueCase(
    'a String attribute over 255 characters',
    'v20',
    { plan: 'p'.repeat(300) },
    /field "plan" .*expected a String: text of at most 255 characters \(it has 300\)/,
  ),
  valueCase(
    'a Timestamp attribute that is no date',
    'v21',
    { renews: 'soon' },
    /field "renews" value "soon": expected an ISO 8601 date/,
  ),
  valueCase(
    'a Timestamp attribute in year 3000',
    'v22',
    { renews: '3000-01-01' },
    /field "renews" value "3000-01-01": expected a date between 1900-01-01 and 2200-12-31/,
  ),
];

function dataSpec(index: number, testCase: DataCase): string {
  const name = `corpus-${String(index).padStart(2, '0')}`;
  const path = join(folder, testCase.file);
  writeFileSync(path, testCase.body);
  const jsonl = testCase.file.endsWith('.jsonl');
  const mapping = jsonl ? MAPPING.filter((entry) => ['id', 'name', 'seats'].includes(entry.from)) : MAPPING;
  const specPath = join(folder, `${name}.spec.json`);
  writeFileSync(
    specPath,
    JSON.stringify({
      name,
      object: 'customers',
      mode: 'upsert',
      dataSourceUuid: TEST_DATA_SOURCE,
      source: { type: 'file', path: testCase.file },
      mapping,
    }),
  );
  return specPath;
}

test(
  `bad data: ${DATA_CASES.length} kinds, each costing only its own rows, with the line or row and the reason`,
  { timeout: 600_000 },
  async () => {
    const specs = DATA_CASES.map((testCase, index) => dataSpec(index + 1, testCase));
    const { code, output, stdout } = await cli(['run', ...specs, '--json'], {
      ...emulator.env,
      STATE_SQLITE_PATH: join(folder, 'state.sqlite'),
    });
    assert.doesNotMatch(output, NO_SQL_OR_STACK, 'nothing printed holds SQL or a stack trace');
    assert.equal(code, 3, output.slice(-3000));
    const results = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { status: string; totals: Record<string, number>; reportPath: string });
    assert.equal(results.length, DATA_CASES.length, 'every sync ran to its end');
    const inChartMogul = new Set(
      (await listAll(emulator, '/v1/customers')).map((customer) => String(customer.external_id)),
    );
    DATA_CASES.forEach((testCase, index) => {
      const result = results[index];
      const label = `${index + 1}: ${testCase.kind}`;
      assert.equal(result?.status, 'completed', label);
      const exitCode = (result?.totals.rejected ?? 0) + (result?.totals.failed ?? 0) > 0 ? 3 : 0;
      assert.equal(exitCode, testCase.rejected.length > 0 ? 3 : 0, `${label}: exit code`);
      assert.equal(result?.totals.failed, 0, label);
      const report = readFileSync(result?.reportPath ?? '', 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { key: string; reason: string; status: string });
      assert.deepEqual(
        report.map((entry) => entry.key),
        testCase.rejected.map(([key]) => key),
        `${label}: rejected rows`,
      );
      report.forEach((entry, at) => {
        assert.equal(entry.status, 'rejected', label);
        assert.match(entry.reason, testCase.rejected[at]?.[1] ?? /^$/, `${label}: reason`);
        assert.doesNotMatch(entry.reason, NO_SQL_OR_STACK, label);
        assert.ok(entry.reason.length < 600, `${label}: a reason stays short`);
      });
      for (const key of testCase.synced) assert.ok(inChartMogul.has(key), `${label}: good row ${key} is in ChartMogul`);
    });
  },
);

// ---- spec cases -------------------------------------------------------------------------------------------

writeFileSync(join(folder, 'spec-source.csv'), csv([csvLine('s-1')]));
const GOOD_SPEC = {
  name: 'corpus-spec',
  object: 'customers',
  mode: 'upsert',
  dataSourceUuid: TEST_DATA_SOURCE,
  source: { type: 'file', path: 'spec-source.csv' },
  mapping: MAPPING.slice(0, 3),
};

const SPEC_CASES: [string, unknown, RegExp][] = [
  ['an unknown top-level field', { ...GOOD_SPEC, nmae: 'x' }, /nmae: unknown field; did you mean "name"\?/],
  [
    'an unknown option',
    { ...GOOD_SPEC, options: { pagesize: 10 } },
    /options\.pagesize: unknown field; did you mean "pageSize"\?/,
  ],
  [
    'an unknown mapping field',
    {
      ...GOOD_SPEC,
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', too: 'name' },
      ],
    },
    /mapping\[1\]\.too: unknown field; did you mean "to"\?/,
  ],
  [
    'an unknown source field',
    { ...GOOD_SPEC, source: { type: 'file', path: 'spec-source.csv', delimiter: ';' } },
    /source\.delimiter: unknown field/,
  ],
  [
    'a mapped column missing from the file',
    {
      ...GOOD_SPEC,
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'emial', to: 'email' },
      ],
    },
    /mapping\[1\]\.from: column "emial" is not in the source; did you mean "email"\?/,
  ],
  [
    'the key column missing from the file',
    { ...GOOD_SPEC, mapping: [{ from: 'customer_id', to: 'external_id' }] },
    /mapping\[0\]\.from: column "customer_id" is not in the source/,
  ],
  ['an unknown mode', { ...GOOD_SPEC, mode: 'sideways' }, /^\s+- mode: /m],
  ['an unknown object', { ...GOOD_SPEC, object: 'subscriptions' }, /^\s+- object: /m],
  [
    'a data source that is no UUID',
    { ...GOOD_SPEC, dataSourceUuid: 'ds_nope' },
    /dataSourceUuid: expected ds_ followed by a UUID/,
  ],
  ['a name with spaces', { ...GOOD_SPEC, name: 'my sync' }, /name: use 1-100 letters, digits/],
  ['no mapping at all', { ...GOOD_SPEC, mapping: [] }, /mapping: map at least one column/],
  [
    'a field mapped twice',
    { ...GOOD_SPEC, mapping: [...GOOD_SPEC.mapping, { from: 'plan', to: 'email' }] },
    /mapping\[3\]\.to: "email" is mapped twice/,
  ],
  [
    'a type on a standard field',
    {
      ...GOOD_SPEC,
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'name', to: 'name', type: 'Integer' },
      ],
    },
    /mapping\[1\]\.type: "name" is a standard customers field/,
  ],
  [
    'a custom attribute key with a space',
    {
      ...GOOD_SPEC,
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'plan', to: 'my plan' },
      ],
    },
    /mapping\[1\]\.to: custom attribute key "my plan" must use only letters/,
  ],
  [
    'an attribute type that does not exist',
    {
      ...GOOD_SPEC,
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'ratio', to: 'ratio', type: 'Float' },
      ],
    },
    /mapping\[1\]\.type: /,
  ],
  [
    'uuid mapped for customers',
    {
      ...GOOD_SPEC,
      mapping: [
        { from: 'id', to: 'external_id' },
        { from: 'plan', to: 'uuid' },
      ],
    },
    /"uuid" can only be mapped for contacts in update mode/,
  ],
  [
    'customers without external_id',
    { ...GOOD_SPEC, mapping: [{ from: 'name', to: 'name' }] },
    /map a column to "external_id"/,
  ],
  [
    'contacts without customer_external_id',
    { ...GOOD_SPEC, object: 'contacts', mapping: [{ from: 'email', to: 'email' }] },
    /map a column to "customer_external_id"/,
  ],
  [
    'a literal Postgres URL',
    { ...GOOD_SPEC, source: { type: 'postgres', url: 'postgres://u:hunter2@db/x', query: 'select 1' } },
    /source\.url: write the database URL as env:NAME/,
  ],
  ['a page size of 0', { ...GOOD_SPEC, options: { pageSize: 0 } }, /options\.pageSize: /],
  ['a page size of 5000', { ...GOOD_SPEC, options: { pageSize: 5000 } }, /options\.pageSize: /],
  ['a concurrency of 0', { ...GOOD_SPEC, options: { concurrency: 0 } }, /options\.concurrency: /],
  ['an unknown nulls policy', { ...GOOD_SPEC, options: { nulls: 'maybe' } }, /options\.nulls: /],
  [
    'a source type that does not exist',
    { ...GOOD_SPEC, source: { type: 'bigquery', query: 'select 1' } },
    /source\.type: /,
  ],
  ['an account name with punctuation', { ...GOOD_SPEC, account: 'eu team!' }, /account: use letters, digits/],
  [
    'a file type that cannot be read',
    { ...GOOD_SPEC, source: { type: 'file', path: 'customers.xlsx' } },
    /the file type "\.xlsx" is not one of/,
  ],
  [
    'a source file that is not there',
    { ...GOOD_SPEC, source: { type: 'file', path: 'nowhere.csv' } },
    /could not read the file ".*nowhere\.csv": no such file/,
  ],
  ['an empty spec', {}, /name: .*\n.*object: /],
  ['a spec file that is not JSON', '{"name": "x",', /is not valid JSON/],
  ['a spec file that is not YAML', 'name: [unclosed', /is not valid YAML/],
];

test(
  `bad specs: ${SPEC_CASES.length} kinds, each refused by validate with exit 1 and the problem named`,
  { timeout: 300_000 },
  async () => {
    for (const [index, [kind, spec, expected]] of SPEC_CASES.entries()) {
      const yaml = typeof spec === 'string' && kind.includes('YAML');
      const path = join(folder, `spec-case-${index + 1}.${yaml ? 'yaml' : 'json'}`);
      writeFileSync(path, typeof spec === 'string' ? spec : JSON.stringify(spec));
      const { code, output } = await cli(['validate', path]);
      assert.equal(code, 1, `${index + 1}: ${kind}: ${output}`);
      assert.match(output, expected, `${index + 1}: ${kind}`);
      assert.doesNotMatch(output, NO_SQL_OR_STACK, `${index + 1}: ${kind}`);
      assert.doesNotMatch(output, /hunter2/, 'a password in a spec is never echoed');
    }
  },
);
