/**
 * The notification the mock POSTs per processed event. The reference documents no payload for events
 * (guess): this shape is modelled on the documented delivery receipt of messages,
 * `{"deliveryInfoNotification": {"deliveryInfo": {...}, "transid", "correlationid", "callbackData"}}`.
 * See docs/mock.md, "Notifications".
 */
import { z } from 'zod';
import type { AcceptedEvent } from '../evaluate/index.ts';
import { FIELD, RESPONSE_FIELD } from '../schema/index.ts';

/** Field names of the notification that exist only here (guess); the shared ones come from the catalog. */
export const NOTIFICATION_FIELD = {
  root: 'eventNotification',
  info: 'eventInfo',
  status: 'status',
  mode: 'mode',
  serviceId: 'serviceId',
  acceptedAt: 'acceptedAt',
  processedAt: 'processedAt',
} as const;

/** The status a processed event reports. */
export const PROCESSED_STATUS = 'processed';

/** The header that carries the attempt number (1 = first delivery); the mock's own, for receivers' logs. */
export const ATTEMPT_HEADER = 'x-evkit-attempt';

/** The notification body (guess, see the module comment). */
export const eventNotificationSchema = z.strictObject({
  [NOTIFICATION_FIELD.root]: z.strictObject({
    [NOTIFICATION_FIELD.info]: z.strictObject({
      [FIELD.evtid]: z.string(),
      [NOTIFICATION_FIELD.status]: z.literal(PROCESSED_STATUS),
      [NOTIFICATION_FIELD.mode]: z.enum(['queued', 'burst']),
      [NOTIFICATION_FIELD.serviceId]: z.string(),
      [NOTIFICATION_FIELD.acceptedAt]: z.iso.datetime(),
      [NOTIFICATION_FIELD.processedAt]: z.iso.datetime(),
      [FIELD.parameters]: z.record(z.string(), z.unknown()),
    }),
    [RESPONSE_FIELD.transid]: z.string(),
    [RESPONSE_FIELD.correlationid]: z.string(),
  }),
});
export type EventNotification = z.infer<typeof eventNotificationSchema>;

/** Build the notification of one processed event. */
export function buildNotification(
  event: AcceptedEvent,
  serviceId: string,
  acceptedAtMs: number,
  processedAtMs: number,
): EventNotification {
  return {
    [NOTIFICATION_FIELD.root]: {
      [NOTIFICATION_FIELD.info]: {
        [FIELD.evtid]: event.evtid,
        [NOTIFICATION_FIELD.status]: PROCESSED_STATUS,
        [NOTIFICATION_FIELD.mode]: event.burst ? 'burst' : 'queued',
        [NOTIFICATION_FIELD.serviceId]: serviceId,
        [NOTIFICATION_FIELD.acceptedAt]: new Date(acceptedAtMs).toISOString(),
        [NOTIFICATION_FIELD.processedAt]: new Date(processedAtMs).toISOString(),
        [FIELD.parameters]: { ...event.parameters },
      },
      [RESPONSE_FIELD.transid]: event.transid,
      [RESPONSE_FIELD.correlationid]: event.correlationid,
    },
  };
}
