// Resolves a spec's `account` name to credentials from the worker's environment. Only the account's
// name travels through Temporal; the key is read here, on the worker, when an activity needs it.

export const DEFAULT_API_URL = 'https://api.chartmogul.com';

export interface AccountCredentials {
  apiKey: string;
  baseUrl: string;
}

/** `default` reads CHARTMOGUL_API_KEY; `eu_team` reads CHARTMOGUL_API_KEY_EU_TEAM (and likewise _URL). */
export function accountVariable(account: string, base: 'CHARTMOGUL_API_KEY' | 'CHARTMOGUL_API_URL'): string {
  return account === 'default' ? base : `${base}_${account.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The accounts whose API key the environment holds: `default` for CHARTMOGUL_API_KEY, `eu_team` for
 * CHARTMOGUL_API_KEY_EU_TEAM (named in lower case, as a spec would name it). */
export function configuredAccounts(env: NodeJS.ProcessEnv): string[] {
  const prefix = 'CHARTMOGUL_API_KEY_';
  return Object.keys(env)
    .filter((name) => env[name] && (name === 'CHARTMOGUL_API_KEY' || name.startsWith(prefix)))
    .map((name) => (name === 'CHARTMOGUL_API_KEY' ? 'default' : name.slice(prefix.length).toLowerCase()))
    .sort();
}

export class MissingCredentialsError extends Error {
  constructor(
    readonly account: string,
    readonly variable: string,
  ) {
    super(
      `No ChartMogul API key for account "${account}": set ${variable}` +
        (account === 'default' ? ' (or run with --emulator to try the sync on the built-in emulator)' : ''),
    );
  }
}

export function resolveAccount(account: string, env: NodeJS.ProcessEnv): AccountCredentials {
  const keyVariable = accountVariable(account, 'CHARTMOGUL_API_KEY');
  const apiKey = env[keyVariable];
  if (!apiKey) throw new MissingCredentialsError(account, keyVariable);
  const baseUrl = env[accountVariable(account, 'CHARTMOGUL_API_URL')] ?? env.CHARTMOGUL_API_URL ?? DEFAULT_API_URL;
  return { apiKey, baseUrl };
}
