import type {
  LiveCheckpoint,
  LiveClientEvents,
  LiveContestState,
  LiveDeal,
  LiveFocus,
  LiveForecastView,
  LiveServerEvents,
  LiveSnapshot,
  LiveView,
} from '@podium/contest-model';
import { io, type Socket } from 'socket.io-client';
import { messageOf } from './api/errors.js';

export type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

export interface LiveHandlers {
  /** The current view of the contest: a snapshot, or an update that replaced it. */
  view?: (view: LiveSnapshot) => void;
  deal?: (deal: LiveDeal) => void;
  checkpoint?: (checkpoint: LiveCheckpoint) => void;
  contest?: (state: LiveContestState) => void;
  /** A new forecast of the contest (as this viewer may see it); the latest is `GET …/forecast`. */
  forecast?: (forecast: LiveForecastView) => void;
  /** Connected and in sync (true), or cut off since the given time (false). */
  connection?: (connected: boolean, since: Date) => void;
  error?: (message: string) => void;
  /** A display's settings or contests changed: read them again. */
  display?: () => void;
}

export interface LiveSubscription {
  readonly socket: LiveSocket;
  /** Asks for a fresh snapshot now. */
  resync(): Promise<void>;
  close(): void;
}

/** Reconnection: 0.5 s after a loss, doubling with jitter, never more than 5 s apart. */
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;

/**
 * A typed `/live` client for one contest. It subscribes on every (re)connection and keeps the
 * view consistent: an update older than what it has is ignored; an update whose `fromSeq` is
 * ahead of what it has means it missed one, so it asks for a snapshot (the update is still
 * applied: views are whole, not diffs).
 *
 * It never gives up while open: socket.io retries a lost transport by itself (backoff capped at
 * {@link RECONNECT_MAX_MS}), and this client also retries the two cases socket.io leaves to the
 * application — the server ending the connection (a restart closes every socket) and a handshake
 * the server refused for a reason other than the token (the server still starting, its database
 * away). After a reconnection the first snapshot is taken whatever its `seq`: a server restored
 * from a backup, or on a new database, counts again from where it is, and its view is the truth.
 * It gives up only on its token: a handshake refused as `unauthorized`, or the server's `revoked`
 * (the display or link revoked, signed out) — reported through `error`, never retried.
 */
export function subscribeLive(options: {
  contestId: string;
  token: string;
  participantId?: string;
  handlers: LiveHandlers;
  url?: string;
}): LiveSubscription {
  const { contestId, token, participantId, handlers } = options;
  const socket: LiveSocket = io(`${options.url ?? ''}/live`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: RECONNECT_MIN_MS,
    reconnectionDelayMax: RECONNECT_MAX_MS,
  });
  let current: LiveSnapshot | null = null;
  // The newest seq seen on this connection: a new connection starts again from nothing.
  let floor = -1;
  let closed = false;
  // The server said the token no longer works: reconnecting with it would only be refused.
  let revoked = false;
  let retries = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const accept = (view: LiveSnapshot): void => {
    current = view;
    floor = view.seq;
    handlers.view?.(view);
  };

  /** Connects again later, for the cases socket.io does not retry by itself. */
  const retry = (): void => {
    if (closed || retryTimer !== null || socket.active) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** retries);
    retries += 1;
    retryTimer = setTimeout(
      () => {
        retryTimer = null;
        if (!closed && !socket.connected) socket.connect();
      },
      delay * (0.75 + Math.random() * 0.5),
    );
  };

  // The snapshot is taken in the ack callback, not after awaiting it: socket.io hands the updates
  // sent right behind the answer to their listener in the same turn, before an awaiting function
  // resumes, and they would land before the snapshot they continue (and look like a gap).
  const resync = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const request = { contestId, ...(participantId ? { participantId } : {}) };
      socket.timeout(10_000).emit('subscribe', request, (error: Error | null, ack) => {
        if (error) reject(error);
        else if (!ack.ok) handlers.error?.(ack.error);
        else if (ack.snapshot.seq >= floor) accept(ack.snapshot);
        resolve();
      });
    });

  socket.on('connect', () => {
    retries = 0;
    floor = -1;
    handlers.connection?.(true, new Date());
    resync().catch((error: unknown) => handlers.error?.(messageOf(error)));
  });
  socket.on('disconnect', (reason) => {
    handlers.connection?.(false, new Date());
    // The server closed the connection (it is restarting): socket.io waits to be told to retry.
    if (reason === 'io server disconnect' && !revoked) retry();
  });
  socket.on('connect_error', (error) => {
    handlers.connection?.(false, new Date());
    if (error.message.startsWith('unauthorized')) {
      handlers.error?.(error.message);
      return;
    }
    // A refused handshake is not retried by socket.io; a transport failure is (socket.active).
    retry();
  });
  // The credential was revoked (the server disconnects next), or only this contest's
  // subscription ended: subscribing again answers whether it may still be followed, and how.
  socket.on('revoked', ({ reason, contestId: id }) => {
    if (id === undefined) {
      revoked = true;
      handlers.error?.(reason);
    } else if (id === contestId) {
      resync().catch((error: unknown) => handlers.error?.(messageOf(error)));
    }
  });
  socket.on('standings', (update: LiveView) => {
    if (update.contestId !== contestId) return;
    if (update.seq < floor) return;
    const missed = current !== null && update.fromSeq !== undefined && update.fromSeq > floor;
    accept({ ...update, focus: current?.focus ?? null });
    if (missed) void resync();
  });
  socket.on('focus', (focus: LiveFocus & { contestId: string; seq: number }) => {
    if (focus.contestId !== contestId || current === null) return;
    const { contestId: _c, seq: _s, ...rest } = focus;
    const next: LiveSnapshot = { ...current, focus: rest };
    current = next;
    handlers.view?.(next);
  });
  socket.on('deal', (deal) => {
    if (deal.contestId === contestId) handlers.deal?.(deal);
  });
  socket.on('checkpoint', (checkpoint) => {
    if (checkpoint.contestId === contestId) handlers.checkpoint?.(checkpoint);
  });
  socket.on('contest', ({ contestId: id, state }) => {
    if (id === contestId) handlers.contest?.(state);
  });
  socket.on('forecast', (forecast) => {
    if (forecast.contestId === contestId) handlers.forecast?.(forecast);
  });
  socket.on('display', () => handlers.display?.());

  return {
    socket,
    resync,
    close: () => {
      if (closed) return;
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      socket.disconnect();
    },
  };
}
