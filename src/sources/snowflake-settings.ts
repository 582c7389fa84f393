// Snowflake connection settings from the worker's environment, named as Snowflake's own CLI names them:
// SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, … for the default connection, SNOWFLAKE_CONNECTIONS_<NAME>_ACCOUNT, … for
// a connection a spec names. Never from the spec: a password or key in it would sit in Temporal's history.

import type { ConnectionOptions } from 'snowflake-sdk';

import { SourceError } from './types';

export interface SnowflakeSettings {
  account: string;
  user: string;
  password?: string;
  privateKeyFile?: string;
  privateKeyPassphrase?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  role?: string;
  /** Another address than <account>.snowflakecomputing.com (PrivateLink, a local stand-in): a host name, or
   * a URL with its scheme and port. */
  host?: string;
  /** Seconds to wait for one answer (the driver's default: 90). */
  networkTimeout?: string;
}

/** Each setting and the variable suffix it is read from. */
const VARIABLES: Record<keyof SnowflakeSettings, string> = {
  account: 'ACCOUNT',
  user: 'USER',
  password: 'PASSWORD',
  privateKeyFile: 'PRIVATE_KEY_FILE',
  privateKeyPassphrase: 'PRIVATE_KEY_PASSPHRASE',
  warehouse: 'WAREHOUSE',
  database: 'DATABASE',
  schema: 'SCHEMA',
  role: 'ROLE',
  host: 'HOST',
  networkTimeout: 'NETWORK_TIMEOUT',
};

/** The variable a setting is read from: `SNOWFLAKE_USER`, or `SNOWFLAKE_CONNECTIONS_FINANCE_USER`. */
export function settingVariable(setting: keyof SnowflakeSettings, connection?: string): string {
  return connection
    ? `SNOWFLAKE_CONNECTIONS_${connection.toUpperCase()}_${VARIABLES[setting]}`
    : `SNOWFLAKE_${VARIABLES[setting]}`;
}

export function snowflakeSettings(env: NodeJS.ProcessEnv, connection?: string): SnowflakeSettings {
  const read = (setting: keyof SnowflakeSettings) => env[settingVariable(setting, connection)] || undefined;
  const settings = Object.fromEntries(
    (Object.keys(VARIABLES) as (keyof SnowflakeSettings)[]).flatMap((setting) => {
      const value = read(setting);
      return value === undefined ? [] : [[setting, value]];
    }),
  ) as Partial<SnowflakeSettings>;
  const which = connection ? `connection "${connection}"` : 'the default connection';
  const missing = (['account', 'user'] as const)
    .filter((setting) => !settings[setting])
    .map((setting) => settingVariable(setting, connection));
  if (!settings.password && !settings.privateKeyFile)
    missing.push(`${settingVariable('password', connection)} or ${settingVariable('privateKeyFile', connection)}`);
  if (missing.length > 0)
    throw new SourceError(
      `Snowflake ${which} is not configured: set ${missing.join(', ')} in the worker's environment (README: Snowflake)`,
    );
  return settings as SnowflakeSettings;
}

/** The driver's options: key-pair authentication when a private key file is set, else the password. */
export function connectionOptions(settings: SnowflakeSettings): ConnectionOptions {
  const where = settings.host
    ? /^https?:\/\//.test(settings.host)
      ? { accessUrl: settings.host }
      : { host: settings.host }
    : {};
  const credentials = settings.privateKeyFile
    ? {
        authenticator: 'SNOWFLAKE_JWT',
        privateKeyPath: settings.privateKeyFile,
        ...(settings.privateKeyPassphrase ? { privateKeyPass: settings.privateKeyPassphrase } : {}),
      }
    : { password: settings.password };
  return {
    account: settings.account,
    username: settings.user,
    ...credentials,
    ...where,
    ...(settings.warehouse ? { warehouse: settings.warehouse } : {}),
    ...(settings.database ? { database: settings.database } : {}),
    ...(settings.schema ? { schema: settings.schema } : {}),
    ...(settings.role ? { role: settings.role } : {}),
    ...(Number(settings.networkTimeout) > 0 ? { timeout: Number(settings.networkTimeout) * 1000 } : {}),
    // The driver alone would retry a login for three minutes; two tries, then the activity's retries take
    // over, each one an attempt with its reason in Temporal Web.
    sfRetryMaxLoginRetries: 2,
    application: 'chartmogul-sync',
    // A sync can read for hours: keep the session alive between pages.
    clientSessionKeepAlive: true,
    // The driver's default answers a NULL of a column fetched as text (our numbers) as the string "NULL",
    // which would reach ChartMogul as that text. A NULL is no value.
    representNullAsStringNull: false,
  };
}

/** The secret values of the settings, to keep out of any message (those of four characters or more: a
 * shorter one would blank out parts of ordinary words). */
export function secretsOf(settings: SnowflakeSettings): string[] {
  return [settings.password, settings.privateKeyPassphrase].filter(
    (value): value is string => value !== undefined && value.length >= 4,
  );
}
