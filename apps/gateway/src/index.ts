export { createGateway, createGatewayLogger, BODY_LIMIT } from './app';
export { loadGatewayConfig, GatewayConfigSchema, DEFAULT_TRIGGERS_DIR } from './config';
export type { GatewayConfig } from './config';
export { buildOpenApiDocument } from './docs/openapi';
export { VolumeService } from './volume/volume.service';
