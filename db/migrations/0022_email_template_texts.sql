CREATE TABLE "email_template_texts" (
	"template" text NOT NULL,
	"lang" text NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	CONSTRAINT "email_template_texts_template_lang_pk" PRIMARY KEY("template","lang")
);
