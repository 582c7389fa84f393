// The flags every long-running command (`worker`, `serve`) shares: how it logs and where it serves metrics.

import { LOG_FORMATS, type LogFormat } from '../worker/log';
import type { RuntimeOptions } from '../worker/workers';
import { toInteger, UsageError } from './usage';

export const RUNTIME_FLAGS = {
  'log-format': { type: 'string' },
  'metrics-port': { type: 'string' },
} as const;

export function runtimeOptions(values: { 'log-format'?: string; 'metrics-port'?: string }): RuntimeOptions {
  const format = values['log-format'] ?? 'text';
  if (!LOG_FORMATS.includes(format as LogFormat))
    throw new UsageError(`--log-format expects ${LOG_FORMATS.join(' or ')}, got "${format}"`);
  const port = values['metrics-port'];
  return {
    logFormat: format as LogFormat,
    metricsPort: port === undefined ? undefined : toInteger('metrics-port', port, 0),
  };
}

/** The command's own messages ("Worker running…"), in the same format as the worker's log. */
export function commandLog(options: RuntimeOptions): (message: string) => void {
  if (options.logFormat !== 'json') return (message) => console.error(message);
  return (message) => console.error(JSON.stringify({ time: new Date().toISOString(), level: 'INFO', message }));
}
