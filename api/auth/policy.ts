// Password policy (security.* settings): the rules every password set through the product passes —
// the invitation/reset page and the own password change. better-auth keeps its own floor (8) and
// ceiling (128); these rules can only be stricter.
import type { Settings } from '../../config/settings.ts';

/** pt-BR messages for what `password` lacks under the current settings; empty = acceptable. */
export function passwordProblems(settings: Settings, password: string): string[] {
  const problems: string[] = [];
  const min = settings['security.passwordMinLength'];
  if (password.length < min) problems.push(`A senha precisa ter pelo menos ${min} caracteres.`);
  if (password.length > 128) problems.push('A senha pode ter no máximo 128 caracteres.');
  if (settings['security.passwordRequireMixed'] && !(/\p{L}/u.test(password) && /\p{N}/u.test(password)))
    problems.push('A senha precisa misturar letras e números.');
  return problems;
}

/** A short description of the policy for the forms ("mínimo de 10 caracteres, com letras e números"). */
export function passwordRuleText(settings: Settings): string {
  const min = settings['security.passwordMinLength'];
  return settings['security.passwordRequireMixed']
    ? `Mínimo de ${min} caracteres, misturando letras e números.`
    : `Mínimo de ${min} caracteres.`;
}
