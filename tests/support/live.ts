import type { LiveClientEvents, LiveServerEvents } from '@podium/contest-model';
import { io, type Socket } from 'socket.io-client';

export type LiveClient = Socket<LiveServerEvents, LiveClientEvents>;

/** A real socket.io client on `/live`, connected (or rejected) before it is answered. */
export function connectLive(
  url: string,
  token?: string,
  options: { reconnection?: boolean } = {},
): Promise<LiveClient> {
  const socket: LiveClient = io(`${url}/live`, {
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
    ...(token === undefined ? {} : { auth: { token } }),
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}
