import type { LiveClientEvents, LiveServerEvents, SubscribeAck } from '@podium/contest-model';
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

/**
 * Subscribes; `apply` gets the answer inside the ack callback. socket.io hands the packets that
 * follow an answer to their listeners in the same turn, before a promise awaiting the answer
 * resumes: a client that takes its snapshot after `await emitWithAck` sees the first updates sent
 * after the snapshot as if they had come before it. Rejects after `timeoutMs` without an answer.
 */
export function subscribeWith(
  socket: LiveClient,
  request: { contestId: string; participantId?: string },
  apply: (answer: SubscribeAck) => void,
  timeoutMs: number,
): Promise<SubscribeAck> {
  return new Promise((resolve, reject) => {
    socket.timeout(timeoutMs).emit('subscribe', request, (error: Error | null, answer) => {
      if (error) {
        reject(error);
        return;
      }
      apply(answer);
      resolve(answer);
    });
  });
}
