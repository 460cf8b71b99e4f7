/**
 * Asynchronous processing and notifications: exactly once per accepted event to a local receiver, retries,
 * the signature, loopback-only delivery, the bounded queue, and the drain on close.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ATTEMPT_HEADER, eventNotificationSchema } from '../src/mock/notification.ts';
import { hubSignature } from '../src/mock/notifier.ts';
import { startMock } from '../src/mock/server.ts';
import { CATALOG } from '../src/schema/catalog.ts';
import {
  control,
  type Delivery,
  eventually,
  keepAliveAgent,
  pool,
  postEvents,
  startReceiver,
  tenantFile,
} from './mock-helpers.ts';

const SECRET = 'notify-secret';
type EntryJson = { code: string; transid: string; correlationid?: string };

function acceptedTransids(json: unknown): string[] {
  const r = (json as { response: EntryJson | EntryJson[] }).response;
  return Array.isArray(r) ? r.filter((e) => e.code === '1002').map((e) => e.transid) : [];
}

const transidOf = (d: Delivery) =>
  eventNotificationSchema.parse(JSON.parse(d.body)).eventNotification.transid;

describe('notifications', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  it('one signed notification per accepted event: to the request notifyurl, else the service notifyUrl', async () => {
    const requestReceiver = await startReceiver();
    const serviceReceiver = await startReceiver();
    cleanup.push(requestReceiver.close, serviceReceiver.close);
    const mock = await startMock({
      tenantFile: tenantFile(
        { rateLimit: { tps: 1000 }, notify: { retryDelayMs: 20 } },
        { notifyUrl: serviceReceiver.url, notifySecret: SECRET },
      ),
    });
    cleanup.push(() => mock.close());
    const agent = keepAliveAgent();
    cleanup.push(async () => agent.destroy());

    const toRequest: string[] = [];
    const toService: string[] = [];
    await pool(
      Array.from({ length: 120 }, (_, i) => i),
      10,
      async (i) => {
        const events = [
          { evtid: '4451', correlationid: `r${i}`, parameters: { n: i } },
          { evtid: '9999', correlationid: `bad${i}` },
          ...(i % 3 === 0 ? [{ evtid: '4452', correlationid: `s${i}` }] : []),
        ];
        const viaRequest = i % 2 === 0;
        const body = viaRequest ? { notifyurl: requestReceiver.url, events } : { notifyurl: '', events };
        const answer = await postEvents(mock.url, body, { key: 'evkit-demo-key' }, { agent });
        (viaRequest ? toRequest : toService).push(...acceptedTransids(answer.json));
      },
    );
    const total = toRequest.length + toService.length;
    expect(total).toBe(160);
    expect(await eventually(() => mock.counters().notifications.delivered === total)).toBe(true);
    // Nothing more arrives later.
    await new Promise((r) => setTimeout(r, 100));

    expect(requestReceiver.deliveries.map(transidOf).sort()).toEqual([...toRequest].sort());
    expect(serviceReceiver.deliveries.map(transidOf).sort()).toEqual([...toService].sort());
    for (const d of [...requestReceiver.deliveries, ...serviceReceiver.deliveries]) {
      expect(d.headers['content-type']).toBe('application/json');
      expect(d.headers['x-hub-signature']).toBe(hubSignature(SECRET, d.body));
      expect(d.headers[ATTEMPT_HEADER]).toBe('1');
      const n = eventNotificationSchema.parse(JSON.parse(d.body)).eventNotification;
      expect(n.eventInfo.status).toBe('processed');
      expect(n.eventInfo.serviceId).toBe('svc-demo');
      expect(n.correlationid).toMatch(/^[rs]\d+$/);
    }
    expect(mock.counters().notifications).toEqual({
      queued: total,
      delivered: total,
      failed: 0,
      dropped: 0,
      rejectedBacklog: 0,
      pending: 0,
    });
    expect(mock.counters().queue).toMatchObject({ accepted: total, processed: total, pending: 0 });
  });

  it('retries a failed delivery after the configured delay; still one success per event', async () => {
    const attempts = new Map<string, number>();
    const receiver = await startReceiver((d) => {
      const id = transidOf({ ...d, status: 0 });
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      return n < 3 ? 500 : 200;
    });
    cleanup.push(receiver.close);
    const mock = await startMock({ tenantFile: tenantFile({ notify: { retryDelayMs: 10 } }) });
    cleanup.push(() => mock.close());
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push(
        ...acceptedTransids(
          (await postEvents(mock.url, { notifyurl: receiver.url, events: [{ evtid: '4451' }] })).json,
        ),
      );
    }
    expect(await eventually(() => mock.counters().notifications.delivered === 10)).toBe(true);
    const ok = receiver.deliveries.filter((d) => d.status === 200);
    expect(ok.map(transidOf).sort()).toEqual([...ids].sort());
    expect(ok.every((d) => d.headers[ATTEMPT_HEADER] === '3')).toBe(true);
    expect(receiver.deliveries).toHaveLength(30);
    // Unsigned without a notifySecret.
    expect(receiver.deliveries.every((d) => d.headers['x-hub-signature'] === undefined)).toBe(true);
  });

  it('gives up after 1 + retries attempts and counts a failure', async () => {
    const receiver = await startReceiver(() => 503);
    cleanup.push(receiver.close);
    const mock = await startMock({ tenantFile: tenantFile({ notify: { retries: 3, retryDelayMs: 5 } }) });
    cleanup.push(() => mock.close());
    await postEvents(mock.url, { notifyurl: receiver.url, events: [{ evtid: '4451' }, { evtid: '4452' }] });
    expect(await eventually(() => mock.counters().notifications.failed === 2)).toBe(true);
    expect(receiver.deliveries).toHaveLength(8);
    expect(mock.counters().notifications).toEqual({
      queued: 2,
      delivered: 0,
      failed: 2,
      dropped: 0,
      rejectedBacklog: 0,
      pending: 0,
    });
  });

  it('delivers only to loopback unless the tenant file allows the host', async () => {
    const lines: Record<string, unknown>[] = [];
    const mock = await startMock({ log: (l) => lines.push(l) });
    cleanup.push(() => mock.close());
    await postEvents(mock.url, { notifyurl: 'http://192.0.2.10:9/notify', events: [{ evtid: '4451' }] });
    expect(await eventually(() => mock.counters().notifications.failed === 1)).toBe(true);
    expect(lines.some((l) => String(l.reason).includes('not loopback and not in notify.allowHosts'))).toBe(
      true,
    );
  });
});

describe('bounded queue', () => {
  it('answers 7005 while the tenant’s queue is full (before the limiter), counts it, and accepts once there is room', async () => {
    // 1 TPS: the queue processes one event per second, so three queued events fill a queue of 3 for a while.
    const mock = await startMock({
      tenantFile: tenantFile({ rateLimit: { tps: 1, burst: false }, queueCapacity: 3 }),
    });
    try {
      const three = { events: [{ evtid: '4451' }, { evtid: '4451' }, { evtid: '4451' }] };
      expect(acceptedTransids((await postEvents(mock.url, three)).json)).toHaveLength(3);
      const full = await postEvents(mock.url, { events: [{ evtid: '4451', correlationid: 'x' }] });
      expect((full.json as { response: EntryJson }).response).toEqual({
        code: '7005',
        description: CATALOG['7005'].descriptions[0],
        transid: expect.any(String),
      });
      const counters = mock.counters();
      expect(counters.queue).toMatchObject({ rejectedFull: 1, pending: 3 });
      expect(counters.byCode['7005']).toBe(1);
      // The limiter was not asked for the rejected request: its window holds only the first one.
      expect(counters.windows.map((w) => [w.queued, w.rejected])).toEqual([[1, 0]]);
      await control(mock.url, '/reset');
      expect(acceptedTransids((await postEvents(mock.url, three)).json)).toHaveLength(3);
    } finally {
      await mock.close({ drainDeadlineMs: 1000 });
    }
  });
});

describe('drain on close', () => {
  it('processes every queued event and delivers its notification exactly once before resolving', async () => {
    const receiver = await startReceiver();
    // 5 TPS: most of the 40 events are still queued when close() starts.
    const mock = await startMock({
      tenantFile: tenantFile(
        { rateLimit: { tps: 5, burst: false, countBy: 'requests' } },
        { notifyUrl: receiver.url },
      ),
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const events = Array.from({ length: 10 }, (_, j) => ({ evtid: '4451', correlationid: `${i}-${j}` }));
        ids.push(...acceptedTransids((await postEvents(mock.url, { events })).json));
      }
      expect(ids).toHaveLength(40);
      expect(mock.counters().queue.pending).toBeGreaterThan(0);
      const report = await mock.close({ drainDeadlineMs: 10_000 });
      expect(report).toEqual({
        processed: 40,
        delivered: 40,
        remaining: 0,
        failed: 0,
        dropped: 0,
        left: { queued: 0, inFlight: 0, waiting: 0, retrying: 0 },
        connectionsCut: 0,
        interrupted: false,
      });
      expect(receiver.deliveries.map(transidOf).sort()).toEqual([...ids].sort());
      // The server no longer listens.
      await expect(postEvents(mock.url, { events: [{ evtid: '4451' }] })).rejects.toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('stops at the deadline and reports what remains', async () => {
    const receiver = await startReceiver(() => 'hang');
    const mock = await startMock({
      tenantFile: tenantFile({ rateLimit: { tps: 1 } }, { notifyUrl: receiver.url }),
    });
    try {
      await postEvents(mock.url, { events: [{ evtid: '4451' }, { evtid: '4452' }, { evtid: '4451' }] });
      const started = Date.now();
      const report = await mock.close({ drainDeadlineMs: 300 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(report).toMatchObject({ processed: 3, delivered: 0, remaining: 3, failed: 0, dropped: 0 });
      expect(report.interrupted).toBe(false);
    } finally {
      await receiver.close();
    }
  });
});
