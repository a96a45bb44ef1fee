-- hazard data-loss: column "public"."users"."phone_number" and its values are dropped
-- hazard irreversible: the down migration adds "public"."users"."phone_number" back empty
-- hazard breaks-running-code: code using column "public"."users"."phone_number" fails
ALTER TABLE "public"."users" DROP COLUMN "phone_number";
