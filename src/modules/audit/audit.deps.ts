/**
 * What the audit module needs of the composition root, added to the kernel's `ServiceDeps` by
 * declaration merging (the kernel names no module): the service, the seeds and the scripts set it.
 */
import type { CheckpointSink } from './audit.checkpoints';
import type { AuditKeys } from './audit.key';

declare module '../../common/context' {
  interface ServiceDeps {
    /** Keys the audit chain (never stored in the database). */
    auditKeys: AuditKeys;
    /** Where the head's signed checkpoints are kept; `auditIntegrity` verifies against them. */
    checkpointSink?: CheckpointSink;
    /** This process's chainer: woken after a transaction appending audit records commits. */
    auditChainer?: { wake(): void };
  }
}
