import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit records are appended without a global lock: a request INSERTs its record with an insertion
 * number from a sequence and a keyed MAC (key version 2); one chainer at a time (advisory lock)
 * later sets the chain columns `seq`, `prev_hash`, `hash`, once, and the head moves with them.
 *
 * - `insertion` is the new primary key (records from before: their chain position); `seq` becomes
 *   nullable (NULL: not chained yet) and stays unique.
 * - `mac`: HMAC(record key, insertion | canonical content), NULL only for records from before.
 * - UPDATE is allowed only as a legal chaining step (`audit_log_chain_step`, row by row): every
 *   content column unchanged, the chain columns set once from NULL, the position the head's next
 *   and the previous hash the head's; the trigger then moves the head. DELETE and TRUNCATE stay
 *   refused. `ep_service` gets UPDATE on the three chain columns only.
 */
export class AddAuditChainer1796400000000 implements MigrationInterface {
  name = 'AddAuditChainer1796400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`DROP TRIGGER "audit_log_append_only" ON "audit_log"`);
    await q(`ALTER TABLE "audit_log" ADD "insertion" bigint`);
    await q(`ALTER TABLE "audit_log" ADD "mac" character(64)`);
    // Records already in the log are chained: their insertion number is their position.
    await q(`UPDATE "audit_log" SET "insertion" = "seq"`);
    await q(`ALTER TABLE "audit_log" ALTER "insertion" SET NOT NULL`);
    await q(`ALTER TABLE "audit_log" DROP CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e"`);
    await q(`ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_pkey" PRIMARY KEY ("insertion")`);
    await q(`ALTER TABLE "audit_log" ALTER "seq" DROP NOT NULL`);
    await q(`ALTER TABLE "audit_log" ALTER "prev_hash" DROP NOT NULL`);
    await q(`ALTER TABLE "audit_log" ALTER "hash" DROP NOT NULL`);
    await q(`CREATE UNIQUE INDEX "audit_log_seq_key" ON "audit_log" ("seq")`);
    // The chainer's work list, and `auditIntegrity`'s count of it: small, since it is emptied.
    await q(
      `CREATE INDEX "audit_log_pending_idx" ON "audit_log" ("insertion") WHERE "seq" IS NULL`,
    );
    await q(`DROP INDEX "audit_log_actor_office_idx"`);
    await q(
      `CREATE INDEX "audit_log_actor_office_idx" ON "audit_log" ("actor_office_id", "insertion")`,
    );
    await q(`ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_chained_whole"
      CHECK (("seq" IS NULL) = ("hash" IS NULL) AND ("seq" IS NULL) = ("prev_hash" IS NULL))`);
    await q(`ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_mac_from_v2"
      CHECK ("key_version" < 2 OR "mac" IS NOT NULL)`);
    await q(`CREATE SEQUENCE "audit_log_insertion_seq" AS bigint OWNED BY "audit_log"."insertion"`);
    await q(`SELECT setval('audit_log_insertion_seq', max("seq"), true) FROM "audit_log"
              HAVING max("seq") IS NOT NULL`);

    await q(`CREATE TRIGGER "audit_log_append_only" BEFORE DELETE OR TRUNCATE ON "audit_log"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"()`);
    await q(`CREATE FUNCTION "audit_log_chain_step"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head record;
      BEGIN
        IF (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') IS DISTINCT FROM
           (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
          RAISE EXCEPTION 'audit_log is append-only: a record''s content never changes'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.seq IS NOT NULL OR OLD.hash IS NOT NULL OR OLD.prev_hash IS NOT NULL THEN
          RAISE EXCEPTION 'audit_log is append-only: record % is already chained', OLD.insertion
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        SELECT last_seq, last_hash INTO head FROM audit_chain_head WHERE id = 1 FOR UPDATE;
        IF NEW.seq IS DISTINCT FROM head.last_seq + 1 OR NEW.prev_hash IS DISTINCT FROM head.last_hash
           OR NEW.hash IS NULL OR NEW.hash !~ '^[0-9a-f]{64}$' THEN
          RAISE EXCEPTION 'audit_log: record % is not the next link of the chain', OLD.insertion
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        UPDATE audit_chain_head SET last_seq = NEW.seq, last_hash = NEW.hash WHERE id = 1;
        RETURN NEW;
      END $$`);
    await q(`CREATE TRIGGER "audit_log_chain_step" BEFORE UPDATE ON "audit_log"
      FOR EACH ROW EXECUTE FUNCTION "audit_log_chain_step"()`);
    // One round trip per batch, the links set in chain order (an UPDATE ... FROM has no order).
    await q(`CREATE FUNCTION "audit_chain_link"(insertions bigint[], seqs bigint[], prevs text[], hashes text[])
      RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE i integer; n integer := coalesce(array_length(insertions, 1), 0);
      BEGIN
        FOR i IN 1..n LOOP
          UPDATE audit_log SET seq = seqs[i], prev_hash = prevs[i], hash = hashes[i]
           WHERE insertion = insertions[i];
          IF NOT FOUND THEN
            RAISE EXCEPTION 'audit_log has no record %', insertions[i];
          END IF;
        END LOOP;
        RETURN n;
      END $$`);

    await q(`GRANT UPDATE ("seq", "prev_hash", "hash") ON "audit_log" TO ep_service`);
    await q(`GRANT USAGE, SELECT ON SEQUENCE "audit_log_insertion_seq" TO ep_service`);
    await q(
      `GRANT EXECUTE ON FUNCTION "audit_chain_link"(bigint[], bigint[], text[], text[]) TO ep_service`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const q = (sql: string) => queryRunner.query(sql);
    await q(`REVOKE UPDATE ("seq", "prev_hash", "hash") ON "audit_log" FROM ep_service`);
    await q(`DROP FUNCTION "audit_chain_link"(bigint[], bigint[], text[], text[])`);
    await q(`DROP TRIGGER "audit_log_chain_step" ON "audit_log"`);
    await q(`DROP FUNCTION "audit_log_chain_step"()`);
    await q(`DROP TRIGGER "audit_log_append_only" ON "audit_log"`);
    // The old schema has no place for a record not yet chained: start the service once to chain them.
    await q(`DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM "audit_log" WHERE "seq" IS NULL) THEN
        RAISE EXCEPTION 'audit_log has records not yet chained: start the service to chain them, then revert';
      END IF; END $$`);
    await q(`DROP SEQUENCE "audit_log_insertion_seq"`);
    await q(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_mac_from_v2"`);
    await q(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_chained_whole"`);
    await q(`DROP INDEX "audit_log_actor_office_idx"`);
    await q(`CREATE INDEX "audit_log_actor_office_idx" ON "audit_log" ("actor_office_id", "seq")`);
    await q(`DROP INDEX "audit_log_pending_idx"`);
    await q(`DROP INDEX "audit_log_seq_key"`);
    await q(`ALTER TABLE "audit_log" ALTER "hash" SET NOT NULL`);
    await q(`ALTER TABLE "audit_log" ALTER "prev_hash" SET NOT NULL`);
    await q(`ALTER TABLE "audit_log" ALTER "seq" SET NOT NULL`);
    await q(`ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_pkey"`);
    await q(
      `ALTER TABLE "audit_log" ADD CONSTRAINT "PK_ce5b9b7d945cab0a6c604bafd9e" PRIMARY KEY ("seq")`,
    );
    await q(`ALTER TABLE "audit_log" DROP COLUMN "mac"`);
    await q(`ALTER TABLE "audit_log" DROP COLUMN "insertion"`);
    await q(`CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
      FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_refuse_change"()`);
  }
}
