// Issue 11 item 5: with `features.citizenAccounts` off (Regras gerais) the account pages say the feature is
// off and send no link; following a case by protocol + access code keeps working without an account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devSignInLink } from '../../api/account/mail.ts';
import { writeSettings } from '../../db/queries/settings.ts';
import { json, newManifestation, startTestOuvidor, type TestOuvidor } from '../support/harness.ts';
import { pageClient } from '../ui/support.ts';

let t: TestOuvidor;

beforeAll(async () => {
  t = await startTestOuvidor();
});
afterAll(async () => t?.stop());

describe('citizen accounts switched off', () => {
  it('says so on the account pages, sends no link, and the access code still opens the case', async () => {
    const filed = await json<{ protocol: string; accessCode: string }>(
      t.app.request('/api/v1/manifestations', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newManifestation()),
      }),
    );
    await writeSettings(t.db, { id: 'test' }, { 'features.citizenAccounts': false });
    const pages = pageClient(t);
    const page = await (await pages.get('/conta/entrar')).text();
    expect(page).toContain('id="account-off"');
    expect(page).toContain('desativadas');
    const email = `off-${Date.now()}@example.org`;
    const post = await pages.post('/conta/entrar', { email });
    expect(await post.text()).toContain('id="account-off"');
    expect(devSignInLink(email)).toBeUndefined();
    const follow = await pages.post('/acompanhar', {
      protocol: filed.body.protocol,
      accessCode: filed.body.accessCode,
    });
    expect(follow.status).toBe(303);
    expect(follow.headers.get('location')).toBe(`/acompanhar/${filed.body.protocol}`);
  });
});
