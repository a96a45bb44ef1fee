ALTER TABLE "public"."users" ADD COLUMN "phone_number" character varying(20);
