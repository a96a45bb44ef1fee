DROP TRIGGER IF EXISTS "strata_sync_users" ON "public"."users";
--> statement-breakpoint
-- strata:ignore drop-object the sync function of a multi-step change: only its trigger used it
DROP FUNCTION IF EXISTS "public"."strata_sync_users"();
--> statement-breakpoint
-- strata:ignore drop-column,rename-column the contract of a multi-step change: the code in production no longer uses the old column
-- hazard data-loss: column "public"."users"."name" and its values are dropped
-- hazard irreversible: the down migration adds "public"."users"."name" back empty
-- hazard breaks-running-code: code using column "public"."users"."name" fails
ALTER TABLE "public"."users" DROP COLUMN "name";
