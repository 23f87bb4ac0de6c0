import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { CodecError, EncryptionCodec, KEY_ID_METADATA } from './encryption-codec';
import { parseEncryptionKeys, type EncryptionKey } from './keys';
import { payloadsFromJson, payloadsToJson, RemoteCodecInputError, runRemoteCodec } from './remote-codec';

const key = (id: string): EncryptionKey => ({ id, key: randomBytes(32) });
const secretEvent = { customerId: 'c_1', email: 'ada@example.com', properties: { card: '4111-1111' } };

describe('EncryptionCodec', () => {
  it('round-trips payloads and leaves no plaintext in the encoded bytes', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const plain = defaultPayloadConverter.toPayload(secretEvent);
    const [encoded] = await codec.encode([plain]);
    const bytes = Buffer.from(encoded!.data!);
    expect(bytes.includes(Buffer.from('ada@example.com'))).toBe(false);
    expect(bytes.includes(Buffer.from('4111-1111'))).toBe(false);
    expect(Buffer.from(encoded!.metadata![KEY_ID_METADATA]!).toString()).toBe('k1');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(secretEvent);
  });

  it('uses a fresh IV per payload, so equal inputs encrypt differently', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const p = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([p, p]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: a new first key encrypts, the old key still decrypts old payloads', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const [old] = await new EncryptionCodec([k1]).encode([defaultPayloadConverter.toPayload(secretEvent)]);
    const rotated = new EncryptionCodec([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(secretEvent)]);
    expect(Buffer.from(fresh!.metadata![KEY_ID_METADATA]!).toString()).toBe('k2');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map((d) => defaultPayloadConverter.fromPayload(d))).toEqual([secretEvent, secretEvent]);
  });

  it('fails clearly when the key id is unknown or the key material is wrong', async () => {
    const [encoded] = await new EncryptionCodec([key('k1')]).encode([defaultPayloadConverter.toPayload(1)]);
    await expect(new EncryptionCodec([key('k9')]).decode([encoded!])).rejects.toThrow(
      /KAIROS_CODEC_UNKNOWN_KEY: payload was encrypted with key "k1"/,
    );
    const wrong = new EncryptionCodec([key('k1')]);
    const err = await wrong.decode([encoded!]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).code).toBe('KAIROS_CODEC_DECRYPT_FAILED');
  });

  it('rejects tampered ciphertext', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const data = Buffer.from(encoded!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...encoded!, data }])).rejects.toThrow(/KAIROS_CODEC_DECRYPT_FAILED/);
  });

  it('passes unencrypted payloads through decode (histories from before encryption stay readable)', async () => {
    const plain = defaultPayloadConverter.toPayload({ a: 1 });
    const [decoded] = await new EncryptionCodec([key('k1')]).decode([plain]);
    expect(decoded).toBe(plain);
  });
});

describe('parseEncryptionKeys', () => {
  const b64 = randomBytes(32).toString('base64');

  it('parses id:base64 pairs in order (first encrypts)', () => {
    const other = randomBytes(32).toString('base64');
    const parsed = parseEncryptionKeys(`k2:${b64}, k1:${other}`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(parsed.keys[0]!.key.toString('base64')).toBe(b64);
  });

  it('lists every problem at once without echoing key material', () => {
    const short = Buffer.from('too short').toString('base64');
    const parsed = parseEncryptionKeys(`k1:${short},nocolon,k2:${b64},k2:${b64}`);
    expect(parsed.errors).toEqual([
      'key "k1": must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)',
      'entry 2: expected id:base64key with an id of 1-64 of [A-Za-z0-9._-]',
      'key "k2": listed twice',
    ]);
    expect(parsed.errors.join(' ')).not.toContain(b64);
    expect(parseEncryptionKeys(' , ').errors).toEqual(['must list at least one key as id:base64key']);
  });
});

describe('remote codec JSON', () => {
  it('encodes and decodes Temporal remote-codec bodies (base64 metadata and data)', async () => {
    const codec = new EncryptionCodec([key('k1')]);
    const body = payloadsToJson([defaultPayloadConverter.toPayload(secretEvent)]);
    const encoded = await runRemoteCodec(codec, 'encode', body);
    expect(JSON.stringify(encoded)).not.toContain(Buffer.from('ada@example.com').toString('base64'));
    const decoded = await runRemoteCodec(codec, 'decode', encoded);
    expect(defaultPayloadConverter.fromPayload(payloadsFromJson(decoded)[0]!)).toEqual(secretEvent);
  });

  it('refuses bodies that are not {payloads: [...]} with base64 fields', () => {
    for (const bad of [
      null,
      [],
      { payloads: 'x' },
      { payloads: [1] },
      { payloads: [{ data: '***' }] },
      { payloads: [{ metadata: { encoding: 5 } }] },
    ]) {
      expect(() => payloadsFromJson(bad)).toThrow(RemoteCodecInputError);
    }
  });
});
