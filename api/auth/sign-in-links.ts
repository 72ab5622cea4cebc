// Hand-off of a citizen's one-time sign-in token from better-auth's magic-link plugin (sendMagicLink runs
// inside auth.api.signInMagicLink) to the account pages, which deliver it with the app's mail settings
// (api/account/mail.ts). A token is taken once; nothing is kept after.
const issued = new Map<string, string>();

/** Called by the magic-link plugin (api/auth/auth.ts). */
export function rememberSignInToken(email: string, token: string): void {
  issued.set(email.toLowerCase(), token);
}

/** The token just issued for `email` (removed from memory), or undefined. */
export function takeSignInToken(email: string): string | undefined {
  const key = email.toLowerCase();
  const token = issued.get(key);
  issued.delete(key);
  return token;
}
