ALTER TABLE "customer_identities" DROP CONSTRAINT "customer_identities_organization_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "customer_identities" DROP CONSTRAINT "customer_identities_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "mentions" DROP CONSTRAINT "mentions_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "tickets" DROP CONSTRAINT "tickets_customer_id_customers_id_fk";
--> statement-breakpoint
-- The foreign keys below need the unique index first (drizzle-kit wrote it last).
CREATE UNIQUE INDEX "customers_org_id" ON "customers" USING btree ("organization_id","id");--> statement-breakpoint
DROP INDEX "customers_org";--> statement-breakpoint
ALTER TABLE "customer_identities" ADD CONSTRAINT "customer_identities_customer_fk" FOREIGN KEY ("organization_id","customer_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_customer_fk" FOREIGN KEY ("organization_id","customer_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_customer_fk" FOREIGN KEY ("organization_id","customer_id") REFERENCES "public"."customers"("organization_id","id") ON DELETE no action ON UPDATE no action;
