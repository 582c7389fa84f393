// Sends a sync's notification: one POST of one JSON message (src/notifications/message.ts) to the webhook URL
// the spec names by its environment variable, read here on the worker so the URL never enters a history.
// The event's id goes with it as the Idempotency-Key header: a retry after a worker died mid-POST repeats
// the same id, which a receiver drops. Errors never name the URL (it is a secret).

import { Context } from '@temporalio/activity';

import type { Config } from '../src/config';
import { NOTIFICATION_SEND_TIMEOUT_MS } from '../src/limits';
import { NotificationError, notificationFailureOf } from '../src/notifications/errors';
import { notificationMessage, type SendNotificationInput } from '../src/notifications/message';
import { webUiUrlOf, workflowWebUrl } from '../src/temporal/local-service';

export function notificationActivities(config: Config) {
  return {
    sendNotification: async ({ url, event }: SendNotificationInput): Promise<{ status: number }> => {
      const variable = url.slice('env:'.length);
      const target = config.environment[variable];
      if (!target)
        throw new NotificationError(
          'notificationNotConfigured',
          `the spec's notify.url is env:${variable}, but ${variable} is not set in the worker's environment: set it to the webhook URL where the workers run`,
        );
      const namespace = Context.current().info.workflowNamespace ?? 'default';
      const webUrl = workflowWebUrl(webUiUrlOf(config), namespace, event.workflowId, event.runId);
      let response: Response;
      try {
        response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': event.id },
          body: JSON.stringify(notificationMessage({ ...event, webUrl })),
          signal: AbortSignal.timeout(NOTIFICATION_SEND_TIMEOUT_MS),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        throw new NotificationError(
          'notificationUnavailable',
          `could not reach the notification receiver (${cause}); retrying`,
        );
      }
      await response.body?.cancel();
      if (response.ok) return { status: response.status };
      const kind = notificationFailureOf(response.status);
      const retryable = kind === 'notificationUnavailable';
      throw new NotificationError(
        kind,
        `the notification receiver answered ${response.status}${retryable ? '; retrying' : ' (check the webhook URL)'}`,
      );
    },
  };
}
