import { io, type Socket } from 'socket.io-client';
import type { Schemas } from '../api/client.js';

type Db = 'up' | 'down' | 'checking';

interface HelloPayload {
  server: 'podium';
  version: string;
}

/** The health of the API and its database, and whether the live socket is connected. */
export class SystemStatus {
  #db = $state<Db>('checking');
  #api = $state<Db>('checking');
  #live = $state(false);
  #version = $state<string | null>(null);
  #socket: Socket | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;

  get db(): Db {
    return this.#db;
  }

  get api(): Db {
    return this.#api;
  }

  get live(): boolean {
    return this.#live;
  }

  get version(): string | null {
    return this.#version;
  }

  /** Starts polling `/api/health` and connects to `/live`; returns the function that stops both. */
  start(): () => void {
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), 10_000);
    const socket = io('/live', { transports: ['websocket'] });
    socket.on('connect', () => (this.#live = true));
    socket.on('disconnect', () => (this.#live = false));
    socket.on('hello', (hello: HelloPayload) => (this.#version = hello.version));
    this.#socket = socket;
    return () => {
      if (this.#timer !== null) clearInterval(this.#timer);
      this.#socket?.disconnect();
    };
  }

  private async refresh(): Promise<void> {
    try {
      const response = await fetch('/api/health', { cache: 'no-store' });
      // 503 answers the same body: read it whatever the status.
      const body = (await response.json()) as Schemas['Health'];
      this.#api = 'up';
      this.#db = body.db === 'up' ? 'up' : 'down';
    } catch {
      this.#api = 'down';
      this.#db = 'down';
    }
  }
}
