// The one JSON message a sync's notification POSTs: Slack's incoming-webhook shape (`text` and Block Kit
// `blocks`, within Slack's documented limits: a section's text at most 3000 characters, a header's 150, at most
// 50 blocks, `&`, `<` and `>` escaped) and, beside it, `event` for any other receiver. It carries the sync's
// name, status, totals, the first reasons (keys and reasons, as the report has them), the report path and the
// Temporal Web link: no row value beyond those, and no secret. Pure.

import type { ReportEntry, Totals } from '../contracts/sync-types';

export type NotificationKind = 'sync-failed' | 'rows-failed' | 'rejected-over-threshold' | 'schedule-missed';

export interface NotificationEvent {
  /** One per sync run and kind: receivers drop a repeat (also sent as the Idempotency-Key header). */
  id: string;
  kind: NotificationKind;
  sync: string;
  /** `failed` (the run stopped), `completed` (with rows that need a person), or `missed` (no run ended). */
  status: 'failed' | 'completed' | 'missed';
  /** schedule-missed: when a run last ended (or the schedule was made), and the time allowed. */
  quietSince?: string;
  missedRunAfter?: string;
  /** Why the run stopped (sync-failed). */
  error?: string;
  totals?: Totals;
  /** The threshold a rejected-over-threshold event went over. */
  rejectedRowsOver?: number;
  /** The first rows that need a person: key, row number, status and reason. */
  reasons: Pick<ReportEntry, 'key' | 'rowNumber' | 'status' | 'reason'>[];
  reportPath?: string;
  workflowId: string;
  runId: string;
  /** Filled in by the sender, which knows where Temporal Web is. */
  webUrl?: string;
  at: string;
}

/** Rows a message names; the report holds every one. */
export const REASONS_IN_MESSAGE = 5;

const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;

function escapeForSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function headline(event: NotificationEvent): string {
  switch (event.kind) {
    case 'sync-failed':
      return `Sync "${event.sync}" failed`;
    case 'rows-failed':
      return `Sync "${event.sync}" finished with ${event.totals?.failed ?? 0} failed rows`;
    case 'rejected-over-threshold':
      return `Sync "${event.sync}" rejected ${event.totals?.rejected ?? 0} rows (more than ${event.rejectedRowsOver ?? 0})`;
    case 'schedule-missed':
      return `Scheduled sync "${event.sync}" has not ended a run for more than ${event.missedRunAfter ?? ''}`;
  }
}

function totalsLine(totals: Totals): string {
  return `${totals.read} read · ${totals.created} created · ${totals.updated} updated · ${totals.unchanged} unchanged · ${totals.partial ?? 0} partial · ${totals.rejected} rejected · ${totals.failed} failed`;
}

/** The body to POST. */
export function notificationMessage(event: NotificationEvent): Record<string, unknown> {
  const title = headline(event);
  const lines: string[] = [];
  if (event.error) lines.push(`*Error:* ${escapeForSlack(event.error)}`);
  if (event.quietSince)
    lines.push(
      `*Last run ended:* ${event.quietSince} (runs missed, skipped behind a run still going, or the schedule paused)`,
    );
  if (event.totals) lines.push(`*Totals:* ${totalsLine(event.totals)}`);
  const reasons = event.reasons
    .slice(0, REASONS_IN_MESSAGE)
    .map(
      (entry) =>
        `• ${entry.status} \`${escapeForSlack(entry.key)}\` (row ${entry.rowNumber}): ${escapeForSlack(entry.reason)}`,
    );
  const links = [
    event.webUrl ? `<${event.webUrl}|Open in Temporal Web>` : undefined,
    event.reportPath ? `Report: \`${escapeForSlack(event.reportPath)}\`` : undefined,
  ].filter((link): link is string => link !== undefined);
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, HEADER_LIMIT) } },
  ];
  if (lines.length > 0)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), SECTION_LIMIT) } });
  if (reasons.length > 0)
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*First rows:*\n${reasons.join('\n')}`, SECTION_LIMIT) },
    });
  if (links.length > 0)
    blocks.push({
      type: 'context',
      elements: links.map((text) => ({ type: 'mrkdwn', text: clip(text, SECTION_LIMIT) })),
    });
  return { text: `chartmogul-sync: ${title}`, blocks, event };
}

/** The notification activity's input: the event, and where it goes. */
export interface SendNotificationInput {
  /** `env:NAME`: the variable on the worker that holds the webhook URL. */
  url: string;
  event: NotificationEvent;
}
