import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key`: the answer of a mutation made under a client's key, stored in the mutation's
 * transaction, per user, until it expires (`IDEMPOTENCY_KEY_TTL_HOURS`). The index on the expiry
 * serves the sweep of expired keys. The service needs SELECT, INSERT and DELETE on the table.
 */
export class AddIdempotencyKeys1796190708842 implements MigrationInterface {
  name = 'AddIdempotencyKeys1796190708842';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("user_id" uuid NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character(64) NOT NULL, "response" json NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_392b1af86f210d98d3f0c764728" PRIMARY KEY ("user_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idempotency_keys_expires_idx" ON "idempotency_keys" ("expires_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_user_id_fkey"`,
    );
    await queryRunner.query(`DROP INDEX "public"."idempotency_keys_expires_idx"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
