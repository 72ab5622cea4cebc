CREATE TABLE "case_archives" (
	"protocol" text PRIMARY KEY NOT NULL,
	"revision" integer NOT NULL,
	"view" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
