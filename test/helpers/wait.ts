// Waiting in tests for what a worker or server does, always with a deadline: a wait that never ends keeps the
// test file's process alive after its test failed or timed out, and the whole run hangs until CI's limit.

import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `done` holds; throws, naming `what`, if it has not within `timeoutMs`. */
export async function waitUntil(
  done: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 120_000, everyMs = 25 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}`);
    await sleep(everyMs);
  }
}
