import { describe, expect, it } from '@jest/globals';
import type {
  LiveClientEvents,
  LiveFund,
  LiveServerEvents,
  LiveServerPayload,
} from '@podium/contest-model';
import type { Namespace } from 'socket.io';
import { LiveEmitter, type ContestTarget, type LiveSocket } from './live-emitter.service.js';
import { parseRoom, roomOf } from './rooms.js';

/** What a fake socket or room was sent, in order. */
type Sent = [event: string, payload: unknown][];

function fakeSocket(id: string, rooms: string[] = []) {
  const sent: Sent = [];
  const socket = {
    id,
    connected: true,
    rooms: new Set([id, ...rooms]),
    emit: (event: string, payload: unknown) => sent.push([event, payload]),
  };
  return { socket: socket as unknown as LiveSocket, sent };
}

/** A namespace that records each broadcast with its room, its exceptions and its reach. */
function fakeNamespace() {
  const sent: { reach: string; room: string; except: string[]; event: string }[] = [];
  const operator = (reach: string) => ({
    to: (room: string) => {
      const emit = (except: string[]) => (event: string) =>
        sent.push({ reach, room, except, event });
      return { emit: emit([]), except: (ids: string[]) => ({ emit: emit(ids) }) };
    },
  });
  const namespace = { ...operator('cluster'), local: operator('process') };
  return { namespace: namespace as unknown as Namespace<LiveClientEvents, LiveServerEvents>, sent };
}

const fund = {} as LiveFund;
const view = { contestId: 'c', seq: 7 } as LiveServerPayload<'standings'>;
const checkpoint = { contestId: 'c', seq: 5 } as LiveServerPayload<'checkpoint'>;
const publicRoom: ContestTarget = { contestId: 'c', audience: 'public', reach: 'process' };

describe(LiveEmitter.name, () => {
  it('compiles only the emits the event map allows', () => {
    const sut = new LiveEmitter();
    const { socket, sent } = fakeSocket('s');
    sut.send('hello', { socket }, { server: 'podium', version: '1' });
    // tsc checks this spec: each line below must be an error, or `npm run check` fails.
    const wrong = (simulation: { simulationId: string; reach: 'cluster' }) => {
      // @ts-expect-error a payload of another event
      sut.send('standings', publicRoom, { contestId: 'c', seq: 1, fund });
      // @ts-expect-error a contest broadcast sent to one socket, past the subscribe hold
      sut.send('standings', { socket }, view);
      // @ts-expect-error a reply to one socket broadcast to a room
      sut.send('revoked', publicRoom, { reason: 'revoked' });
      // @ts-expect-error a focus update without its contest, which the hold needs
      sut.send('focus', { socket }, {} as LiveServerPayload<'focus'>);
      // @ts-expect-error a simulation state the client does not know
      sut.send('simulation', simulation, { id: 's', state: 'paused', progress: null });
      // @ts-expect-error an event the map does not have
      sut.send('goodbye', { socket }, {});
      // @ts-expect-error an audience with no room
      roomOf({ contestId: 'c', audience: 'everyone' });
    };
    expect(typeof wrong).toBe('function');
    expect(sent).toEqual([['hello', { server: 'podium', version: '1' }]]);
  });

  it('builds and reads back every room from one format', () => {
    expect(roomOf({ contestId: 'c1', audience: 'staff' })).toBe('contest:c1:staff');
    expect(roomOf({ simulationId: 's1' })).toBe('simulation:s1');
    expect(parseRoom('contest:c1:public')).toEqual({ contestId: 'c1', audience: 'public' });
    expect(parseRoom('simulation:s1')).toEqual({ simulationId: 's1' });
    expect(parseRoom('contest:c1:everyone')).toBeNull();
    expect(parseRoom('aSocketId')).toBeNull();
  });

  it('holds a subscribing socket: only what is newer than its snapshot follows it', () => {
    const sut = new LiveEmitter();
    const { namespace, sent: broadcast } = fakeNamespace();
    sut.attach(namespace);
    const held = fakeSocket('held', [roomOf(publicRoom)]);
    sut.hold('c', held.socket);
    sut.send('standings', publicRoom, { ...view, seq: 4 });
    sut.send('checkpoint', publicRoom, checkpoint);
    sut.send('standings', publicRoom, view);
    expect(broadcast.map(({ except }) => except)).toEqual([['held'], ['held'], ['held']]);
    expect(held.sent).toEqual([]);
    sut.release('c', 'held', 5);
    // seq 4 is in the snapshot; a checkpoint is sent whatever the snapshot.
    expect(held.sent).toEqual([
      ['checkpoint', checkpoint],
      ['standings', view],
    ]);
    sut.send('standings', publicRoom, view);
    expect(broadcast.at(-1)).toEqual({
      reach: 'process',
      room: 'contest:c:public',
      except: [],
      event: 'standings',
    });
  });
});
