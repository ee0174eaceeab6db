import { AUDIENCES, type Audience } from './audience.js';

/** A contest's room for one audience: its sockets get the contest's broadcasts. */
export interface ContestRoomOf {
  readonly contestId: string;
  readonly audience: Audience;
}

/** A simulation's room: directors and admins following its progress. */
export interface SimulationRoomOf {
  readonly simulationId: string;
}

export type ContestRoom = `contest:${string}:${Audience}`;
export type SimulationRoom = `simulation:${string}`;

/** The one place a room's name is built: every join, leave and broadcast goes through here. */
export function roomOf(of: ContestRoomOf): ContestRoom;
export function roomOf(of: SimulationRoomOf): SimulationRoom;
export function roomOf(of: ContestRoomOf | SimulationRoomOf): ContestRoom | SimulationRoom {
  return 'simulationId' in of
    ? `simulation:${of.simulationId}`
    : `contest:${of.contestId}:${of.audience}`;
}

/** What a room a socket is in is for; null for the rooms socket.io keeps itself (its own id). */
export function parseRoom(room: string): ContestRoomOf | SimulationRoomOf | null {
  const [kind, id, audience, ...rest] = room.split(':');
  if (!id || rest.length > 0) return null;
  if (kind === 'simulation' && audience === undefined) return { simulationId: id };
  const known = AUDIENCES.find((candidate) => candidate === audience);
  if (kind === 'contest' && known) return { contestId: id, audience: known };
  return null;
}
