// The sync spec: which rows, which ChartMogul object, which mode, which column goes to which field.
// Pure (zod only), so workflows may import it to validate their input.

import { z } from 'zod';

import { DEFAULT_SPEC_OPTIONS, MAX_SPEC_CONCURRENCY, MAX_SPEC_PAGE_SIZE } from '../limits';

import { isCustomAttribute, OBJECTS, SYNC_MODES, SYNC_OBJECTS } from '../objects';
import { closestName } from './suggest';

export const ATTRIBUTE_TYPES = ['String', 'Integer', 'Decimal', 'Timestamp', 'Boolean'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export const DATA_SOURCE_UUID = /^ds_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DURATION = /^(\d+)([smhd])$/;

/** `90s`, `15m`, `26h`, `2d` in milliseconds. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match) return 0;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/** The spec's schemas, built on first use: building them takes milliseconds, and the workflow bundle evaluates
 * its modules again for every workflow it starts, most of which never parse a spec. */
function buildSchemas() {
  // Every object is strict: a typo in a spec (`nmae` for `name`) is refused, never ignored.
  const mappingSchema = z.strictObject({
    from: z.string().min(1, 'the source column name is empty'),
    to: z.string().min(1, 'the destination field name is empty'),
    type: z.enum(ATTRIBUTE_TYPES).optional(),
  });

  const sourceSchema = z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('file'), path: z.string().min(1) }),
    z.strictObject({
      type: z.literal('duckdb'),
      query: z.string().min(1),
      database: z.string().min(1).optional(),
      /** Where the query's relative file paths are found (a spec file's own folder, unless it says). */
      folder: z.string().min(1).optional(),
    }),
    z.strictObject({ type: z.literal('postgres'), url: z.string().min(1), query: z.string().min(1) }),
    z.strictObject({
      type: z.literal('snowflake'),
      query: z.string().min(1),
      /** A named connection: its settings are SNOWFLAKE_CONNECTIONS_<NAME>_<SETTING> in the worker's environment;
       * without one, SNOWFLAKE_<SETTING>. Settings and secrets never sit in the spec. */
      connection: z
        .string()
        .regex(
          /^[A-Za-z][A-Za-z0-9_]*$/,
          'a connection name is letters, digits and "_" (it names environment variables)',
        )
        .optional(),
    }),
  ]);

  const optionsSchema = z.strictObject({
    pageSize: z.number().int().min(1).max(MAX_SPEC_PAGE_SIZE).default(DEFAULT_SPEC_OPTIONS.pageSize),
    concurrency: z.number().int().min(1).max(MAX_SPEC_CONCURRENCY).default(DEFAULT_SPEC_OPTIONS.concurrency),
    nulls: z.enum(['skip', 'clear']).default(DEFAULT_SPEC_OPTIONS.nulls),
    /** Read and look up, write nothing: totals count what would be created and updated. */
    dryRun: z.boolean().default(DEFAULT_SPEC_OPTIONS.dryRun),
    /** List the data source first and compare every row with ChartMogul's values, whatever the store knows. */
    fullRefresh: z.boolean().default(DEFAULT_SPEC_OPTIONS.fullRefresh),
    /** false: no state store and no prefetch; every row is looked up and written, as a plain script would. */
    incremental: z.boolean().default(DEFAULT_SPEC_OPTIONS.incremental),
    /** An invoice already in ChartMogul whose line items or transactions changed: `fail` it with what changed,
     * or `replace` it (delete, then import the row under the same external id). */
    invoiceChanges: z.enum(['auto', 'edit', 'fail', 'replace']).default(DEFAULT_SPEC_OPTIONS.invoiceChanges),
    /** What keys a contact row: its customer and email, or the contact's own external_id (2026). A spec says so
     * explicitly, so contacts synced by email are never made again under another key. */
    contactKey: z.enum(['email', 'external_id']).default(DEFAULT_SPEC_OPTIONS.contactKey),
    /** New rows of objects ChartMogul imports in bulk (customers with standard fields only, invoices with their
     * line items and transactions, transactions on held invoices, plans, subscription events):
     * `auto` sends a page's new rows as bulk imports when there are at least BULK_MIN_ROWS; `never` one
     * request a record. */
    bulkImport: z.enum(['auto', 'never']).default(DEFAULT_SPEC_OPTIONS.bulkImport),
  });

  /** Where and when a sync tells someone: a POST of one JSON message (Slack's incoming-webhook shape, and the
   * event for any receiver) when a run fails, ends with failed rows, or rejects more rows than allowed. */
  const notifySchema = z.strictObject({
    /** The webhook URL is a secret (it lets anyone post): only its environment variable is named here. */
    url: z
      .string()
      .regex(
        /^env:[A-Za-z_][A-Za-z0-9_]*$/,
        'name the environment variable that holds the webhook URL, as env:NAME (the URL is a secret and never sits in a spec)',
      ),
    /** Notify when a run rejects more rows than this (absent: rejected rows alone never notify). */
    rejectedRowsOver: z.number().int().min(0).optional(),
    /** Scheduled syncs: notify when no run has ended for this long (runs missed, skipped, or one stuck). */
    missedRunAfter: z
      .string()
      .regex(DURATION, 'expected a number and a unit (s, m, h or d), such as 26h')
      .refine((text) => durationMs(text) > 0, 'expected a duration above zero')
      .optional(),
  });

  const specSchema = z
    .strictObject({
      name: z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
          'use 1-100 letters, digits, "_", "." or "-", starting with a letter or digit',
        ),
      object: z.enum(SYNC_OBJECTS),
      mode: z.enum(SYNC_MODES),
      dataSourceUuid: z.string().regex(DATA_SOURCE_UUID, 'expected ds_ followed by a UUID'),
      account: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, "_" or "-"')
        .default('default'),
      source: sourceSchema,
      mapping: z.array(mappingSchema).min(1, 'map at least one column'),
      options: optionsSchema.default({ ...DEFAULT_SPEC_OPTIONS }),
      notify: notifySchema.optional(),
    })
    .superRefine((spec, ctx) => {
      const targets = spec.mapping.map((entry) => entry.to);
      const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
      const definition = OBJECTS[spec.object];
      if (!definition.modes.includes(spec.mode)) {
        problem(['mode'], `${spec.object} are synced in ${definition.modes.join(' or ')} mode, not ${spec.mode}`);
        return;
      }
      const keyedByOption =
        definition.keyFields(spec.mode, { contactKey: 'external_id' }).join() !==
        definition.keyFields(spec.mode).join();
      if (spec.options.contactKey !== 'email' && !keyedByOption)
        problem(['options', 'contactKey'], `contactKey applies to contacts only, not ${spec.object}`);
      const required = definition.requiredFields(spec.mode, spec.options);
      for (const field of required) {
        if (!targets.includes(field))
          problem(['mapping'], `map a column to "${field}": ${spec.object} in ${spec.mode} mode need it`);
      }
      spec.mapping.forEach((entry, index) => {
        if (targets.indexOf(entry.to) !== index) problem(['mapping', index, 'to'], `"${entry.to}" is mapped twice`);
        const custom = isCustomAttribute(spec.object, entry.to);
        if (definition.customAttributes === 'none' && !(entry.to in definition.fields)) {
          const suggestion = closestName(entry.to, Object.keys(definition.fields));
          problem(
            ['mapping', index, 'to'],
            `"${entry.to}" is not a field of ${spec.object}, which have no custom attributes${suggestion ? `; did you mean "${suggestion}"?` : ''} (fields: ${Object.keys(definition.fields).join(', ')})`,
          );
          return;
        }
        if (entry.type && !custom) {
          problem(
            ['mapping', index, 'type'],
            `"${entry.to}" is a standard ${spec.object} field; "type" is only for custom attributes`,
          );
        }
        // A ChartMogul UUID names a record; it is never a custom attribute, and only some objects and modes map it.
        const owners = Object.values(OBJECTS).filter((object) => object.fields[entry.to]?.kind === 'uuid');
        const here = definition.fields[entry.to];
        if ((owners.length > 0 && !here) || (here?.modes && !here.modes.includes(spec.mode))) {
          const where = owners
            .map((object) => `${object.name} in ${(object.fields[entry.to]?.modes ?? SYNC_MODES).join(' or ')} mode`)
            .join(', ');
          problem(['mapping', index, 'to'], `"${entry.to}" can only be mapped for ${where || 'no object'}`);
        }
        if (custom && !/^[A-Za-z0-9_]+$/.test(entry.to)) {
          problem(['mapping', index, 'to'], `custom attribute key "${entry.to}" must use only letters, digits and "_"`);
        }
      });
      if (spec.source.type === 'postgres' && !/^env:[A-Za-z_][A-Za-z0-9_]*$/.test(spec.source.url)) {
        problem(
          ['source', 'url'],
          "write the database URL as env:NAME and set NAME in the worker's environment; a literal URL would put its password in Temporal's history",
        );
      }
    });

  return {
    mapping: mappingSchema,
    source: sourceSchema,
    options: optionsSchema,
    notify: notifySchema,
    spec: specSchema,
  };
}

