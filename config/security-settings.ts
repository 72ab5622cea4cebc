// Security rules (Administração → Regras de segurança, issue 10 item 1): the `security.*` keys of the
// settings store (config/settings.ts spreads them in). Applied by api/auth/policy.ts (passwords),
// api/auth/session.ts (session lifetime, two-factor required for admins) and api/auth/sign-in.ts
// (per-account throttling).
import { z } from 'zod';

const whole = (min: number, max: number, unit: string) =>
  z
    .number({ error: `Informe um número de ${unit}.` })
    .int({ error: `Informe um número inteiro de ${unit}.` })
    .min(min, { error: `O mínimo é ${min} ${unit}.` })
    .max(max, { error: `O máximo é ${max} ${unit}.` });
const flag = z.boolean({ error: 'Valor inválido.' });

export const securitySettingsShape = {
  /** Shortest password accepted (characters); 8 is also better-auth's floor. */
  'security.passwordMinLength': whole(8, 128, 'caracteres'),
  /** Passwords must mix letters and digits. */
  'security.passwordRequireMixed': flag,
  /** A session ends this many hours after sign-in, whatever the activity. */
  'security.sessionHours': whole(1, 720, 'horas'),
  /** Failed sign-ins of one account (any IP) before it is locked for `signInLockMinutes`. */
  'security.signInMaxFailures': whole(3, 100, 'tentativas'),
  'security.signInLockMinutes': whole(1, 1440, 'minutos'),
  /** Two-factor sign-in (TOTP): staff may enrol; admins must before using the product. */
  'security.twoFactor': flag,
} satisfies Record<string, z.ZodType>;

export const securitySettingsDefaults = {
  'security.passwordMinLength': 8,
  'security.passwordRequireMixed': false,
  'security.sessionHours': 12,
  'security.signInMaxFailures': 5,
  'security.signInLockMinutes': 15,
  'security.twoFactor': false,
};
