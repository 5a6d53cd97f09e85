ALTER TABLE "organization_settings" ADD COLUMN "default_calling_code" text;--> statement-breakpoint
-- A phone connection could carry the code among its secrets (never settable from the form): it becomes the organization's.
INSERT INTO "organization_settings" ("organization_id", "default_calling_code")
SELECT DISTINCT ON ("organization_id") "organization_id", "secrets"->>'defaultCallingCode'
FROM "channel_connections"
WHERE "channel" = 'phone' AND "secrets"->>'defaultCallingCode' ~ '^[1-9][0-9]{0,2}$'
ORDER BY "organization_id", "created_at"
ON CONFLICT ("organization_id") DO UPDATE SET "default_calling_code" = excluded."default_calling_code"
WHERE "organization_settings"."default_calling_code" IS NULL;
