CREATE TYPE "public"."post_status" AS ENUM ('draft', 'published', 'archived');
--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM ('member', 'moderator', 'admin');
--> statement-breakpoint
CREATE TABLE "public"."comments" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "post_id" uuid NOT NULL,
  "author_id" uuid,
  "body" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "comments_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE TABLE "public"."post_tags" (
  "post_id" uuid NOT NULL,
  "tag_id" integer NOT NULL,
  CONSTRAINT "post_tags_post_id_tag_id_pk" PRIMARY KEY ("post_id", "tag_id")
);
--> statement-breakpoint
CREATE TABLE "public"."posts" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "user_id" uuid NOT NULL,
  "title" character varying(200) NOT NULL,
  "body" text DEFAULT '' NOT NULL,
  "status" "public"."post_status" DEFAULT 'draft' NOT NULL,
  "views" integer DEFAULT 0 NOT NULL,
  "published_at" timestamp with time zone,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE TABLE "public"."tags" (
  "id" integer GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "public"."tags_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE) NOT NULL,
  "slug" character varying(64) NOT NULL,
  CONSTRAINT "tags_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "tags_slug_unique" UNIQUE ("slug")
);
--> statement-breakpoint
CREATE TABLE "public"."users" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "username" character varying(100) NOT NULL,
  "email" character varying(255) NOT NULL,
  "name" text,
  "role" "public"."user_role" DEFAULT 'member' NOT NULL,
  "active" boolean DEFAULT true NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "users_username_unique" UNIQUE ("username")
);
--> statement-breakpoint
CREATE INDEX "comments_post_id_idx" ON "public"."comments" USING btree ("post_id");
--> statement-breakpoint
CREATE INDEX "posts_status_index" ON "public"."posts" USING btree ("status");
--> statement-breakpoint
CREATE INDEX "posts_user_id_created_at_idx" ON "public"."posts" USING btree ("user_id", "created_at" DESC NULLS LAST);
--> statement-breakpoint
CREATE INDEX "users_email_idx" ON "public"."users" USING btree ("email");
--> statement-breakpoint
ALTER TABLE "public"."comments" ADD CONSTRAINT "comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id") ON DELETE SET NULL;
--> statement-breakpoint
ALTER TABLE "public"."comments" ADD CONSTRAINT "comments_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."post_tags" ADD CONSTRAINT "post_tags_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."post_tags" ADD CONSTRAINT "post_tags_tag_id_tags_id_fk" FOREIGN KEY ("tag_id") REFERENCES "public"."tags" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE;
