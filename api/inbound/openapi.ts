// OpenAPI paths of the e-mail doors (/inbound), the staff mail log, attachments and the notification
// rules; spread into the document of api/openapi.ts. Bodies come from the same zod schemas.

import { notificationRuleBodySchema } from '../admin/notification-rules.ts';
import {
  bearerSecurity as bearer,
  errorResponses as errors,
  idempotencyKeyParam,
  jsonBody as json,
  pathParam as path,
  pendingResponse,
} from '../openapi-parts.ts';

const header = (name: string, description: string, required = false) => ({
  name,
  in: 'header',
  required,
  description,
  schema: { type: 'string' },
});

const receiveResult = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'Inbound message id (mail log)' },
    status: {
      type: 'string',
      enum: ['received', 'created', 'threaded', 'ignored', 'dead_letter', 'rejected', 'held'],
    },
    duplicate: { type: 'boolean', description: 'Same Message-ID already stored: nothing else happened' },
    protocol: { type: ['string', 'null'], description: 'Case the message opened or was threaded into' },
    error: {
      type: ['string', 'null'],
      description: 'For a dead letter: why it was not processed (pt-BR); staff can replay it',
    },
  },
};

const recipientsObject = {
  type: 'object',
  properties: Object.fromEntries(
    ['citizen', 'assignee', 'group', 'unit', 'ombudsman'].map((r) => [r, { type: 'boolean' }]),
  ),
};

/** The dead-letter and held lists share their query and answer. */
const inboundMessageList = {
  parameters: [
    {
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    },
  ],
  responses: {
    200: {
      description:
        '{items: [{id, messageId, door, receivedAt, fromAddress, fromRole, subject, error, attempts, protocol}]}: ' +
        "a message threaded to a case shows its sender, subject and error as that case's mail log does (a " +
        'preserved identity hides the sender as "remetente externo")',
    },
    ...errors(401, 403),
  },
};

