/**
 * Issue 15, item 4 (its second half): a client that never reads its answers must not hold up the drain. Once the
 * kernel cannot flush the answers the mock wrote, the connection stays active for Node's server; the drain cuts
 * it and counts it instead of waiting for the deadline.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { type MockHandle, startMock } from '../src/mock/server.ts';
import { EVENT_PATH } from '../src/schema/catalog.ts';
import { DEMO, postEvents } from './mock-helpers.ts';

const BODY = JSON.stringify({ events: [{ evtid: '4451' }] });
const REQUEST =
  `POST ${EVENT_PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\nkey: ${DEMO.key}\r\n` +
  `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(BODY)}\r\n\r\n${BODY}`;
/** Requests written per turn. */
const BATCH = REQUEST.repeat(500);
/** What the client keeps queued in its own buffer, so the server always has requests to read. */
const QUEUED_BYTES = 1024 * 1024;
/** A bound on what the client sends, far above the socket buffers of loopback. */
const MAX_BYTES = 256 * 1024 * 1024;
/** Polls without a new answer that show the server has stopped (one turn of the event loop between each). */
const STILL_POLLS = 5;

/** Envelope entries the mock has answered, over every code. */
function answered(mock: MockHandle): number {
  return Object.values(mock.counters().byCode).reduce((sum, n) => sum + n, 0);
}

/**
 * Pipeline event requests on one connection, never reading, until the mock stops answering while the client
 * still has requests to send: the answers fill the socket buffers, so Node stops reading the connection.
 */
async function pipelineWithoutReading(mock: MockHandle): Promise<net.Socket> {
  const socket = net.connect(Number(new URL(mock.url).port), '127.0.0.1');
  socket.on('error', () => {});
  socket.pause();
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let sent = 0;
  let last = -1;
  let still = 0;
  while (sent < MAX_BYTES) {
    while (socket.writableLength < QUEUED_BYTES) {
      socket.write(BATCH);
      sent += BATCH.length;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = answered(mock);
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= STILL_POLLS) return socket;
  }
  throw new Error(`the mock still read this client after ${sent} bytes`);
}

describe('item 4: the drain after clients that never read', () => {
  it('cuts a connection whose answers cannot be flushed, counts it, and loses nothing accepted', async () => {
    const mock = await startMock();
    const stuck = await pipelineWithoutReading(mock);
    // A well-behaved keep-alive client beside it: idle at close, closed as usual, not counted as cut.
    expect((await postEvents(mock.url, { events: [{ evtid: '4451' }] })).status).toBe(200);
    // The old code waited this whole deadline (the test's 60 s timeout bounds it), then reported no cut.
    const report = await mock.close({ drainDeadlineMs: 30_000 });
    expect(report.connectionsCut).toBe(1);
    expect(report.interrupted).toBe(false);
    expect(report.remaining).toBe(0);
    expect(report.left).toEqual({ queued: 0, inFlight: 0, waiting: 0, retrying: 0 });
    const counters = mock.counters();
    expect(counters.queue.accepted).toBeGreaterThan(0);
    expect(report.processed).toBe(counters.queue.accepted);
    stuck.destroy();
  });
});
