// What went wrong with Snowflake, said so a user knows what to do: Snowflake's error codes for the usual
// warehouse troubles (bad credentials, a role or warehouse the user may not use, an object the role cannot
// see, a failing query) and the Node driver's codes for a network that did not answer. Never a secret.

import { secretsOf, type SnowflakeSettings } from './snowflake-settings';

interface DriverError {
  code?: string | number;
  message?: string;
}

/** The Node driver's own codes for a request that got no usable answer (snowflake-sdk error_code.js). */
const NETWORK_CODES = new Set(['401001', '401002', '401003', '402001', '402002']);

function codeOf(error: unknown): string {
  const code = (error as DriverError | null)?.code;
  return code === undefined ? '' : String(code);
}

/** A network timeout or a dropped connection: worth another try. (Not a statement that ran into its
 * warehouse's timeout, code 000630: running it again would take as long.) */
export function isPassingTrouble(error: unknown): boolean {
  const code = codeOf(error);
  if (NETWORK_CODES.has(code)) return true;
  const message = String((error as DriverError | null)?.message ?? '');
  return /ETIMEDOUT|ECONNRESET|ECONNREFUSED|EAI_AGAIN|socket hang up|timeout of \d+ms exceeded/i.test(message);
}

function hint(code: string, settings: SnowflakeSettings, message: string): string {
  switch (code) {
    case '390100':
      return `check the user and password (or private key) of account "${settings.account}"`;
    case '390144':
    case '394304':
      return 'the key-pair login was refused: check that the private key file matches the public key set on the user (ALTER USER … SET RSA_PUBLIC_KEY)';
    case '390189':
      return `the role "${settings.role ?? ''}" does not exist or is not granted to user "${settings.user}": GRANT ROLE … TO USER, or set another role`;
    case '000606':
      return "no warehouse is in use: set the connection's WAREHOUSE, and GRANT USAGE ON WAREHOUSE … TO ROLE the sync's role";
    case '002003':
      return "the query names an object the role cannot see: check its name, and the role's USAGE on the database and schema and SELECT on the table";
    default:
      if (/warehouse/i.test(message))
        return "check the connection's WAREHOUSE and that the role has USAGE on it (README: Snowflake)";
      return '';
  }
}

/** One message for a Snowflake failure: what was being done, Snowflake's words and code, what to do. */
export function describeSnowflakeError(
  error: unknown,
  settings: SnowflakeSettings,
  doing: 'connect' | 'query',
): string {
  const code = codeOf(error);
  let said = String((error as DriverError | null)?.message ?? error);
  for (const secret of secretsOf(settings)) said = said.split(secret).join('***');
  const what =
    doing === 'connect'
      ? `could not connect to Snowflake account "${settings.account}" as "${settings.user}"`
      : 'the Snowflake query failed';
  const advice = isPassingTrouble(error)
    ? 'Snowflake did not answer in time or the connection dropped; the read is retried'
    : hint(code, settings, said);
  return `${what}: ${said}${code ? ` (code ${code})` : ''}${advice ? `; ${advice}` : ''}`;
}
