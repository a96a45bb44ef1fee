-- table comments is dropped
ALTER TABLE "public"."comments" DROP CONSTRAINT "comments_author_id_users_id_fk";
--> statement-breakpoint
-- table comments is dropped
ALTER TABLE "public"."comments" DROP CONSTRAINT "comments_post_id_posts_id_fk";
--> statement-breakpoint
-- table post_tags is dropped
ALTER TABLE "public"."post_tags" DROP CONSTRAINT "post_tags_post_id_posts_id_fk";
--> statement-breakpoint
-- table post_tags is dropped
ALTER TABLE "public"."post_tags" DROP CONSTRAINT "post_tags_tag_id_tags_id_fk";
--> statement-breakpoint
-- table posts is dropped
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_user_id_users_id_fk";
--> statement-breakpoint
-- hazard data-loss: table "public"."comments" and all its rows are dropped
-- hazard irreversible: the down migration recreates "public"."comments" empty
-- hazard breaks-running-code: code using table "public"."comments" fails
DROP TABLE "public"."comments";
--> statement-breakpoint
-- hazard data-loss: table "public"."post_tags" and all its rows are dropped
-- hazard irreversible: the down migration recreates "public"."post_tags" empty
-- hazard breaks-running-code: code using table "public"."post_tags" fails
DROP TABLE "public"."post_tags";
--> statement-breakpoint
-- hazard data-loss: table "public"."posts" and all its rows are dropped
-- hazard irreversible: the down migration recreates "public"."posts" empty
-- hazard breaks-running-code: code using table "public"."posts" fails
DROP TABLE "public"."posts";
--> statement-breakpoint
-- hazard data-loss: table "public"."tags" and all its rows are dropped
-- hazard irreversible: the down migration recreates "public"."tags" empty
-- hazard breaks-running-code: code using table "public"."tags" fails
DROP TABLE "public"."tags";
--> statement-breakpoint
-- hazard data-loss: table "public"."users" and all its rows are dropped
-- hazard irreversible: the down migration recreates "public"."users" empty
-- hazard breaks-running-code: code using table "public"."users" fails
DROP TABLE "public"."users";
--> statement-breakpoint
DROP TYPE "public"."post_status";
--> statement-breakpoint
DROP TYPE "public"."user_role";
