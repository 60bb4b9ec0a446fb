import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records written from now on are linked with a keyed hash (HMAC-SHA256 under AUDIT_KEY). A
 * migration cannot know the key, so existing records keep their unkeyed sha256 links and are marked
 * version 0; the first keyed record links from the last unkeyed hash, and the verifier accepts
 * unkeyed records only before the first keyed one and the first checkpoint.
 */
export class AddAuditKeyVersion1795980000000 implements MigrationInterface {
  name = 'AddAuditKeyVersion1795980000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A constant default: no row is rewritten, so the append-only trigger is not involved.
    await queryRunner.query(
      `ALTER TABLE "audit_log" ADD "key_version" smallint NOT NULL DEFAULT '0'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log" DROP COLUMN "key_version"`);
  }
}
