import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shared store of the request rate limits (rate-limiter-flexible's RateLimiterPostgres layout:
 * one row per key, `expire` in epoch milliseconds), so every service process draws on one budget
 * per user or address. Created here so the service itself needs no DDL rights; it only reads and
 * writes rows. No entity: only the limiter touches it.
 */
export class AddRateLimits1795979311000 implements MigrationInterface {
  name = 'AddRateLimits1795979311000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "rate_limits" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT 0, "expire" bigint, CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key"))`,
    );
    // The limiter deletes expired rows by `expire` every few minutes.
    await queryRunner.query(`CREATE INDEX "rate_limits_expire_idx" ON "rate_limits" ("expire")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limits"`);
  }
}
