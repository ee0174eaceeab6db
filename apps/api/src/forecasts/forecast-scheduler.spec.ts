import { describe, expect, it } from '@jest/globals';
import { ManualClock } from '../../../../tests/support/clock.js';
import { ForecastScheduler, type ForecastRequest, type Timers } from './forecast-scheduler.js';

const START = '2026-06-10T12:00:00.000Z';
const INTERVAL_MS = 60_000;

/** Timers that fire only when the test moves time forward (with the clock). */
class ManualTimers implements Timers {
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  private next = 0;

  constructor(private readonly clock: ManualClock) {}

  set(callback: () => void, ms: number): unknown {
    this.next += 1;
    this.due.set(this.next, { at: this.clock.now().getTime() + ms, callback });
    return this.next;
  }

  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }

  get pending(): number {
    return this.due.size;
  }

  /** Moves the clock by `ms` and fires the timers due by then, in order. */
  advance(ms: number): void {
    const to = this.clock.now().getTime() + ms;
    this.clock.set(new Date(to).toISOString());
    for (const [handle, timer] of [...this.due].sort(([, a], [, b]) => a.at - b.at)) {
      if (timer.at > to) continue;
      this.due.delete(handle);
      timer.callback();
    }
  }
}

/** A computation the test finishes by hand. */
interface Run {
  readonly contestId: string;
  readonly request: ForecastRequest;
  finish(): Promise<void>;
  fail(error: Error): Promise<void>;
}

function setup() {
  const clock = new ManualClock(new Date(START));
  const timers = new ManualTimers(clock);
  const runs: Run[] = [];
  const errors: unknown[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sut = new ForecastScheduler({
    intervalMs: INTERVAL_MS,
    clock,
    timers,
    onError: (_contestId, error) => errors.push(error),
    run: (contestId, request) =>
      new Promise<void>((resolve, reject) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const settle = async (error?: Error) => {
          inFlight -= 1;
          if (error) reject(error);
          else resolve();
          // Lets the scheduler's continuation run before the test looks.
          await new Promise((tick) => setImmediate(tick));
        };
        runs.push({ contestId, request, finish: () => settle(), fail: (error) => settle(error) });
      }),
  });
  return { sut, clock, timers, runs, errors, maxInFlight: () => maxInFlight };
}

