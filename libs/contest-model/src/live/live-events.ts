import type { ContestState } from '../lifecycle/contest-lifecycle.js';
import type { FundingResult } from '../funding/funding.js';
import type { SimulationProgress } from '../simulation/simulate.js';
import type { SimulationState } from '../simulation/simulation-state.js';
import type { StandingRow } from '../standings/standings-result.js';

/**
 * The socket.io protocol of the `/live` namespace (DESIGN §6, §10), shared by the API gateway
 * and the web client so both sides are checked against one map. Types only: nothing here runs.
 */

/** The contest lifecycle's states, as the socket carries them. */
export type LiveContestState = ContestState;

/**
 * Fund, prizes and break-even as screens show them. The plan's totals are aggregates of every
 * participant's plan, shown whatever the contest's amounts rule: their ratio is the margin rate
 * that turns "more margin above plan" into "about this much more turnover".
 */
export type LiveFund = Pick<
  FundingResult,
  | 'planMarginMinor'
  | 'planTurnoverMinor'
  | 'actualMarginMinor'
  | 'aboveplanMarginMinor'
  | 'fundMinor'
  | 'prizes'
  | 'prizesPaidMinor'
  | 'breakEven'
  | 'roi'
>;

/** One participant's place with the people just above and below. */
export interface LiveFocus {
  readonly participantId: string;
  /** Their row, with `whatItTakes`. */
  readonly row: StandingRow;
  /** Rows around theirs, in rank order, theirs included. */
  readonly neighbors: readonly StandingRow[];
}

/**
 * What a screen shows of a contest. `standings` updates replace the whole view (it is small: the
 * top of the ranking, not every row), so a missed update never leaves a screen wrong for long.
 */
export interface LiveView {
  readonly contestId: string;
  /** The contest's event sequence number included in this view; gap-free per contest. */
  readonly seq: number;
  /** The seq of the previous update broadcast for the contest (absent in a snapshot). */
  readonly fromSeq?: number;
  readonly state: LiveContestState;
  readonly name: string;
  readonly currency: string;
  readonly period: { readonly start: string; readonly end: string };
  readonly showAmounts: boolean;
  readonly participants: number;
  readonly fund: LiveFund;
  /** The first `LIVE_TOP` rows; amounts (`criteria[].value`) hidden unless the viewer may see them. */
  readonly top: readonly StandingRow[];
}

/** Rows in `LiveView.top`. */
export const LIVE_TOP = 20;
/** Rows on each side of a focused participant. */
export const LIVE_NEIGHBORS = 3;

export interface LiveSnapshot extends LiveView {
  /** The subscriber's own place (a seller's, or the one a manager asked for). */
  readonly focus: LiveFocus | null;
}

export interface LiveDeal {
  readonly contestId: string;
  readonly seq: number;
  readonly participantId: string;
  readonly name: string;
  readonly team: string | null;
  readonly occurredAt: string;
  /** Null unless the contest shows amounts or the viewer is staff: it counts new clients. */
  readonly isNewClient: boolean | null;
  /** Null unless the contest shows amounts or the viewer is staff. */
  readonly amountMinor: number | null;
}

export interface LiveCheckpoint {
  readonly contestId: string;
  readonly number: number;
  readonly boundary: string;
  readonly seq: number;
  readonly publishedAt: string | null;
}

/**
 * A live contest's forecast as screens get it (`GET /api/contests/:id/forecast` and the `forecast`
 * event, DESIGN §3.7): the model's figures of the final outcome as of `asOf`, computed from the
 * events up to `seq`. Probabilities and expected ranks only per participant, never their amounts;
 * fund and pace are totals of the whole contest, shown like {@link LiveFund}.
 */
export interface LiveForecastView {
  readonly contestId: string;
  /** The contest's event seq the forecast counted; never goes down for a contest. */
  readonly seq: number;
  /** ISO instant the forecast stands at. */
  readonly asOf: string;
  readonly computedAt: string;
  /** Share of the period's time elapsed at `asOf`, in [0, 1]. */
  readonly elapsedFraction: number;
  /** `asOf` at or after the end: the standings, every probability 0 or 1. */
  readonly final: boolean;
  readonly trials: number;
  readonly fund: {
    readonly meanMinor: number;
    readonly p10Minor: number;
    readonly p50Minor: number;
    readonly p90Minor: number;
  };
  readonly pAllPrizesFunded: number;
  readonly prizes: readonly {
    readonly place: number;
    readonly league: string | null;
    readonly title: string;
    readonly costMinor: number;
    readonly pUnlocked: number;
  }[];
  readonly participants: readonly {
    readonly participantId: string;
    readonly pFirst: number;
    readonly pPrize: number;
    readonly expectedRank: number;
  }[];
  readonly pace: {
    readonly planMarginToDateMinor: number;
    readonly actualMarginMinor: number;
    readonly projectedMarginP50Minor: number;
  };
  /**
   * Staff only (null for everyone else): the approved simulation's chance that every prize is
   * funded (null when the approval holds no stored run), the alert margin, and whether the
   * forecast's chance fell below the approved one by more than the margin.
   */
  readonly approved: {
    readonly pAllPrizesFunded: number | null;
    readonly alertMargin: number;
    readonly below: boolean;
  } | null;
}

export type SubscribeAck =
  | { readonly ok: true; readonly snapshot: LiveSnapshot }
  | { readonly ok: false; readonly error: string };

export interface LiveServerEvents {
  hello: (payload: { server: 'podium'; version: string }) => void;
  standings: (view: LiveView) => void;
  focus: (payload: LiveFocus & { contestId: string; seq: number }) => void;
  deal: (deal: LiveDeal) => void;
  fund: (payload: { contestId: string; seq: number; fund: LiveFund }) => void;
  checkpoint: (checkpoint: LiveCheckpoint) => void;
  contest: (payload: { contestId: string; state: LiveContestState }) => void;
  /** A new forecast of the contest, as the room's audience may see it. */
  forecast: (forecast: LiveForecastView) => void;
  simulation: (payload: {
    id: string;
    state: SimulationState;
    progress: SimulationProgress | null;
  }) => void;
  /**
   * The socket's credential no longer allows what it had. Without `contestId`: the token was
   * revoked or expired (display revoked, personal link revoked or replaced, signed out, user
   * deleted); the server disconnects right after, and reconnecting with that token is refused.
   * With `contestId`: only that contest's subscription ended (a display unassigned from it, a
   * role change); subscribing again says whether, and how, it may still follow it.
   */
  revoked: (payload: { reason: string; contestId?: string }) => void;
  /**
   * Sent to a display's sockets when an administrator changed the display (its language, slides,
   * timing, sound or contests): the TV reads its settings again (`GET /api/auth/me`).
   */
  display: (payload: { displayId: string }) => void;
}

/** What the server sends with `event`: every handler of the map takes one payload. */
export type LiveServerPayload<E extends keyof LiveServerEvents> = Parameters<
  LiveServerEvents[E]
>[0];

export interface LiveClientEvents {
  health: (ack: (health: { status: 'ok' | 'unavailable'; db: 'up' | 'down' }) => void) => void;
  /** Joins a contest; answers its snapshot. Subscribing again is how a client resyncs. */
  subscribe: (
    request: { contestId: string; participantId?: string },
    ack: (answer: SubscribeAck) => void,
  ) => void;
  unsubscribe: (request: { contestId: string }, ack?: (answer: { ok: boolean }) => void) => void;
  /** Follows a simulation's progress (directors and admins). */
  watchSimulation: (
    request: { id: string },
    ack: (answer: { ok: boolean; error?: string }) => void,
  ) => void;
}
