import type { Contest } from '../rules/contest.js';
import type { ContestEvent } from '../rules/event.schema.js';
import { parseInstant } from '../rules/period.js';
import { eventKey, reversedKey } from './counted-event.js';
import { KeyIndex } from './key-index.js';
import type { ParticipantMetrics } from './participant-metrics.js';

/** What applying one event did. */
export type LedgerStatus =
  /** The event now counts for its participant. */
  | 'counted'
  /** A reversal that cancelled an event which counted until now. */
  | 'reversed'
  /** A reversal whose event has not arrived (or does not count); it will be cancelled on arrival. */
  | 'reversalPending'
  /** An event whose reversal arrived first: it never counts. */
  | 'cancelled'
  /** The same `(source, externalId)` with the same payload was applied before. */
  | 'duplicate'
  /** The same `(source, externalId)` with a different payload: ignored, the first one stands. */
  | 'conflict'
  | 'outsidePeriod'
  | 'unknownParticipant';

export interface LedgerOutcome {
  status: LedgerStatus;
  /** The record (see {@link EventLedger}) of the event that started counting. */
  added?: number;
  /** The record of the event that stopped counting. */
  removed?: number;
}

const KIND_SALE = 0;
const KIND_LEAD = 1;
const KIND_COUNTER = 2;
const KIND_MASK = 3;
const NEW_CLIENT = 4;
const COUNTING = 8;
/** The sale's quantity or the counter's value is not an integer: sums depend on their order. */
const FRACTIONAL = 16;

const NONE = -1;

/** Strings numbered in order of first appearance (sources, clients, products, counter names). */
class Interned {
  readonly #ids = new Map<string, number>();
  readonly names: string[] = [];

  id(name: string): number {
    let id = this.#ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.#ids.set(name, id);
    }
    return id;
  }
}

/**
 * Incremental form of `resolveCountedEvents`: takes events one at a time, in any order, and says
 * which event starts or stops counting. O(1) per event (hash maps).
 *
 * It keeps no event object: each event applied becomes a numbered record in columns (typed arrays)
 * holding a 64-bit fingerprint of its payload (two 32-bit hashes) — to tell a replay from a conflicting payload — and,
 * for an event that counts, only the figures its participant's metrics take from it (time, kind,
 * amount, margin, quantity or counter value, interned client and product or counter name), which
 * is what re-scoring and a later reversal need: about 60 bytes of columns per event, plus about
 * 35 in the `(source, externalId)` index ({@link KeyIndex}), none of it on the JavaScript heap. Two payloads with equal
 * fingerprints but different contents would be reported `duplicate` instead of `conflict`; both
 * are ignored, so the standings never depend on it.
 */
export class EventLedger {
  readonly #contest: Contest;
  readonly #participantIndex: ReadonlyMap<string, number>;
  /** Record of every event applied, by `(source, externalId)`. */
  readonly #keys = new KeyIndex();
  /** Keys reversed before their event arrived. */
  readonly #reversed = new Set<string>();
  readonly #sources = new Interned();
  readonly #clients = new Interned();
  /** Products (sales) and counter names share one numbering. */
  readonly #names = new Interned();
  #size = 0;
  #capacity = 0;
  #source = new Int32Array(0);
  #fingerprintHigh = new Int32Array(0);
  #fingerprintLow = new Int32Array(0);
  #flags = new Uint8Array(0);
  #participant = new Int32Array(0);
  #client = new Int32Array(0);
  #name = new Int32Array(0);
  #occurredAtMs = new Float64Array(0);
  /** Sale: amountMinor; counter: value. */
  #amount = new Float64Array(0);
  #marginMinor = new Float64Array(0);
  #quantity = new Float64Array(0);