describe(ForecastScheduler.name, () => {
  it('computes at launch at once, and the first events after the interval at once', async () => {
    const { sut, timers, runs } = setup();
    sut.trigger('c1', { kind: 'launch' });
    expect(runs).toHaveLength(1);
    expect(runs[0]?.request).toMatchObject({ forced: true, checkpoint: null });
    await runs[0]?.finish();

    timers.advance(INTERVAL_MS);
    sut.trigger('c1', { kind: 'events', seq: 1 });
    expect(runs).toHaveLength(2);
    expect(runs[1]?.request.forced).toBe(false);
  });

  it('holds events within the interval back until it ends, coalesced into one computation', async () => {
    const { sut, timers, runs } = setup();
    sut.trigger('c1', { kind: 'events', seq: 1 });
    expect(runs).toHaveLength(1);
    await runs[0]?.finish();

    timers.advance(10_000);
    for (let n = 2; n <= 51; n += 1) sut.trigger('c1', { kind: 'events', seq: n });
    expect(runs).toHaveLength(1);
    expect(timers.pending).toBe(1);

    timers.advance(49_999);
    expect(runs).toHaveLength(1);
    timers.advance(1);
    expect(runs).toHaveLength(2);
    // For every event that waited: up to the last seq, as of when the first came.
    expect(runs[1]?.request).toEqual({
      forced: false,
      checkpoint: null,
      seq: 51,
      requestedAt: new Date(Date.parse(START) + 10_000),
    });
    expect(sut.busy('c1')).toBe(true);
    await runs[1]?.finish();
    expect(sut.busy('c1')).toBe(false);
  });

  it('runs one computation per contest at a time, with at most one waiting behind it', async () => {
    const { sut, timers, runs, maxInFlight } = setup();
    sut.trigger('c1', { kind: 'launch' });
    // While it runs: the interval passes, events and a checkpoint come, again and again.
    timers.advance(INTERVAL_MS * 3);
    for (let n = 1; n <= 20; n += 1) sut.trigger('c1', { kind: 'events', seq: n });
    sut.trigger('c1', { kind: 'checkpoint', number: 1 });
    sut.trigger('c1', { kind: 'events', seq: 21 });
    sut.trigger('c1', { kind: 'checkpoint', number: 2 });
    expect(runs).toHaveLength(1);

    await runs[0]?.finish();
    // The one waiting serves them all: forced (a checkpoint came), for the later checkpoint.
    expect(runs).toHaveLength(2);
    expect(runs[1]?.request).toMatchObject({ forced: true, checkpoint: 2, seq: 21 });
    await runs[1]?.finish();
    expect(runs).toHaveLength(2);
    expect(maxInFlight()).toBe(1);
  });

  it('keeps contests apart: one contest waiting does not hold another back', async () => {
    const { sut, runs } = setup();
    sut.trigger('c1', { kind: 'launch' });
    sut.trigger('c2', { kind: 'launch' });
    expect(runs.map((run) => run.contestId)).toEqual(['c1', 'c2']);
    await runs[1]?.finish();
    await runs[0]?.finish();
  });

  it('a checkpoint does not wait for the interval, and takes the events waiting for it along', async () => {
    const { sut, timers, runs } = setup();
    sut.trigger('c1', { kind: 'events', seq: 1 });
    await runs[0]?.finish();
    timers.advance(5_000);
    sut.trigger('c1', { kind: 'events', seq: 1 });
    expect(timers.pending).toBe(1);
    sut.trigger('c1', { kind: 'checkpoint', number: 3 });
    expect(runs).toHaveLength(2);
    expect(runs[1]?.request).toMatchObject({ forced: true, checkpoint: 3 });
    expect(timers.pending).toBe(0);
    await runs[1]?.finish();
    timers.advance(INTERVAL_MS);
    expect(runs).toHaveLength(2);
  });

  it('events waiting behind a computation wait for the interval from its start', async () => {
    const { sut, timers, runs } = setup();
    sut.trigger('c1', { kind: 'launch' });
    timers.advance(20_000);
    sut.trigger('c1', { kind: 'events', seq: 1 });
    await runs[0]?.finish();
    expect(runs).toHaveLength(1);
    timers.advance(40_000);
    expect(runs).toHaveLength(2);
    expect(runs[1]?.request.forced).toBe(false);
    await runs[1]?.finish();
  });

  it('tells a failed computation and goes on computing at the next trigger', async () => {
    const { sut, timers, runs, errors } = setup();
    sut.trigger('c1', { kind: 'launch' });
    await runs[0]?.fail(new Error('PostgreSQL went away'));
    expect(errors).toEqual([new Error('PostgreSQL went away')]);
    timers.advance(INTERVAL_MS);
    sut.trigger('c1', { kind: 'events', seq: 1 });
    expect(runs).toHaveLength(2);
    await runs[1]?.finish();
  });

  it('settles a waiter once nothing of the contest is in flight or waiting', async () => {
    const { sut, timers, runs } = setup();
    sut.trigger('c1', { kind: 'launch' });
    sut.trigger('c1', { kind: 'checkpoint', number: 1 });
    let settled = false;
    const waiting = sut.settled('c1').then(() => (settled = true));
    await runs[0]?.finish();
    expect(settled).toBe(false);
    await runs[1]?.finish();
    await waiting;
    expect(settled).toBe(true);
    timers.advance(INTERVAL_MS);
    await expect(sut.settled('c1')).resolves.toBeUndefined();
  });

  it('starts nothing once stopped', async () => {
    const { sut, timers, runs } = setup();
    sut.trigger('c1', { kind: 'events', seq: 1 });
    await runs[0]?.finish();
    timers.advance(1_000);
    sut.trigger('c1', { kind: 'events', seq: 1 });
    sut.stop();
    timers.advance(INTERVAL_MS);
    sut.trigger('c1', { kind: 'launch' });
    expect(runs).toHaveLength(1);
    expect(timers.pending).toBe(0);
  });
});
