ALTER TABLE "public"."users" ADD COLUMN "full_name" text;
--> strata:part
-- part 2: the sync trigger: rows written by the old or the new code get both columns
-- keeps "name" and "full_name" of "public"."users" in sync until the contract migration
CREATE OR REPLACE FUNCTION "public"."strata_sync_users"() RETURNS trigger LANGUAGE plpgsql AS $strata$
BEGIN
  -- name <-> full_name
  IF TG_OP = 'INSERT' THEN
    IF NEW."full_name" IS NULL THEN NEW."full_name" := NEW."name"; ELSE NEW."name" := NEW."full_name"; END IF;
  ELSIF NEW."full_name" IS DISTINCT FROM OLD."full_name" THEN
    NEW."name" := NEW."full_name";
  ELSIF NEW."name" IS DISTINCT FROM OLD."name" THEN
    NEW."full_name" := NEW."name";
  ELSIF NEW."full_name" IS NULL AND NEW."name" IS NOT NULL THEN
    NEW."full_name" := NEW."name";
  END IF;
  RETURN NEW;
END
$strata$;
--> statement-breakpoint
CREATE TRIGGER "strata_sync_users" BEFORE INSERT OR UPDATE ON "public"."users" FOR EACH ROW EXECUTE FUNCTION "public"."strata_sync_users"();
--> strata:part no-transaction
-- part 3: the backfill: existing rows get the new columns, one batch of pages per transaction (resumable)
-- fill "public"."users"."full_name" of the existing rows
DO $strata$
#variable_conflict use_column
DECLARE
  strata_lo bigint := 0;
  strata_pages bigint := pg_relation_size('"public"."users"'::regclass) / current_setting('block_size')::bigint;
  strata_app text := current_setting('application_name');
  strata_rel text := '"public"."users"'::regclass::oid::text;
BEGIN
  PERFORM set_config('application_name', 'strata backfill ' || '0% ' || strata_rel, false);
  WHILE strata_lo < strata_pages LOOP
    UPDATE "public"."users" SET "full_name" = "name" WHERE ctid >= format('(%s,0)', strata_lo)::tid AND ctid < format('(%s,0)', strata_lo + 200)::tid AND "full_name" IS NULL AND "name" IS NOT NULL;
    COMMIT;
    strata_lo := strata_lo + 200;
    PERFORM set_config('application_name', 'strata backfill ' || least(99, strata_lo * 100 / greatest(strata_pages, 1))::text || '% ' || strata_rel, false);
  END LOOP;
  PERFORM set_config('application_name', strata_app, false);
END
$strata$;
