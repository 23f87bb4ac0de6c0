import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { EncryptionKey } from './keys';

/** `encoding` metadata of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata naming the key that encrypted a payload (rotation: decrypt with that key). */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** A payload the codec could not decrypt; `code` says why, the message says what to do. */
export class CodecError extends Error {
  constructor(
    readonly code: 'KAIROS_CODEC_UNKNOWN_KEY' | 'KAIROS_CODEC_DECRYPT_FAILED' | 'KAIROS_CODEC_MALFORMED',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'CodecError';
  }
}

/**
 * AES-256-GCM payload codec: each payload (metadata and data) is serialised, encrypted with the
 * first key under a fresh 96-bit IV, and stored as `iv | ciphertext | tag` with the key id in the
 * metadata. Payloads not encrypted by this codec pass through `decode` unchanged, so histories
 * written before encryption was switched on stay readable.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly current: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    const first = keys[0];
    if (!first) throw new Error('EncryptionCodec needs at least one key');
    this.current = first;
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** Id of the key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const encrypted = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: utf8.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: utf8.encode(this.current.id),
        },
        data: Buffer.concat([iv, encrypted]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding;
      if (!encoding || fromUtf8.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      const id = idBytes ? fromUtf8.decode(idBytes) : '';
      const key = this.byId.get(id);
      if (!key) {
        throw new CodecError(
          'KAIROS_CODEC_UNKNOWN_KEY',
          `payload was encrypted with key "${id}", which is not in KAIROS_ENCRYPTION_KEYS; add it back (keys decrypt until removed)`,
        );
      }
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) {
        throw new CodecError('KAIROS_CODEC_MALFORMED', 'encrypted payload is shorter than its IV and tag');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([
          decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new CodecError(
          'KAIROS_CODEC_DECRYPT_FAILED',
          `payload did not authenticate with key "${id}": the key material differs from the one that encrypted it, or the data was altered`,
        );
      }
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** The codec for a parsed key list, or none (no encryption: the development default). */
export function createEncryptionCodec(
  keys: readonly EncryptionKey[] | undefined,
): EncryptionCodec | undefined {
  return keys && keys.length > 0 ? new EncryptionCodec(keys) : undefined;
}
