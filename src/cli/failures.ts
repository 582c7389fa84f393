// Turns a failed workflow into one sentence a user can act on: the innermost cause's message.

import { WorkflowFailedError } from '@temporalio/client';

export function failureMessage(error: WorkflowFailedError): string {
  let cause: Error | undefined = error.cause;
  while (cause?.cause instanceof Error) cause = cause.cause;
  return cause?.message ?? error.message;
}
