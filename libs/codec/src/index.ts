export { parseEncryptionKeys, type EncryptionKey } from './keys';
export {
  CodecError,
  createEncryptionCodec,
  EncryptionCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
} from './encryption-codec';
export {
  payloadsFromJson,
  payloadsToJson,
  RemoteCodecInputError,
  runRemoteCodec,
  type JsonPayload,
} from './remote-codec';
export {
  DEV_TRACKING_SECRET,
  signTrackingToken,
  verifyTrackingToken,
  type TrackingClaims,
} from './tracking-token';
