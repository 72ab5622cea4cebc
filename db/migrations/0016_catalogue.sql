CREATE TABLE "attendant_group_members" (
	"group_code" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "attendant_group_members_group_code_user_id_pk" PRIMARY KEY("group_code","user_id")
);
--> statement-breakpoint
CREATE TABLE "attendant_groups" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cost_centres" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"code" text PRIMARY KEY NOT NULL,
	"topic_code" text NOT NULL,
	"label_pt" text NOT NULL,
	"label_en" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opening_reasons" (
	"code" text PRIMARY KEY NOT NULL,
	"label_pt" text NOT NULL,
	"label_en" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "priority_labels" (
	"code" text PRIMARY KEY NOT NULL,
	"label_pt" text NOT NULL,
	"label_en" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"colour" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "priority_labels_code_check" CHECK ("priority_labels"."code" in ('low', 'normal', 'high', 'urgent')),
	CONSTRAINT "priority_labels_colour_check" CHECK ("priority_labels"."colour" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
CREATE TABLE "rating_scales" (
	"stage" text PRIMARY KEY NOT NULL,
	"question_pt" text NOT NULL,
	"question_en" text NOT NULL,
	"labels_pt" jsonb NOT NULL,
	"labels_en" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_scales_stage_check" CHECK ("rating_scales"."stage" in ('partial', 'final'))
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" text PRIMARY KEY NOT NULL,
	"group_code" text NOT NULL,
	"kind" text,
	"topic_code" text,
	"item_code" text,
	"channel" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_labels" (
	"code" text PRIMARY KEY NOT NULL,
	"label_pt" text NOT NULL,
	"label_en" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"label_pt" text NOT NULL,
	"label_en" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "manifestations" ADD COLUMN "group_code" text;--> statement-breakpoint
ALTER TABLE "units" ADD COLUMN "cost_centre_code" text;--> statement-breakpoint
ALTER TABLE "attendant_group_members" ADD CONSTRAINT "attendant_group_members_group_code_attendant_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."attendant_groups"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attendant_group_members" ADD CONSTRAINT "attendant_group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "items" ADD CONSTRAINT "items_topic_code_topics_code_fk" FOREIGN KEY ("topic_code") REFERENCES "public"."topics"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_group_code_attendant_groups_code_fk" FOREIGN KEY ("group_code") REFERENCES "public"."attendant_groups"("code") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attendant_group_members_user_idx" ON "attendant_group_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "items_topic_idx" ON "items" USING btree ("topic_code","position");--> statement-breakpoint
CREATE INDEX "routing_rules_group_idx" ON "routing_rules" USING btree ("group_code");--> statement-breakpoint
CREATE INDEX "topics_kind_idx" ON "topics" USING btree ("kind","position");--> statement-breakpoint
CREATE INDEX "manifestations_group_idx" ON "manifestations" USING btree ("group_code","status");--> statement-breakpoint
-- Catalogue defaults (issue 10): administered afterwards in /painel/admin; codes are stable.
INSERT INTO "topics" ("code", "kind", "label_pt", "label_en", "position") VALUES
  ('atendimento', 'complaint', 'Atendimento ao público', 'Public service', 1),
  ('obras-vias', 'complaint', 'Obras e vias públicas', 'Public works and roads', 2),
  ('saude', 'complaint', 'Saúde', 'Health', 3),
  ('conduta-servidor', 'report', 'Conduta de servidor', 'Staff conduct', 1),
  ('irregularidade-obra', 'report', 'Irregularidade em obra', 'Irregular construction', 2),
  ('elogio-atendimento', 'praise', 'Atendimento', 'Service', 1),
  ('melhoria-servicos', 'suggestion', 'Melhoria de serviços', 'Service improvement', 1),
  ('limpeza-urbana', 'request', 'Limpeza urbana', 'Street cleaning', 1),
  ('iluminacao', 'request', 'Iluminação pública', 'Street lighting', 2),
  ('acesso-informacao', 'information', 'Acesso à informação', 'Access to information', 1)
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "items" ("code", "topic_code", "label_pt", "label_en", "position") VALUES
  ('demora-atendimento', 'atendimento', 'Demora no atendimento', 'Slow service', 1),
  ('buraco-via', 'obras-vias', 'Buraco na via', 'Pothole', 1),
  ('calcada', 'obras-vias', 'Calçada danificada', 'Damaged sidewalk', 2),
  ('ubs', 'saude', 'Unidade básica de saúde', 'Primary care clinic', 1),
  ('conduta-inadequada', 'conduta-servidor', 'Conduta inadequada', 'Misconduct', 1),
  ('coleta-lixo', 'limpeza-urbana', 'Coleta de lixo', 'Garbage collection', 1),
  ('poda-arvore', 'limpeza-urbana', 'Poda de árvore', 'Tree pruning', 2),
  ('lampada-apagada', 'iluminacao', 'Lâmpada apagada', 'Street light out', 1),
  ('pedido-lai', 'acesso-informacao', 'Pedido de informação (LAI)', 'Freedom of information request', 1)
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "opening_reasons" ("code", "label_pt", "label_en", "position") VALUES
  ('primeiro-contato', 'Primeiro contato', 'First contact', 1),
  ('problema-recorrente', 'Problema recorrente', 'Recurring problem', 2),
  ('sem-resposta-orgao', 'Sem resposta do órgão', 'No answer from the department', 3),
  ('insatisfacao-resposta', 'Insatisfação com resposta anterior', 'Unhappy with an earlier answer', 4)
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "priority_labels" ("code", "label_pt", "label_en", "position", "colour") VALUES
  ('urgent', 'Urgente', 'Urgent', 1, '#b42318'),
  ('high', 'Alta', 'High', 2, '#b54708'),
  ('normal', 'Normal', 'Normal', 3, '#175cd3'),
  ('low', 'Baixa', 'Low', 4, '#475467')
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "status_labels" ("code", "label_pt", "label_en") VALUES
  ('received', 'Nova', 'New'),
  ('in_progress', 'Em atendimento', 'In progress'),
  ('forwarded', 'Encaminhada', 'Forwarded'),
  ('awaiting_citizen', 'Aguardando complementação', 'Awaiting citizen'),
  ('answered', 'Respondida', 'Answered'),
  ('closed', 'Encerrada', 'Closed'),
  ('approved', 'Aprovada', 'Approved'),
  ('archived', 'Arquivada', 'Archived')
ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "rating_scales" ("stage", "question_pt", "question_en", "labels_pt", "labels_en") VALUES
  ('partial', 'Como você avalia o atendimento até agora?', 'How do you rate the service so far?',
   '["Muito ruim", "Ruim", "Regular", "Bom", "Excelente"]', '["Very poor", "Poor", "Fair", "Good", "Excellent"]'),
  ('final', 'Como você avalia a resposta da ouvidoria?', 'How do you rate the ombudsman''s answer?',
   '["Muito ruim", "Ruim", "Regular", "Bom", "Excelente"]', '["Very poor", "Poor", "Fair", "Good", "Excellent"]')
ON CONFLICT DO NOTHING;
