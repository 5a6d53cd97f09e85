ALTER TABLE "channel_connections" ADD COLUMN "trust_caller_id" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Backfill: phone connections made before the setting took every caller id as given; they keep doing so (the Channels
-- page warns) rather than splitting their callers from their history overnight. The simulator's attest their calls.
UPDATE "channel_connections" SET "trust_caller_id" = true WHERE "channel" = 'phone' AND "name" <> 'Simulator (drills)';
