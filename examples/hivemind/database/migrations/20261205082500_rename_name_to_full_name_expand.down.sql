DROP TRIGGER IF EXISTS "strata_sync_users" ON "public"."users";
--> statement-breakpoint
-- strata:ignore drop-object the sync function of a multi-step change: only its trigger used it
DROP FUNCTION IF EXISTS "public"."strata_sync_users"();
--> strata:part
-- part 2: the schema change, in one transaction
-- hazard data-loss: column "public"."users"."full_name" and its values are dropped
-- hazard irreversible: the down migration adds "public"."users"."full_name" back empty
-- hazard breaks-running-code: code using column "public"."users"."full_name" fails
ALTER TABLE "public"."users" DROP COLUMN "full_name";
