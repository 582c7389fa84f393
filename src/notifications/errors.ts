// Why a notification could not be sent, as a kind of the one failure table (src/contracts/failures.ts).

import type { FailureKind } from '../contracts/failures';

export type NotificationFailureKind = Extract<
  FailureKind,
  'notificationNotConfigured' | 'notificationRefused' | 'notificationUnavailable'
>;

export class NotificationError extends Error {
  override readonly name = 'NotificationError';

  constructor(
    readonly kind: NotificationFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/** The kind of a receiver's answer that is not a success: 408, 429 and 5xx pass (retried), any other refuses. */
export function notificationFailureOf(status: number): NotificationFailureKind {
  return status === 408 || status === 429 || status >= 500 ? 'notificationUnavailable' : 'notificationRefused';
}
