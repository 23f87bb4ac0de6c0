import { SetMetadata } from '@nestjs/common';
import type { ApiKeyScope } from '@kairos/persistence';

export const SCOPES_KEY = 'kairos:scopes';
export const PUBLIC_KEY = 'kairos:public';

/** The route needs a key holding any one of these scopes (`admin` holds them all). */
export const Scopes = (...scopes: ApiKeyScope[]) => SetMetadata(SCOPES_KEY, scopes);

/** The route needs no key (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const WRITE_KEY_AUTH = 'kairos:write-key-auth';

/**
 * The route also takes the key the way Segment-style SDKs send a write key: HTTP Basic with the
 * key as user name (empty password) or `writeKey` in the JSON body. Bearer still works.
 */
export const WriteKeyAuth = () => SetMetadata(WRITE_KEY_AUTH, true);