  constructor({ contest }: { contest: Contest }) {
    this.#contest = contest;
    this.#participantIndex = new Map(
      contest.participants.map((participant, index) => [participant.id, index]),
    );
  }

  /**
   * Makes room for `count` distinct events in all (a rebuild knows how many the log holds), so
   * that applying them reallocates no column; more still fit, growing by half.
   */
  reserve(count: number): void {
    if (count > this.#capacity) this.#grow(count);
    this.#keys.reserve(count);
  }

  /** How many distinct events (by key) were applied. */
  get size(): number {
    return this.#size;
  }

  apply(event: ContestEvent): LedgerOutcome {
    const source = this.#sources.id(event.source);
    const hash = KeyIndex.hash(source, event.externalId);
    const [high, low] = fingerprint(event);
    const seen = this.#keys.find(source, event.externalId, hash);
    if (seen !== NONE) {
      const same = this.#fingerprintHigh[seen] === high && this.#fingerprintLow[seen] === low;
      return { status: same ? 'duplicate' : 'conflict' };
    }
    const id = this.#push(event, source, high, low);
    this.#keys.add(id, source, event.externalId, hash);
    const occurredAtMs = this.#occurredAtMs[id] as number;
    // A reversal dated after the end still cancels a sale of the period (a late cancellation,
    // DESIGN §3.8); one dated before the start cancels nothing, as in `resolveCountedEvents`.
    const lateReversal = event.type === 'reversal' && occurredAtMs >= this.#contest.endMs;
    if (
      occurredAtMs < this.#contest.startMs ||
      (occurredAtMs >= this.#contest.endMs && !lateReversal)
    ) {
      return { status: 'outsidePeriod' };
    }
    if (event.type === 'reversal') {
      const target = this.#keys.find(
        source,
        event.reversesExternalId,
        KeyIndex.hash(source, event.reversesExternalId),
      );
      if (target === NONE) {
        this.#reversed.add(reversedKey(event));
        return { status: 'reversalPending' };
      }
      const flags = this.#flags[target] as number;
      if ((flags & COUNTING) === 0) return { status: 'reversalPending' };
      this.#flags[target] = flags & ~COUNTING;
      return { status: 'reversed', removed: target };
    }
    if (this.#participant[id] === NONE) return { status: 'unknownParticipant' };
    if (this.#reversed.size > 0) {
      const key = eventKey(event);
      if (this.#reversed.delete(key)) return { status: 'cancelled' };
    }
    this.#flags[id] = (this.#flags[id] as number) | COUNTING;
    return { status: 'counted', added: id };
  }

  /** Index (in `contest.participants`) of the record's participant. */
  participantOf(id: number): number {
    return this.#participant[id] as number;
  }

  occurredAtMs(id: number): number {
    return this.#occurredAtMs[id] as number;
  }

  /** Whether the record's figures are integers, so that sums of them do not depend on order. */
  isWhole(id: number): boolean {
    return ((this.#flags[id] as number) & FRACTIONAL) === 0;
  }

  /** An upper bound of the absolute value every metric sum of this record can move by. */
  magnitude(id: number): number {
    return (
      Math.abs(this.#amount[id] as number) +
      Math.abs(this.#marginMinor[id] as number) +
      Math.abs(this.#quantity[id] as number) +
      1
    );
  }

  /**
   * Time order of counted records, as `compareCountedEvents` orders events: by time, then by key
   * (`source`, then `externalId`, which is the order of `source\0externalId`).
   */
  compare(a: number, b: number): number {
    const timeA = this.#occurredAtMs[a] as number;
    const timeB = this.#occurredAtMs[b] as number;
    if (timeA !== timeB) return timeA - timeB;
    const sourceA = this.#source[a] as number;
    const sourceB = this.#source[b] as number;
    if (sourceA !== sourceB) {
      const nameA = this.#sources.names[sourceA] as string;
      const nameB = this.#sources.names[sourceB] as string;
      if (!nameA.includes('\u0000') && !nameB.includes('\u0000')) return nameA < nameB ? -1 : 1;
      // A NUL in a source: compare the keys themselves.
      const keyA = eventKey({ source: nameA, externalId: this.#keys.externalIdOf(a) });
      const keyB = eventKey({ source: nameB, externalId: this.#keys.externalIdOf(b) });
      return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
    }
    return this.#keys.compareExternalIds(a, b);
  }

  /** Adds a counted record to the totals, as `addEventToMetrics` adds its event. */
  addTo(metrics: ParticipantMetrics, id: number): void {
    const flags = this.#flags[id] as number;
    switch (flags & KIND_MASK) {
      case KIND_SALE: {
        const amount = this.#amount[id] as number;
        metrics.turnoverMinor += amount;
        metrics.marginMinor += this.#marginMinor[id] as number;
        metrics.deals += 1;
        if ((flags & NEW_CLIENT) !== 0) {
          const client = this.#client[id] as number;
          if (client === NONE) {
            metrics.anonymousNewClients += 1;
          } else {
            const clientId = this.#clients.names[client] as string;
            metrics.newClientIds.set(clientId, (metrics.newClientIds.get(clientId) ?? 0) + 1);
          }
        }
        const name = this.#name[id] as number;
        if (name !== NONE) {
          const productName = this.#names.names[name] as string;
          const product = metrics.products.get(productName) ?? { turnoverMinor: 0, units: 0 };
          product.turnoverMinor += amount;
          product.units += this.#quantity[id] as number;
          metrics.products.set(productName, product);
        }
        break;
      }
      case KIND_LEAD:
        metrics.leads += 1;
        break;
      case KIND_COUNTER: {
        const counter = this.#names.names[this.#name[id] as number] as string;
        metrics.counters.set(
          counter,
          (metrics.counters.get(counter) ?? 0) + (this.#amount[id] as number),
        );
        break;
      }
    }
  }

  /**
   * Takes a record back out of the totals. Exact only when every figure summed is an integer (see
   * {@link isWhole}) and the sums stay below 2⁵³; a product, client or counter left with nothing
   * is removed, so the totals equal those of the remaining records.
   */
  subtractFrom(metrics: ParticipantMetrics, id: number): void {
    const flags = this.#flags[id] as number;
    switch (flags & KIND_MASK) {
      case KIND_SALE: {
        const amount = this.#amount[id] as number;
        metrics.turnoverMinor -= amount;
        metrics.marginMinor -= this.#marginMinor[id] as number;
        metrics.deals -= 1;
        if ((flags & NEW_CLIENT) !== 0) {
          const client = this.#client[id] as number;
          if (client === NONE) {
            metrics.anonymousNewClients -= 1;
          } else {
            const clientId = this.#clients.names[client] as string;
            const left = (metrics.newClientIds.get(clientId) ?? 0) - 1;
            if (left > 0) metrics.newClientIds.set(clientId, left);
            else metrics.newClientIds.delete(clientId);
          }
        }
        const name = this.#name[id] as number;
        if (name !== NONE) {
          const productName = this.#names.names[name] as string;
          const product = metrics.products.get(productName);
          if (product !== undefined) {
            product.turnoverMinor -= amount;
            product.units -= this.#quantity[id] as number;
            if (product.turnoverMinor === 0 && product.units === 0) {
              metrics.products.delete(productName);
            }
          }
        }
        break;
      }
      case KIND_LEAD:
        metrics.leads -= 1;
        break;
      case KIND_COUNTER: {
        const counter = this.#names.names[this.#name[id] as number] as string;
        const left = (metrics.counters.get(counter) ?? 0) - (this.#amount[id] as number);
        if (left === 0) metrics.counters.delete(counter);
        else metrics.counters.set(counter, left);
        break;
      }
    }
  }

  #push(event: ContestEvent, source: number, high: number, low: number): number {
    if (this.#size === this.#capacity) this.#grow();
    const id = this.#size;
    this.#size += 1;
    this.#source[id] = source;
    this.#fingerprintHigh[id] = high;
    this.#fingerprintLow[id] = low;
    this.#occurredAtMs[id] = parseInstant(event.occurredAt);
    this.#participant[id] = this.#participantIndex.get(event.participantId) ?? NONE;
    let flags = 0;
    let client = NONE;
    let name = NONE;
    let amount = 0;
    let margin = 0;
    let quantity = 0;
    switch (event.type) {
      case 'sale':
        flags = KIND_SALE | (event.isNewClient ? NEW_CLIENT : 0);
        if (event.clientId !== undefined) client = this.#clients.id(event.clientId);
        if (event.product !== undefined) name = this.#names.id(event.product);
        amount = event.amountMinor;
        margin = event.marginMinor;
        quantity = event.quantity;
        if (!Number.isInteger(quantity)) flags |= FRACTIONAL;
        break;
      case 'lead':
        flags = KIND_LEAD;
        break;
      case 'counter':
        flags = KIND_COUNTER;
        name = this.#names.id(event.name);
        amount = event.value;
        if (!Number.isInteger(amount)) flags |= FRACTIONAL;
        break;
      case 'reversal':
        // Never counts: only its key and fingerprint matter.
        flags = KIND_LEAD;
        break;
    }
    this.#flags[id] = flags;
    this.#client[id] = client;
    this.#name[id] = name;
    this.#amount[id] = amount;
    this.#marginMinor[id] = margin;
    this.#quantity[id] = quantity;
    return id;
  }

  /** Grows every column by half (a million events: at most a third of the columns unused). */
  #grow(atLeast = 0): void {
    const capacity = Math.max(atLeast, 1_024, Math.ceil(this.#capacity * 1.5));
    this.#source = grown(this.#source, new Int32Array(capacity));
    this.#fingerprintHigh = grown(this.#fingerprintHigh, new Int32Array(capacity));
    this.#fingerprintLow = grown(this.#fingerprintLow, new Int32Array(capacity));
    this.#flags = grown(this.#flags, new Uint8Array(capacity));
    this.#participant = grown(this.#participant, new Int32Array(capacity));
    this.#client = grown(this.#client, new Int32Array(capacity));
    this.#name = grown(this.#name, new Int32Array(capacity));
    this.#occurredAtMs = grown(this.#occurredAtMs, new Float64Array(capacity));
    this.#amount = grown(this.#amount, new Float64Array(capacity));
    this.#marginMinor = grown(this.#marginMinor, new Float64Array(capacity));
    this.#quantity = grown(this.#quantity, new Float64Array(capacity));
    this.#capacity = capacity;
  }
}

function grown<T extends Int32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from as never);
  return to;
}

/**
 * Two 32-bit polynomial hashes (different multipliers) of the payload with its
 * keys sorted (each field as `key`, then its JSON), so the same payload fingerprints equal
 * whatever its key order.
 */
function fingerprint(event: ContestEvent): [number, number] {
  const fields = event as unknown as Record<string, unknown>;
  let text = '';
  for (const key of Object.keys(fields).sort()) {
    const value = fields[key];
    if (value === undefined) continue;
    text += `${key}\u0001${typeof value === 'object' ? canonicalJson(value) : JSON.stringify(value)}\u0002`;
  }
  // Polynomial hashes modulo 2³²; the products stay below 2⁵³, so they are exact.
  let high = 0;
  let low = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    high = (high * 1_000_003 + code) | 0;
    low = (low * 65_599 + code) | 0;
  }
  return [high | 0, low | 0];
}

/** JSON with sorted keys, so the same payload compares equal whatever its key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : inner,
  );
}
