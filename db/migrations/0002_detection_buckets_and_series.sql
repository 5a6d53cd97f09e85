CREATE TABLE "detection_buckets" (
	"organization_id" uuid NOT NULL,
	"series_key" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"observed" real NOT NULL,
	"expected" real NOT NULL,
	"upper" real NOT NULL
);
--> statement-breakpoint
CREATE TABLE "detection_series" (
	"organization_id" uuid NOT NULL,
	"series_key" text NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "detection_buckets" ADD CONSTRAINT "detection_buckets_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "detection_series" ADD CONSTRAINT "detection_series_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "detection_buckets_pk" ON "detection_buckets" USING btree ("organization_id","series_key","bucket_start");--> statement-breakpoint
CREATE INDEX "detection_buckets_time" ON "detection_buckets" USING btree ("organization_id","bucket_start");--> statement-breakpoint
CREATE UNIQUE INDEX "detection_series_pk" ON "detection_series" USING btree ("organization_id","series_key");