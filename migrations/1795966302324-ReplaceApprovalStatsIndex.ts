import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * approvalStats counts pre-approval requests only (post-action ratifications are reported with
 * the exigent actions): the covering index now holds exactly those rows.
 */
export class ReplaceApprovalStatsIndex1795966302324 implements MigrationInterface {
  name = 'ReplaceApprovalStatsIndex1795966302324';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."approval_requests_office_stats_idx"`);
    await queryRunner.query(
      `CREATE INDEX "approval_requests_preapproval_stats_idx" ON "approval_requests" ("office_id", "requested_at") INCLUDE ("status", "action_type", "decided_at") WHERE kind <> 'POST_ACTION'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."approval_requests_preapproval_stats_idx"`);
    await queryRunner.query(
      `CREATE INDEX "approval_requests_office_stats_idx" ON "approval_requests" ("office_id", "requested_at") INCLUDE ("status", "action_type", "decided_at")`,
    );
  }
}
