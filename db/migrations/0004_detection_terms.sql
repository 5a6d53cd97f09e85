CREATE TABLE "detection_terms" (
	"organization_id" uuid NOT NULL,
	"term" text NOT NULL,
	"recent" double precision NOT NULL,
	"baseline" double precision NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"flagged" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "detection_terms_organization_id_term_pk" PRIMARY KEY("organization_id","term")
);
--> statement-breakpoint
ALTER TABLE "detection_terms" ADD CONSTRAINT "detection_terms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;