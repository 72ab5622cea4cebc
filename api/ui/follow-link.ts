// GET /acompanhar/:protocol/link?t=<token> — the signed follow link of the citizen's e-mails
// (activities/email/follow-link.ts). A valid link grants the same signed `ouvidor_follow` cookie as the
// follow form (api/ui/follow-access.ts) and redirects to the case page; an invalid or expired one shows
// the follow form with the reason. Rate-limited; the token never reaches another site (no-referrer).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { type FollowTokenCheck, verifyFollowToken } from '../../activities/email/follow-link.ts';
import { caseCitizenEmail } from '../../db/queries/case-reporters.ts';
import { isProtocol } from '../../db/queries/protocols.ts';
import { translator } from '../../views/i18n.ts';
import { emailContext } from '../inbound/context.ts';
import { limit } from '../rate-limit.ts';
import type { AppEnv } from '../types.ts';
import { grantFollowAccess, isStaffSession } from './follow-access.ts';
import { languageOf, render } from './render.ts';

export const followLinkPages = new Hono<AppEnv>();

const citizenActions = ['aceitar', 'recusar', 'avaliar'];

const messages: Record<Exclude<FollowTokenCheck, 'valid'>, Record<'pt-BR' | 'en', string>> = {
  invalid: {
    'pt-BR':
      'Este link de acompanhamento não é válido (talvez tenha sido copiado pela metade). Informe o protocolo e o código de acesso, ou use o link de um e-mail da ouvidoria.',
    en: 'This follow link is not valid (it may have been copied only in part). Enter the protocol and the access code, or use the link of an e-mail from the ombudsman office.',
  },
  expired: {
    'pt-BR':
      'Este link de acompanhamento expirou (vale por 90 dias). Use o link de um e-mail mais recente da ouvidoria, ou informe o protocolo e o código de acesso.',
    en: 'This follow link has expired (links are valid for 90 days). Use the link of a more recent e-mail from the ombudsman office, or enter the protocol and the access code.',
  },
};

async function check(c: Context<AppEnv>, protocol: string, token: string): Promise<FollowTokenCheck> {
  if (!isProtocol(protocol) || !token) return 'invalid';
  const email = await caseCitizenEmail(c.var.deps.db, protocol);
  return verifyFollowToken(emailContext(c.var.deps).mail.secret, token, protocol, email);
}

followLinkPages.get('/acompanhar/:protocol/link', limit('follow-link', 30), async (c) => {
  const protocol = c.req.param('protocol').trim().toUpperCase();
  const token = (c.req.query('t') ?? '').trim().toLowerCase();
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  if (isStaffSession(c)) {
    const values = { protocol: isProtocol(protocol) ? protocol : '' };
    return render(c, 'follow', { title: 'follow.title', values, error: 'citizen.staffSession' }, 403);
  }
  const result = await check(c, protocol, token);
  if (result !== 'valid') {
    const lang = languageOf(c);
    // i18n keys when the UI dictionary has them; these sentences otherwise.
    const error = translator(lang)(`follow.link.${result}`, messages[result][lang]);
    const values = { protocol: isProtocol(protocol) ? protocol : '' };
    return render(c, 'follow', { title: 'follow.title', values, error }, result === 'expired' ? 410 : 403);
  }
  await grantFollowAccess(c, protocol);
  const action = c.req.query('acao');
  const query = action && citizenActions.includes(action) ? `?acao=${action}` : '';
  return c.redirect(`/acompanhar/${protocol}${query}`, 303);
});
