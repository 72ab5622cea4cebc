// Placeholder replaced below.
export async function seedDemo(_deps: unknown): Promise<number> {
  return 0;
}
