ALTER TABLE "channel_connections" ADD COLUMN "receiving_mail_server" text;--> statement-breakpoint
-- Backfill: the simulator's own email connections trust the simulator's mail server, whose headers the drills write.
UPDATE "channel_connections" SET "receiving_mail_server" = 'mx.simulator.stormdesk.example' WHERE "channel" = 'email' AND "name" = 'Simulator (drills)';