type Schemas = ReturnType<typeof buildSchemas>;
let built: Schemas | undefined;
const schemas = (): Schemas => (built ??= buildSchemas());

export type NotifySettings = z.infer<Schemas['notify']>;

/** options.invoiceChanges: what becomes of an invoice whose line items or transactions changed. */
export type InvoiceChanges = 'auto' | 'edit' | 'fail' | 'replace';

export type SyncSpec = z.infer<Schemas['spec']>;
export type { SyncMode, SyncObject } from '../objects';
export type MappingEntry = SyncSpec['mapping'][number];

export type SpecResult = { ok: true; spec: SyncSpec } | { ok: false; problems: string[] };

/** Checks a spec and lists every problem with its path, e.g. `mapping[2].to: "email" is mapped twice`. */
export function parseSpec(input: unknown): SpecResult {
  const result = schemas().spec.safeParse(input);
  if (result.success) return { ok: true, spec: result.data };
  const problems = result.error.issues.flatMap((issue) => {
    const path = pathText(issue.path);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => unknownField(issue.path, key));
    return [`${path || '(spec)'}: ${issue.message}`];
  });
  return { ok: false, problems };
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)),
    '',
  );
}

/** The fields an object at this path of a spec may have. */
function knownFields(path: readonly PropertyKey[]): string[] {
  const [first] = path;
  const { spec, options, notify, mapping, source } = schemas();
  if (path.length === 0) return Object.keys(spec.shape);
  if (first === 'options') return Object.keys(options.shape);
  if (first === 'notify') return Object.keys(notify.shape);
  if (first === 'mapping') return Object.keys(mapping.shape);
  if (first === 'source') return [...new Set(source.options.flatMap((variant) => Object.keys(variant.shape)))];
  return [];
}

/** `nmae: unknown field; did you mean "name"?` */
function unknownField(path: readonly PropertyKey[], key: string): string {
  const suggestion = closestName(key, knownFields(path));
  return `${pathText([...path, key])}: unknown field${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
}
