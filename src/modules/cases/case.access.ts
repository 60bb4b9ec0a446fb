/**
 * What other modules read and write of a case, through the cases module: its convictions (the
 * facts an assessment evaluates) and its pointer to the latest assessment.
 */
import type { RequestContext } from '../../common/context';
import { CaseEntity } from './case.entity';
import { ConvictionEntity } from './conviction.entity';

/** The case's convictions, oldest first. */
export async function convictionsOf(
  ctx: RequestContext,
  caseId: string,
): Promise<ConvictionEntity[]> {
  return ctx.manager
    .getRepository(ConvictionEntity)
    .find({ where: { caseId }, order: { convictedOn: 'ASC', id: 'ASC' } });
}

/** Points the case at its newest assessment (inside the assessment's transaction). */
export async function setLatestAssessment(
  tx: RequestContext,
  caseId: string,
  assessmentId: string,
): Promise<void> {
  await tx.manager
    .getRepository(CaseEntity)
    .update({ id: caseId }, { latestAssessmentId: assessmentId });
}
