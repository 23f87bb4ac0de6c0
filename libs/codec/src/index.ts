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
  signTrackingToken,
  verifyTrackingToken,
  type TrackingClaims,
  type TrackingSecrets,
} from './tracking-token';
export {
  DEV_TRACKING_SECRET,
  MIN_PRODUCTION_SECRET_BYTES,
  parseTrackingKeys,
  resolveTrackingKeys,
  SINGLE_TRACKING_KEY_ID,
  singleTrackingKey,
  type TrackingKey,
} from './tracking-keys';
export {
  checkTemporalConnectionEnv,
  TEMPORAL_CONNECTION_ENV,
  temporalConnectionOptions,
  type TemporalConnectionOptions,
} from './temporal-connection';
