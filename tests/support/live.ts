import type { LiveClientEvents, LiveServerEvents, SubscribeAck } from '@podium/contest-model';
import { io, type Socket } from 'socket.io-client';

export type LiveClient = Socket<LiveServerEvents, LiveClientEvents>;

/**
 * A real socket.io client on `/live`, connected (or rejected) before it is answered. Without the
 * client's own 20 s connect timeout: a handshake waits for the server's answer, however busy the
 * machine, and only the test's time limit ends the wait. A handshake refused as `unavailable:`
 * (the database did not answer in time) is tried again.
 */
export function connectLive(
  url: string,
  token?: string,
  options: { reconnection?: boolean } = {},
): Promise<LiveClient> {
  const socket: LiveClient = io(`${url}/live`, {
    transports: ['websocket'],
    reconnection: options.reconnection ?? false,
    forceNew: true,
    autoConnect: false,
    ...(token === undefined ? {} : { auth: { token } }),
  });
  socket.io.timeout(false);
  socket.connect();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    const refused = (error: Error): void => {
      // A server too busy to reach its database in time asks to connect again, as the web
      // client does: so does the test's.
      if (error.message.startsWith('unavailable:')) {
        socket.once('connect_error', refused);
        setTimeout(() => socket.connect(), 200);
        return;
      }
      socket.disconnect();
      reject(error);
    };
    socket.once('connect_error', refused);
  });
}

/**
 * Subscribes; `apply` gets the answer inside the ack callback. socket.io hands the packets that
 * follow an answer to their listeners in the same turn, before a promise awaiting the answer
 * resumes: a client that takes its snapshot after `await emitWithAck` sees the first updates sent
 * after the snapshot as if they had come before it. Waits for the answer as long as the test may.
 */
export function subscribeWith(
  socket: LiveClient,
  request: { contestId: string; participantId?: string },
  apply: (answer: SubscribeAck) => void,
): Promise<SubscribeAck> {
  return new Promise((resolve) => {
    socket.emit('subscribe', request, (answer) => {
      apply(answer);
      resolve(answer);
    });
  });
}
