/** One AES-256 key of the payload codec, named by the id stored beside each ciphertext. */
export type EncryptionKey = Readonly<{ id: string; key: Buffer }>;

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Parses `KAIROS_ENCRYPTION_KEYS`: `id:base64key[,id:base64key...]`, each key 32 random bytes
 * (`openssl rand -base64 32`). The first key encrypts; every key decrypts, so a rotation puts
 * the new key first and keeps the old ones until no history still holds their ciphertext.
 * Returns every problem at once; messages never include key material.
 */
export function parseEncryptionKeys(
  value: string,
): { keys: EncryptionKey[]; errors: [] } | { keys: []; errors: string[] } {
  const errors: string[] = [];
  const keys: EncryptionKey[] = [];
  const entries = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (entries.length === 0) errors.push('must list at least one key as id:base64key');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? entry.slice(colon + 1) : '';
    if (!KEY_ID.test(id)) {
      errors.push(`entry ${index + 1}: expected id:base64key with an id of 1-64 of [A-Za-z0-9._-]`);
      return;
    }
    const key = BASE64.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) {
      errors.push(`key "${id}": must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)`);
      return;
    }
    if (keys.some((k) => k.id === id)) {
      errors.push(`key "${id}": listed twice`);
      return;
    }
    keys.push(Object.freeze({ id, key }));
  });
  return errors.length > 0 ? { keys: [], errors } : { keys, errors: [] };
}
