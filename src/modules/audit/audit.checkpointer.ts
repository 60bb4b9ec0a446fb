/**
 * Takes signed checkpoints of the audit chain head while the service runs: at start, then at most
 * once per interval and only when the head moved, and a last one at stop. A checkpoint extends the
 * previous one only: the records between them must verify (keyed, linked to the previous
 * checkpoint's hash). A head that went back, or records that do not verify, are logged and never
 * checkpointed, so the sink keeps the evidence for `auditIntegrity`.
 */
import type { DataSource } from 'typeorm';
import type { Logger } from '../../logger';
import { type CheckpointSink, readCheckpoints, signCheckpoint } from './audit.checkpoints';
import { GENESIS_HASH } from './audit.hash';
import type { AuditKeys } from './audit.key';
import { readHead, verifySegment } from './audit.verify';

export interface Checkpointer {
  /** Checkpoints the head now if it moved (tests and shutdown). */
  flush(): Promise<void>;
  /** Stops the timer and writes a last checkpoint. */
  stop(): Promise<void>;
}

export async function startCheckpointer(options: {
  dataSource: DataSource;
  keys: AuditKeys;
  sink: CheckpointSink;
  log: Logger;
  intervalMs: number;
}): Promise<Checkpointer> {
  const { dataSource, keys, sink, log } = options;
  const stored = await readCheckpoints(sink, keys);
  const latest = stored.checkpoints[stored.checkpoints.length - 1];
  if (!latest) {
    log.warn(
      { location: sink.location },
      'no audit checkpoint yet: the first one is taken from the chain verified from genesis',
    );
  } else if (stored.problems.length) {
    log.error({ problems: stored.problems }, 'audit checkpoints: some lines are not valid');
  }
  let base = latest
    ? { seq: BigInt(latest.seq), hash: latest.hash, written: true }
    : { seq: 0n, hash: GENESIS_HASH, written: false };
  let lastAlarm = '';
  const alarm = (problem: string, detail: Record<string, unknown>) => {
    // Once per distinct problem, not once a second.
    if (problem === lastAlarm) return;
    lastAlarm = problem;
    log.error(
      { ...detail, problem },
      'audit chain not checkpointed: it does not extend the last checkpoint',
    );
  };

  async function tick(): Promise<void> {
    const head = await readHead(dataSource.manager);
    if (!head) return alarm('the chain head row is missing', {});
    if (base.written && head.seq === base.seq && head.hash === base.hash) return;
    if (head.seq < base.seq || (head.seq === base.seq && head.hash !== base.hash)) {
      return alarm(`the chain head went back from seq ${base.seq} to ${head.seq}`, {});
    }
    const segment = await verifySegment(dataSource.manager, keys, base, {
      toSeq: head.seq,
      // Unkeyed records (from before the audit key) only before the very first checkpoint.
      unkeyedUpTo: base.written ? 0n : head.seq,
    });
    if (!segment.ok || segment.lastHash !== head.hash) {
      return alarm(segment.problem ?? 'the chain head is not the last record', {
        firstBrokenId: segment.firstBrokenId,
      });
    }
    const checkpoint = signCheckpoint(keys, {
      seq: head.seq.toString(),
      hash: head.hash,
      at: new Date().toISOString(),
    });
    await sink.append(checkpoint);
    base = { seq: head.seq, hash: head.hash, written: true };
    lastAlarm = '';
  }

  // One tick at a time: a slow one is not overtaken by the next.
  let running: Promise<void> = Promise.resolve();
  const flush = () => {
    running = running.then(tick).catch((err: unknown) => {
      log.error({ err }, 'audit checkpoint failed');
    });
    return running;
  };
  await flush();
  const timer = setInterval(() => void flush(), options.intervalMs);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    flush,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await flush();
      })();
      return stopping;
    },
  };
}
