ALTER TABLE "customers" ALTER COLUMN "agitator" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "mentions" ALTER COLUMN "metrics" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "mentions" ALTER COLUMN "priority_breakdown" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "mentions" ALTER COLUMN "priority_breakdown" SET DEFAULT '[]'::json;--> statement-breakpoint
ALTER TABLE "mentions" ALTER COLUMN "raw" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "priority_breakdown" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "priority_breakdown" SET DEFAULT '[]'::json;