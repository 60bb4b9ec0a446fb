/**
 * The READ audit record of a response that showed subject identity: one per response, naming every
 * case it showed. A query's is written after execution by the `subjectReadAudit` plugin (app.ts), as
 * one autocommit INSERT, before the response is sent; a mutation's inside the mutation's own
 * transaction, before it commits (mutation-tx.ts). Neither waits on another request's record.
 */
import { Kind, type OperationDefinitionNode } from 'graphql';
import { AuditKind } from '../modules/audit/audit.entity';
import { writeAudit } from '../modules/audit/audit.service';
import type { RequestContext } from '../common/context';
import { boundedName } from './log-plugins';

function groupByOffice(reads: Map<string, string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [caseId, officeId] of reads) (out[officeId] ??= []).push(caseId);
  return out;
}

/**
 * Writes the record in `tx`'s transaction, or committed at once when `tx` has none; nothing when the
 * response showed no identity.
 */
export async function auditSubjectReads(
  tx: RequestContext,
  operationName: string | null,
  operation: OperationDefinitionNode | undefined,
): Promise<void> {
  const reads = tx.subjectReads;
  if (reads.size === 0) return;
  // Each name once: a document may repeat a root field without bound.
  const rootFields = [
    ...new Set(
      (operation?.selectionSet.selections ?? []).map((s) =>
        s.kind === Kind.FIELD ? s.name.value : s.kind,
      ),
    ),
  ].join(',');
  await writeAudit(tx, {
    kind: AuditKind.READ,
    operation: 'readSubjectIdentity',
    recordType: 'Case',
    recordIds: [...reads.keys()],
    officeIds: [...reads.values()],
    recordsByOffice: groupByOffice(reads),
    change: { operationName: boundedName(operationName), rootFields },
  });
}
