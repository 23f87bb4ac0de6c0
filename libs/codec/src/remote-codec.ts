import type { Payload, PayloadCodec } from '@temporalio/common';

/** A payload in Temporal's remote codec JSON (`/encode`, `/decode`): bytes in base64. */
export type JsonPayload = { metadata?: Record<string, string>; data?: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function bytes(value: unknown, where: string): Uint8Array {
  if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64.test(value)) {
    throw new RemoteCodecInputError(`${where} must be a base64 string`);
  }
  return Buffer.from(value, 'base64');
}

/** The body of a remote codec request is not `{payloads: [...]}` with base64 fields. */
export class RemoteCodecInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteCodecInputError';
  }
}

/** Parses a remote codec request body (`{"payloads": [{metadata, data}]}`). */
export function payloadsFromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (typeof body !== 'object' || body === null || !Array.isArray(list)) {
    throw new RemoteCodecInputError('body must be {"payloads": [...]}');
  }
  return list.map((p: unknown, i) => {
    if (typeof p !== 'object' || p === null)
      throw new RemoteCodecInputError(`payloads[${i}] must be an object`);
    const { metadata, data } = p as { metadata?: unknown; data?: unknown };
    const meta: Record<string, Uint8Array> = {};
    if (metadata !== undefined && metadata !== null) {
      if (typeof metadata !== 'object' || Array.isArray(metadata)) {
        throw new RemoteCodecInputError(`payloads[${i}].metadata must be an object`);
      }
      for (const [k, v] of Object.entries(metadata)) meta[k] = bytes(v, `payloads[${i}].metadata.${k}`);
    }
    return {
      metadata: meta,
      data: data === undefined || data === null ? new Uint8Array() : bytes(data, `payloads[${i}].data`),
    };
  });
}

/** Serialises payloads to the remote codec JSON. */
export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [
          k,
          Buffer.from(v ?? new Uint8Array()).toString('base64'),
        ]),
      ),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    })),
  };
}

/** Runs a remote codec request (`encode` or `decode`) through a codec: JSON in, JSON out. */
export async function runRemoteCodec(
  codec: PayloadCodec,
  direction: 'encode' | 'decode',
  body: unknown,
): Promise<{ payloads: JsonPayload[] }> {
  const payloads = payloadsFromJson(body);
  return payloadsToJson(direction === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads));
}
