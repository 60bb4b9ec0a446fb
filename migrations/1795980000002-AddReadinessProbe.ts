import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row that `/readyz` updates: a database that answers reads but cannot commit a write
 * (read-only, disk full) is not ready. The service's role needs UPDATE on it, nothing more.
 */
export class AddReadinessProbe1795980000002 implements MigrationInterface {
  name = 'AddReadinessProbe1795980000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "readiness_probe" ("id" smallint NOT NULL, "checked_at" timestamptz NOT NULL DEFAULT now(), CONSTRAINT "readiness_probe_pkey" PRIMARY KEY ("id"), CONSTRAINT "readiness_probe_one_row" CHECK ("id" = 1))`,
    );
    await queryRunner.query(`INSERT INTO "readiness_probe" ("id") VALUES (1)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "readiness_probe"`);
  }
}