export const emailOpenApiPaths = {
  '/inbound/mime': {
    post: {
      summary: 'Inbound e-mail door for MTA pipes (Postfix, Haraka): one raw RFC 822 message',
      description:
        'Stored first (de-duplicated on Message-ID), then threaded into a case (signed reply+token address, ' +
        'In-Reply-To/References, protocol in the subject from a participant) or, addressed to the intake ' +
        'address, opens a new manifestação. Auto-replies, bounces and bulk mail are kept but never answered. ' +
        'Anything that cannot be processed becomes a dead letter (202 with status dead_letter). Body limit: ' +
        'INBOUND_MAX_BYTES.',
      security: [{ inboundSecret: [] }],
      parameters: [
        header('X-Envelope-From', 'SMTP MAIL FROM of the delivery (empty = null sender)'),
        header('X-Envelope-To', 'SMTP RCPT TO addresses, comma-separated'),
      ],
      requestBody: {
        required: true,
        content: { 'message/rfc822': { schema: { type: 'string', format: 'binary' } } },
      },
      responses: {
        202: {
          description: 'Stored and processed',
          content: { 'application/json': { schema: receiveResult } },
        },
        200: {
          description: 'Duplicate delivery (same Message-ID): nothing changed',
          content: { 'application/json': { schema: receiveResult } },
        },
        ...errors(401, 413, 422, 503),
      },
    },
  },
  '/inbound/resend': {
    post: {
      summary: 'Resend `email.received` webhook',
      description:
        'Signature checked (Standard Webhooks / svix headers, RESEND_WEBHOOK_SECRET); the message and its ' +
        'attachments are fetched through the Resend API and run through the same pipeline as the other doors. ' +
        'Other event types are acknowledged and ignored.',
      parameters: [
        header('svix-id', 'Webhook message id (or webhook-id)', true),
        header('svix-timestamp', 'Unix seconds (or webhook-timestamp)', true),
        header('svix-signature', 'v1,<base64 HMAC> (or webhook-signature)', true),
      ],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              properties: {
                type: { type: 'string', example: 'email.received' },
                data: {
                  type: 'object',
                  properties: { email_id: { type: 'string' }, message_id: { type: 'string' } },
                },
              },
            },
          },
        },
      },
      responses: {
        200: { description: '{result} (or {ignored: eventType})' },
        ...errors(401, 413, 503),
      },
    },
  },
  '/api/v1/inbound/dead-letters': {
    get: {
      summary: 'Inbound messages that could not be processed, newest first (admin, ombudsman, attendant)',
      security: bearer,
      ...inboundMessageList,
    },
  },
  '/api/v1/inbound/held': {
    get: {
      summary: 'Messages held by the loop limits across cases, newest first (admin, ombudsman, attendant)',
      description:
        'A message that would open a case beyond MAIL_LOOP_MAX_NEW_CASES_PER_SENDER / _PER_DOMAIN, or the ' +
        'MAIL_LOOP_MAX_REPEATS-th with the same sender and subject pattern within MAIL_LOOP_WINDOW_MINUTES, is ' +
        'stored and held; `error` says why.',
      security: bearer,
      ...inboundMessageList,
    },
  },
  '/api/v1/inbound/{id}/release': {
    post: {
      summary: 'Process a held message as usual, past the loop limits (admin, ombudsman, attendant)',
      security: bearer,
      parameters: [path('id', '3f1c…', 'Inbound message id')],
      responses: {
        200: { description: '{id, status, duplicate, protocol, error, actions}' },
        ...errors(401, 403, 404, 409),
      },
    },
  },
  '/api/v1/inbound/{id}/replay': {
    post: {
      summary: 'Process a dead letter again (admin, ombudsman, attendant)',
      description: 'Idempotent: attachments and a case opened by an earlier attempt are reused.',
      security: bearer,
      parameters: [path('id', '3f1c…', 'Inbound message id')],
      responses: {
        200: { description: '{id, status, duplicate, protocol, error, actions}' },
        ...errors(401, 403, 404, 409),
      },
    },
  },
  '/api/v1/manifestations/{protocol}/emails': {
    get: {
      summary:
        'Every inbound and outbound message of a case, and its attachments (staff who may see the case)',
      description:
        'Message-ID, In-Reply-To, Reply-To, SPF/DKIM/DMARC results, delivery status and what was done with each ' +
        'message. Units never see a preserved reporter’s address.',
      security: bearer,
      parameters: [path('protocol', 'OUV-2026-000123', 'Case protocol')],
      responses: {
        200: { description: '{protocol, inbound: [...], outbound: [...], attachments: [...]}' },
        ...errors(401, 403, 404),
      },
    },
  },
  '/api/v1/manifestations/{protocol}/emails/{id}/resend': {
    post: {
      summary: 'Resend an outbound message left uncertain (incerto) or failed (office staff)',
      description:
        'Sends the stored message once more (same Message-ID). With an Idempotency-Key a retried request ' +
        'answers the first result and never sends twice; 409 not_resendable when the message is sent already.',
      security: bearer,
      parameters: [
        path('protocol', 'OUV-2026-000123', 'Case protocol'),
        path('id', '3f1c…', 'Outbound message id (mail log)'),
        idempotencyKeyParam,
      ],
      responses: {
        200: { description: '{id, status, resent: true}' },
        ...errors(401, 403, 404, 409, 422),
        ...pendingResponse,
      },
    },
  },
  '/api/v1/attachments/{id}': {
    get: {
      summary: 'Download an attachment (staff who may see the case, or its citizen with X-Access-Code)',
      description: 'Always a download: Content-Disposition attachment, X-Content-Type-Options nosniff.',
      security: [{ bearer: [] }, { accessCode: [] }],
      parameters: [path('id', '3f1c…', 'Attachment id')],
      responses: {
        200: {
          description: 'The file',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        ...errors(401, 404, 429),
      },
    },
  },
  '/api/v1/attachments/{id}/preview': {
    get: {
      summary: 'A JPEG preview of a HEIC/HEIF photo (same access as the download)',
      description:
        'Made once in the worker pool (time and memory budget as for mail parsing) and kept beside the original, which is never changed. 404 for files without a preview.',
      security: [{ bearer: [] }, { accessCode: [] }],
      parameters: [path('id', '3f1c…', 'Attachment id')],
      responses: {
        200: {
          description: 'The preview',
          content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
        },
        ...errors(401, 404, 422, 429),
      },
    },
  },
  '/api/v1/admin/notification-rules': {
    get: {
      summary: 'Which timeline events e-mail whom (admin)',
      security: bearer,
      responses: {
        200: {
          description: 'Every event type with its five recipients on/off',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  recipients: { type: 'array', items: { type: 'string' } },
                  items: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { eventType: { type: 'string' }, recipients: recipientsObject },
                    },
                  },
                },
              },
            },
          },
        },
        ...errors(401, 403),
      },
    },
  },
  '/api/v1/admin/notification-rules/{eventType}': {
    put: {
      summary: 'Switch the recipients of one event type on or off (admin; audited)',
      description: 'Omitted recipients keep their setting. Applies to the next message sent.',
      security: bearer,
      parameters: [path('eventType', 'answered', 'Timeline event type')],
      requestBody: json(notificationRuleBodySchema),
      responses: {
        200: {
          description: '{eventType, recipients}',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { eventType: { type: 'string' }, recipients: recipientsObject },
              },
            },
          },
        },
        ...errors(400, 401, 403, 422),
      },
    },
  },
};
