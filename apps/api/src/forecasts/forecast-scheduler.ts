import type { Clock } from '../common/clock.js';

/** Why a contest's forecast is asked for. */
export type ForecastTrigger =
  /** The contest started counting (launched, or its scheduled start came). */
  | { readonly kind: 'launch' }
  /** A checkpoint was published: the forecast of that moment is kept with its number. */
  | { readonly kind: 'checkpoint'; readonly number: number }
  /** Events were counted, up to `seq`: at most one forecast per interval follows. */
  | { readonly kind: 'events'; readonly seq: number };

/** One computation asked of {@link ForecastScheduler}'s `run`. */
export interface ForecastRequest {
  /** Launch or checkpoint: computed as soon as the contest's previous computation ends. */
  readonly forced: boolean;
  /** The published checkpoint the forecast is for, else null. */
  readonly checkpoint: number | null;
  /** The highest contest seq of the events it is for; null when no events asked for it. */
  readonly seq: number | null;
  /** When the earliest trigger it serves came. */
  readonly requestedAt: Date;
}

/** Timers as a dependency, so the specs can move time by hand. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const systemTimers: Timers = {
  set: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface ContestSchedule {
  /** A computation of this contest is in flight (or waiting for the process's pool). */
  running: boolean;
  /** The one computation to run once the one in flight ends (triggers meanwhile coalesce). */
  pending: ForecastRequest | null;
  /** Events came within the interval: the computation they ask for waits for it here. */
  timer: unknown;
  timerRequest: ForecastRequest | null;
  /** When the last computation started (clock ms), null before the first. */
  lastStartedAt: number | null;
  /** Settled when no computation of the contest is in flight or pending any more. */
  idle: { promise: Promise<void>; resolve: () => void } | null;
}

/**
 * When each contest's forecast is computed (DESIGN §3.7): at launch and at a published checkpoint
 * as soon as the contest's previous computation ends, and while events arrive at most once per
 * `intervalMs` (the first at once when the last started longer ago). Per contest at most one
 * computation is in flight and at most one waits: triggers meanwhile coalesce into that one, so
 * computations never queue up behind themselves. `run` is never called twice at once for one
 * contest; its failures go to `onError` and do not stop later triggers.
 */
export class ForecastScheduler {
  private readonly contests = new Map<string, ContestSchedule>();
  private stopped = false;

  constructor(
    private readonly options: {
      readonly intervalMs: number;
      readonly clock: Clock;
      readonly run: (contestId: string, request: ForecastRequest) => Promise<void>;
      readonly onError: (contestId: string, error: unknown) => void;
      readonly timers?: Timers;
    },
  ) {}

  private get timers(): Timers {
    return this.options.timers ?? systemTimers;
  }

  trigger(contestId: string, trigger: ForecastTrigger): void {
    if (this.stopped) return;
    const schedule = this.scheduleOf(contestId);
    const now = this.options.clock.now();
    if (trigger.kind !== 'events') {
      const request: ForecastRequest = {
        forced: true,
        checkpoint: trigger.kind === 'checkpoint' ? trigger.number : null,
        seq: null,
        requestedAt: now,
      };
      // A forced computation serves the events that waited for the interval too.
      const waiting = schedule.timerRequest;
      this.clearTimer(schedule);
      this.ask(contestId, schedule, waiting ? merge(waiting, request) : request);
      return;
    }
    const request: ForecastRequest = {
      forced: false,
      checkpoint: null,
      seq: trigger.seq,
      requestedAt: now,
    };
    if (schedule.timerRequest !== null) {
      // Already waiting for the interval: the computation then serves these events too.
      schedule.timerRequest = merge(schedule.timerRequest, request);
      return;
    }
    if (schedule.running) {
      schedule.pending = schedule.pending ? merge(schedule.pending, request) : request;
      return;
    }
    this.afterInterval(contestId, schedule, request);
  }

  /**
   * Settles once the contest has no computation in flight or waiting (one the interval holds
   * back included): what a caller that asked for one awaits.
   */
  settled(contestId: string): Promise<void> {
    const schedule = this.contests.get(contestId);
    if (!schedule) return Promise.resolve();
    return this.idleOf(schedule).promise;
  }

