import type {
  LiveCheckpoint,
  LiveClientEvents,
  LiveContestState,
  LiveDeal,
  LiveFocus,
  LiveServerEvents,
  LiveSnapshot,
  LiveView,
} from '@podium/contest-model';
import { io, type Socket } from 'socket.io-client';

export type LiveSocket = Socket<LiveServerEvents, LiveClientEvents>;

export interface LiveHandlers {
  /** The current view of the contest: a snapshot, or an update that replaced it. */
  view?: (view: LiveSnapshot) => void;
  deal?: (deal: LiveDeal) => void;
  checkpoint?: (checkpoint: LiveCheckpoint) => void;
  contest?: (state: LiveContestState) => void;
  /** Connected and in sync (true), or cut off since the given time (false). */
  connection?: (connected: boolean, since: Date) => void;
  error?: (message: string) => void;
}

export interface LiveSubscription {
  readonly socket: LiveSocket;
  /** Asks for a fresh snapshot now. */
  resync(): Promise<void>;
  close(): void;
}

/**
 * A typed `/live` client for one contest. It subscribes on every (re)connection and keeps the
 * view consistent: an update older than what it has is ignored; an update whose `fromSeq` is
 * ahead of what it has means it missed one, so it asks for a snapshot (the update is still
 * applied: views are whole, not diffs).
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
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
  let current: LiveSnapshot | null = null;
  let closed = false;

  const resync = async (): Promise<void> => {
    const ack = await socket.timeout(10_000).emitWithAck('subscribe', {
      contestId,
      ...(participantId ? { participantId } : {}),
    });
    if (!ack.ok) {
      handlers.error?.(ack.error);
      return;
    }
    if (current === null || ack.snapshot.seq >= current.seq) {
      const snapshot = ack.snapshot;
      current = snapshot;
      handlers.view?.(snapshot);
    }
  };

  socket.on('connect', () => {
    handlers.connection?.(true, new Date());
    resync().catch((error: unknown) => handlers.error?.(String(error)));
  });
  socket.on('disconnect', () => handlers.connection?.(false, new Date()));
  socket.on('connect_error', (error) => {
    handlers.connection?.(false, new Date());
    if (error.message.startsWith('unauthorized')) handlers.error?.(error.message);
  });
  socket.on('standings', (update: LiveView) => {
    if (update.contestId !== contestId) return;
    if (current !== null && update.seq < current.seq) return;
    const missed = current !== null && update.fromSeq !== undefined && update.fromSeq > current.seq;
    const next: LiveSnapshot = { ...update, focus: current?.focus ?? null };
    current = next;
    handlers.view?.(next);
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

  return {
    socket,
    resync,
    close: () => {
      if (closed) return;
      closed = true;
      socket.disconnect();
    },
  };
}
