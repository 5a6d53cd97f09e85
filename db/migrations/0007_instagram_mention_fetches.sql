CREATE TABLE "instagram_mention_fetches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organization_id" uuid NOT NULL,
	"connection_id" uuid NOT NULL,
	"account_id" text NOT NULL,
	"media_id" text NOT NULL,
	"comment_id" text DEFAULT '' NOT NULL,
	"notified_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_attempt_at" timestamp with time zone,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fetched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instagram_mention_fetches" ADD CONSTRAINT "instagram_mention_fetches_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instagram_mention_fetches" ADD CONSTRAINT "instagram_mention_fetches_connection_id_channel_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."channel_connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instagram_mention_fetches_dedupe" ON "instagram_mention_fetches" USING btree ("organization_id","connection_id","media_id","comment_id");--> statement-breakpoint
CREATE INDEX "instagram_mention_fetches_due" ON "instagram_mention_fetches" USING btree ("status","next_attempt_at");