  /** Whether the contest has a computation in flight, waiting, or held back by the interval. */
  busy(contestId: string): boolean {
    const schedule = this.contests.get(contestId);
    return (
      schedule !== undefined &&
      (schedule.running || schedule.pending !== null || schedule.timerRequest !== null)
    );
  }

  /** No computation starts from now on; waiting timers are cleared. */
  stop(): void {
    this.stopped = true;
    for (const [contestId, schedule] of this.contests) {
      this.clearTimer(schedule);
      schedule.pending = null;
      if (!schedule.running) this.finish(contestId, schedule);
    }
  }

  private scheduleOf(contestId: string): ContestSchedule {
    let schedule = this.contests.get(contestId);
    if (!schedule) {
      schedule = {
        running: false,
        pending: null,
        timer: null,
        timerRequest: null,
        lastStartedAt: null,
        idle: null,
      };
      this.contests.set(contestId, schedule);
    }
    return schedule;
  }

  /** Runs at once when the interval since the last start has passed, else when it will have. */
  private afterInterval(contestId: string, schedule: ContestSchedule, request: ForecastRequest) {
    const now = this.options.clock.now().getTime();
    const due =
      schedule.lastStartedAt === null ? now : schedule.lastStartedAt + this.options.intervalMs;
    if (due <= now) {
      this.start(contestId, schedule, request);
      return;
    }
    schedule.timerRequest = request;
    schedule.timer = this.timers.set(() => {
      const waiting = schedule.timerRequest;
      schedule.timer = null;
      schedule.timerRequest = null;
      if (waiting && !this.stopped) this.ask(contestId, schedule, waiting);
    }, due - now);
  }

  private ask(contestId: string, schedule: ContestSchedule, request: ForecastRequest): void {
    if (schedule.running) {
      schedule.pending = schedule.pending ? merge(schedule.pending, request) : request;
      return;
    }
    this.start(contestId, schedule, request);
  }

  private start(contestId: string, schedule: ContestSchedule, request: ForecastRequest): void {
    schedule.running = true;
    schedule.lastStartedAt = this.options.clock.now().getTime();
    let run: Promise<void>;
    try {
      run = this.options.run(contestId, request);
    } catch (error) {
      run = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    void run
      .catch((error: unknown) => this.options.onError(contestId, error))
      .finally(() => {
        schedule.running = false;
        const next = schedule.pending;
        schedule.pending = null;
        if (next && !this.stopped) {
          if (next.forced) this.start(contestId, schedule, next);
          else this.afterInterval(contestId, schedule, next);
        }
        if (!schedule.running && schedule.timerRequest === null) this.finish(contestId, schedule);
      });
  }

  private finish(contestId: string, schedule: ContestSchedule): void {
    // The last start is kept while the interval it opens lasts: a trigger then waits for it.
    const idle = schedule.idle;
    schedule.idle = null;
    idle?.resolve();
    const lastStartedAt = schedule.lastStartedAt;
    const now = this.options.clock.now().getTime();
    if (lastStartedAt === null || now - lastStartedAt >= this.options.intervalMs)
      this.contests.delete(contestId);
  }

  private idleOf(schedule: ContestSchedule): { promise: Promise<void>; resolve: () => void } {
    if (!schedule.running && schedule.timerRequest === null && schedule.pending === null)
      return { promise: Promise.resolve(), resolve: () => undefined };
    if (!schedule.idle) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((settle) => (resolve = settle));
      schedule.idle = { promise, resolve };
    }
    return schedule.idle;
  }

  private clearTimer(schedule: ContestSchedule): void {
    if (schedule.timer !== null) this.timers.clear(schedule.timer);
    schedule.timer = null;
    schedule.timerRequest = null;
  }
}

/**
 * Two requests served by one computation: forced when either is, for the later checkpoint and
 * the higher seq.
 */
function merge(a: ForecastRequest, b: ForecastRequest): ForecastRequest {
  return {
    forced: a.forced || b.forced,
    checkpoint: later(a.checkpoint, b.checkpoint),
    seq: later(a.seq, b.seq),
    requestedAt: a.requestedAt <= b.requestedAt ? a.requestedAt : b.requestedAt,
  };
}

function later(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}
