/**
 * Signed checkpoints of the audit chain head, kept OUTSIDE the database: whoever can rewrite the
 * database cannot move a checkpoint back, so a log cut short, reset to genesis or re-chained shows
 * against the latest one. A checkpoint is (seq, hash, time) signed with HMAC-SHA256 under the
 * checkpoint key derived from `AUDIT_KEY`.
 *
 * The sink is pluggable; the default appends one JSON line per checkpoint to a file and fsyncs it.
 * For real protection the file lives where the database's administrators cannot write (another
 * volume or host, an append-only mount); a sink shipping lines elsewhere implements the same two
 * methods.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type AuditKeys, sameDigest } from './audit.key';

export interface Checkpoint {
  /** The head's sequence number, as a decimal string (bigint). */
  seq: string;
  /** The head's link hash. */
  hash: string;
  /** When the checkpoint was taken (wall clock, ISO 8601). */
  at: string;
}

export interface SignedCheckpoint extends Checkpoint {
  /** HMAC-SHA256 of `seq|hash|at` under the checkpoint key, hex. */
  sig: string;
}

export interface CheckpointSink {
  /** Where checkpoints go, for messages (a path, a URL). */
  readonly location: string;
  /** Appends one checkpoint; resolves once it is on stable storage. */
  append(checkpoint: SignedCheckpoint): Promise<void>;
  /** Every stored line, oldest first; null when nothing was ever written. */
  readLines(): Promise<string[] | null>;
}

export function signCheckpoint(keys: AuditKeys, checkpoint: Checkpoint): SignedCheckpoint {
  return { ...checkpoint, sig: signature(keys, checkpoint) };
}

function signature(keys: AuditKeys, c: Checkpoint): string {
  return crypto
    .createHmac('sha256', keys.checkpoint)
    .update(`${c.seq}|${c.hash}|${c.at}`, 'utf8')
    .digest('hex');
}

export interface CheckpointLog {
  /** The validly signed checkpoints, oldest first. */
  checkpoints: SignedCheckpoint[];
  /** What is wrong with the stored lines: missing, unsigned, forged, going back. */
  problems: string[];
}

/** Reads and checks every stored checkpoint. */
export async function readCheckpoints(
  sink: CheckpointSink,
  keys: AuditKeys,
): Promise<CheckpointLog> {
  let lines: string[] | null;
  try {
    lines = await sink.readLines();
  } catch (err) {
    return {
      checkpoints: [],
      problems: [`the checkpoints at ${sink.location} cannot be read: ${String(err)}`],
    };
  }
  if (lines === null || lines.length === 0) {
    return { checkpoints: [], problems: [`there is no audit checkpoint at ${sink.location}`] };
  }
  const checkpoints: SignedCheckpoint[] = [];
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const c = parseCheckpoint(line);
    if (!c || !sameDigest(c.sig, signature(keys, c))) {
      problems.push(`checkpoint line ${i + 1} at ${sink.location} is not validly signed`);
      return;
    }
    const last = checkpoints[checkpoints.length - 1];
    if (last && BigInt(c.seq) < BigInt(last.seq)) {
      problems.push(
        `checkpoint line ${i + 1} at ${sink.location} goes back from seq ${last.seq} to ${c.seq}`,
      );
      return;
    }
    checkpoints.push(c);
  });
  return { checkpoints, problems };
}

function parseCheckpoint(line: string): SignedCheckpoint | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const c = value as Partial<SignedCheckpoint> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.seq !== 'string' ||
    !/^\d{1,19}$/.test(c.seq) ||
    typeof c.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(c.hash) ||
    typeof c.at !== 'string' ||
    typeof c.sig !== 'string'
  ) {
    return undefined;
  }
  return { seq: c.seq, hash: c.hash, at: c.at, sig: c.sig };
}

/** The default sink: an append-only NDJSON file, fsynced after every line. */
export class FileCheckpointSink implements CheckpointSink {
  constructor(readonly location: string) {}

  async append(checkpoint: SignedCheckpoint): Promise<void> {
    const dir = path.dirname(this.location);
    await fs.mkdir(dir, { recursive: true });
    const created = !(await exists(this.location));
    const file = await fs.open(this.location, 'a', 0o600);
    try {
      await file.write(`${JSON.stringify(checkpoint)}\n`);
      await file.sync();
    } finally {
      await file.close();
    }
    // A new file's directory entry must be durable too, or a crash could lose the whole file.
    if (created) {
      const handle = await fs.open(dir, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
  }

  async readLines(): Promise<string[] | null> {
    let text: string;
    try {
      text = await fs.readFile(this.location, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return text.split('\n').filter((line) => line.trim() !== '');
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
